package io.forklift.daemon.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.forklift.redis.Redis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A Redis password comes from a file rather than the command line, and never shows in a message. */
class RedisOptionsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        RedisOptions redis;
    }

    @Test
    void thePasswordFileFillsInTheUrisPassword(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "s3cr#t/pw\n");
        Probe probe = new Probe();
        new CommandLine(probe)
                .parseArgs("--redis", "redis://app@redis.local:6380/2", "--redis-password-file", file.toString());
        java.net.URI uri = java.net.URI.create(probe.redis.uri());
        assertEquals("app:s3cr#t/pw", uri.getUserInfo(), probe.redis.uri());
        assertEquals("redis.local", uri.getHost());
        assertEquals(6380, uri.getPort());
        assertEquals("/2", uri.getPath());
    }

    @Test
    void aMalformedUriIsEchoedWithoutItsPassword() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Redis.connect("redis://:hunter 2@host:6379", "p:", Duration.ofSeconds(1), 1));
        assertFalse(e.getMessage().contains("hunter"), e.getMessage());
        assertEquals("redis://user:***@h:1/0", Redis.masked("redis://user:pw@h:1/0"));
        assertEquals("redis://h:1", Redis.masked("redis://h:1"));
    }
}
