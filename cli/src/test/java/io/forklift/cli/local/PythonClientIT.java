package io.forklift.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Python client's examples, run by Debian's python3 (standard library only) against a real
 * {@code forklift local} cluster: Pool.apply_async with callbacks run by Java children, and a
 * Manager queue a Python producer fills while Java tasks, given the queue as their argument, take
 * from it; and Processes started, joined, read and terminated from Python. Each example checks
 * its own results and prints "ok".
 */
@ExtendWith(RedisExtension.class)
@Timeout(300)
class PythonClientIT {
    private static final Path CLIENT =
            Path.of("..", "clients", "python").toAbsolutePath().normalize();

    @Test
    void examplesRunAgainstForkliftLocal(TestRedis redis) throws Exception {
        int port = HttpPorts.choose(0);
        LocalSettings settings = new LocalSettings(
                redis.uri(),
                redis.prefix("python"),
                1,
                3,
                List.of("tutorial"),
                Path.of("target/it-logs/python-client"),
                true,
                false,
                -1,
                0,
                port);
        try (LocalCluster cluster = new LocalCluster(settings)) {
            cluster.start();
            String key = Files.readString(cluster.authkeyFile()).strip();
            for (String example : List.of("pool_squares.py", "queue_with_java.py", "process_hello.py")) {
                Path log = Path.of("target/it-logs/python-client/" + example + ".log");
                Files.createDirectories(log.getParent());
                ProcessBuilder pb = new ProcessBuilder(
                                "python3",
                                CLIENT.resolve("examples").resolve(example).toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().put("FORKLIFT_URL", cluster.httpUrl());
                pb.environment().put("FORKLIFT_AUTHKEY", key);
                Process p = pb.start();
                assertTrue(p.waitFor(180, TimeUnit.SECONDS), example + " did not end in 180 s");
                String out = Files.readString(log);
                System.out.println("--- " + example + "\n" + out);
                assertEquals(0, p.exitValue(), example + " failed:\n" + out);
                assertTrue(out.strip().endsWith("ok"), example + " did not check out:\n" + out);
            }
        }
    }
}
