package io.forklift.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Redis the tests get is the one the run asked for: with {@code FORKLIFT_TEST_REDIS=container}
 * (as {@code .ci/run} sets where its Docker engine runs) it is a containerized {@code redis-server},
 * pid 1 of its own pid namespace; otherwise the embedded binary, whose pid this JVM knows.
 */
@ExtendWith(RedisExtension.class)
class RedisSourceIT {
    @Test
    void theTestsRedisIsTheOneThisRunAskedFor(TestRedis redis) throws IOException {
        Map<String, String> info = infoServer(URI.create(redis.uri()));
        assertTrue(info.getOrDefault("redis_version", "").startsWith("7."), "Redis 7.x: " + info.get("redis_version"));
        long pid = Long.parseLong(info.get("process_id"));
        if ("container".equals(System.getenv("FORKLIFT_TEST_REDIS"))) {
            assertNull(redis.embedded(), "FORKLIFT_TEST_REDIS=container, yet the tests got the embedded redis-server");
            assertEquals(1, pid, "a redis-server in a container is pid 1 of its own pid namespace");
            System.out.printf(
                    "tests' Redis: %s %s in a container (pid 1 there), reached at %s%n",
                    info.get("executable"), info.get("redis_version"), redis.uri());
        } else if (redis.embedded() != null) {
            assertEquals(redis.embedded().pid(), pid, "the embedded redis-server's pid");
        } else {
            assertNotNull(System.getenv("DOCKER_HOST"), "a container Redis without DOCKER_HOST set?");
            assertNotEquals(0, pid);
        }
    }

    /** INFO server over a plain socket: this module has no Redis client. */
    private static Map<String, String> infoServer(URI uri) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String header = line(in);
            assertTrue(header.startsWith("$"), "INFO answered " + header);
            byte[] body = new byte[Integer.parseInt(header.substring(1))];
            in.readFully(body);
            Map<String, String> fields = new HashMap<>();
            for (String l : new String(body, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = l.indexOf(':');
                if (colon > 0) fields.put(l.substring(0, colon), l.substring(colon + 1));
            }
            return fields;
        }
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new IOException("connection closed after " + b);
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }
}
