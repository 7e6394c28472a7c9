package io.forklift.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which redis-server runs: the PATH's first one when it is 7.0 or newer, else the bundled build. */
class RedisBinaryTest {
    @TempDir
    Path dir;

    /** A folder holding a {@code redis-server} that answers {@code --version} with this line. */
    private Path serverSaying(String name, String versionLine) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Path script = folder.resolve("redis-server");
        Files.writeString(script, "#!/bin/sh\necho '" + versionLine + "'\n");
        assertTrue(script.toFile().setExecutable(true));
        return folder;
    }

    @Test
    void aRedis7OnThePathRunsWithItsVersionAndAllocatorNamed() throws IOException {
        Path folder = serverSaying("seven", "Redis server v=7.2.4 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64");
        RedisBinary chosen = RedisBinary.choose(Map.of("PATH", dir + File.pathSeparator + folder));
        assertEquals(folder.resolve("redis-server"), chosen.path());
        assertEquals(folder.resolve("redis-server") + " 7.2.4, malloc=jemalloc-5.3.0", chosen.description());
    }

    @Test
    void anOlderRedisOnThePathIsPassedOverWithTheReason() throws IOException {
        Path old = serverSaying("six", "Redis server v=6.2.6 sha=00000000:0 malloc=jemalloc-5.1.0 bits=64");
        Path newer = serverSaying("seven", "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64");
        // the PATH's first redis-server is the one a shell would run, so a later newer one is not taken
        RedisBinary chosen = RedisBinary.choose(Map.of("PATH", old + File.pathSeparator + newer));
        assertTrue(chosen.path().endsWith(RedisBinary.BUNDLED), chosen.toString());
        assertTrue(
                chosen.description().contains("is 6.2.6, malloc=jemalloc-5.1.0, older than the 7.0 Forklift needs"),
                chosen.description());
    }

    @Test
    void withNoneOnThePathTheBundledBuildRunsAndSaysWhatWouldBeCheaper() throws IOException {
        RedisBinary chosen = RedisBinary.choose(Map.of("PATH", dir.toString()));
        assertTrue(chosen.path().endsWith(RedisBinary.BUNDLED), chosen.toString());
        assertTrue(chosen.description().contains("no redis-server on the PATH"), chosen.description());
        assertTrue(chosen.description().contains("apt-get install redis-server"), chosen.description());
        // the bundled binary is real and is the build this description names
        assertEquals("7.0.15, malloc=libc", RedisBinary.version(chosen.path()).orElseThrow());
    }

    @Test
    void theEnvironmentChoosesBeforeThePath() throws IOException {
        Path folder = serverSaying("seven", "Redis server v=7.2.4 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64");
        RedisBinary bundled = RedisBinary.choose(Map.of("PATH", folder.toString(), "FORKLIFT_REDIS_SERVER", "bundled"));
        assertTrue(bundled.path().endsWith(RedisBinary.BUNDLED), bundled.toString());
        Path own = serverSaying("own", "Redis server v=7.4.0 sha=00000000:0 malloc=libc bits=64")
                .resolve("redis-server");
        RedisBinary named =
                RedisBinary.choose(Map.of("PATH", folder.toString(), "FORKLIFT_REDIS_SERVER", own.toString()));
        assertEquals(own, named.path());
        assertEquals(own + " 7.4.0, malloc=libc", named.description());
    }
}
