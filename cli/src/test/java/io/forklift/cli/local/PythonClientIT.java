package io.forklift.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.manager.ObjectStore;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Python client's examples, run by Debian's python3 (standard library only) against a real
 * {@code forklift local} cluster: Pool.apply_async with callbacks run by Java children, and a
 * Manager queue a Python producer fills while Java tasks, given the queue as their argument, take
 * from it; Processes started, joined, read and terminated from Python; and the ticket sale, Python
 * buyers and Java buyers sharing one lock. Each example checks its own results and prints "ok"; the
 * ticket sale is also checked here, by its ledger and the Value.
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
            Path ledger =
                    Path.of("target/it-logs/python-client/tickets-ledger.txt").toAbsolutePath();
            for (String example : List.of(
                    "pool_squares.py", "queue_with_java.py", "process_hello.py", "tickets.py", "pipe_with_java.py")) {
                Path log = Path.of("target/it-logs/python-client/" + example + ".log");
                Files.createDirectories(log.getParent());
                ProcessBuilder pb = new ProcessBuilder(
                                "python3",
                                CLIENT.resolve("examples").resolve(example).toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().put("FORKLIFT_URL", cluster.httpUrl());
                pb.environment().put("FORKLIFT_AUTHKEY", key);
                pb.environment().put("FORKLIFT_LEDGER", ledger.toString());
                Process p = pb.start();
                assertTrue(p.waitFor(180, TimeUnit.SECONDS), example + " did not end in 180 s");
                String out = Files.readString(log);
                System.out.println("--- " + example + "\n" + out);
                assertEquals(0, p.exitValue(), example + " failed:\n" + out);
                assertTrue(out.strip().endsWith("ok"), example + " did not check out:\n" + out);
            }
            checkTicketLedger(ledger, redis, settings);
        }
    }

    /**
     * The sale by its ledger, not by the script's word: 40 sales, each of a different ticket (the
     * count a buyer wrote, 39 down to 0), by Python and Java buyers both; and the Value at 0.
     */
    private static void checkTicketLedger(Path ledger, TestRedis redis, LocalSettings settings) throws Exception {
        List<String[]> sales =
                Files.readAllLines(ledger).stream().map(l -> l.split(" ")).toList();
        Set<Integer> tickets = new TreeSet<>();
        Set<String> sides = new TreeSet<>();
        for (String[] sale : sales) {
            assertEquals("sold", sale[0], String.join(" ", sale));
            sides.add(sale[1]);
            assertTrue(tickets.add(Integer.parseInt(sale[4])), "ticket " + sale[4] + " sold twice");
        }
        assertEquals(40, sales.size(), "sold exactly the 40 tickets, oversold none");
        assertEquals(IntStream.range(0, 40).boxed().collect(Collectors.toSet()), tickets);
        assertEquals(Set.of("java", "python"), sides, "both sides sold, under one lock");
        try (ObjectStore store = ObjectStore.connect(redis.uri(), settings.prefix(), Duration.ofSeconds(2), 1 << 20)) {
            assertEquals(
                    0, store.manager("tickets-py").<Integer>value("tickets", -1).get());
        }
    }
}
