package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.RedisUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code redis+cluster://} URI form and its {@code replicas=N} parameter, refused with a reason when malformed. */
class ClusterUriTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @Test
    void aClusterUriWithADatabaseIsRefusedBecauseAClusterHasOnlyDatabaseZero() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Redis.connect("redis+cluster://127.0.0.1:1/3", "p:", TIMEOUT, 1));
        assertTrue(e.getMessage().contains("no database"), e.getMessage());
    }

    @Test
    void aNodeThatIsNotHostAndPortIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Redis.connect("redis+cluster://127.0.0.1:1,nohost", "p:", TIMEOUT, 1));
        assertTrue(e.getMessage().contains("'nohost'"), e.getMessage());
    }

    @Test
    void anUnknownQueryParameterIsRefusedNamingTheKnownOne() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Redis.connect("redis://127.0.0.1:1?wait=1", "p:", TIMEOUT, 1));
        assertTrue(e.getMessage().contains("replicas=N"), e.getMessage());
    }

    @Test
    void aClusterWhoseSeedsDoNotAnswerIsUnavailableNamingThem() {
        RedisUnavailableException e = assertThrows(
                RedisUnavailableException.class,
                () -> Redis.connect(
                        "redis+cluster://user:secret@127.0.0.1:1,127.0.0.1:2?replicas=1", "p:", TIMEOUT, 1));
        assertTrue(e.getMessage().contains("127.0.0.1:1") && e.getMessage().contains("127.0.0.1:2"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "the password must not be shown: " + e.getMessage());
    }

    @Test
    void keysOfOneQueueShareAGroupAndKeysOfTwoQueuesDoNot() {
        Keys keys = new Keys("p:");
        List<String[]> groups = ClusterSlots.groups(List.of(keys.wake("a"), keys.ready("a"), keys.wake("b")));
        assertEquals(2, groups.size());
        assertEquals(2, groups.get(0).length);
    }
}
