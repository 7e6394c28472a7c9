package io.forklift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.embedded.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Credentials in the Redis URI: a password, an ACL user, and the errors when they are wrong. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectIT {
    private EmbeddedRedis redis;

    @BeforeAll
    void startRedisWithCredentials() throws Exception {
        redis = EmbeddedRedis.start(
                "--requirepass", "s3cret", "--user", "alice", "on", ">wonderland", "~*", "&*", "+@all");
    }

    @AfterAll
    void stop() throws Exception {
        redis.close();
    }

    @Test
    void connectsWithThePasswordInTheUri() {
        try (Forklift fl = Forklift.connect("redis://:s3cret@127.0.0.1:" + redis.port())) {
            assertEquals(5, fl.pool("auth-check", 5).processes());
        }
    }

    @Test
    void connectsAsAnAclUser() {
        try (Forklift fl = Forklift.connect("redis://alice:wonderland@127.0.0.1:" + redis.port() + "/0")) {
            assertTrue(fl.clientId().length() > 4);
        }
    }

    @Test
    void aWrongPasswordFailsAtConnectWithAMessageThatSaysWhere() {
        RedisUnavailableException e = assertThrows(
                RedisUnavailableException.class,
                () -> Forklift.connect("redis://:wrong@127.0.0.1:" + redis.port())
                        .close());
        assertTrue(e.getMessage().contains("127.0.0.1:" + redis.port()), e.getMessage());
    }

    @Test
    void aUriThatIsNotRedisIsRefusedWithTheExpectedForm() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Forklift.connect("http://localhost:6379"));
        assertTrue(e.getMessage().contains("redis://"), e.getMessage());
    }
}
