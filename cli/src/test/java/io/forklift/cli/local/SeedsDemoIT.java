package io.forklift.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.examples.seeds.Seeds;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code forklift local --demo seeds}: the seeds' multiprocessing examples give Python's results, printed. */
@ExtendWith(RedisExtension.class)
@Timeout(240)
class SeedsDemoIT {
    @Test
    void theSeedsExamplesPrintPythonsResults(TestRedis redis) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        LocalCommand command;
        int status;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command = new LocalCommand();
            status = new CommandLine(command)
                    .execute(
                            "--redis", redis.uri(),
                            "--prefix", redis.prefix("seeds"),
                            "--workers", "2",
                            "--processes", "2",
                            "--metrics-port", "-1",
                            "--demo", "seeds",
                            "--logs", "target/it-logs/local-seeds");
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        Seeds.Results r = command.seedsResults;
        assertNotNull(r, "no results; exit status " + status + "; it printed:\n" + out);
        assertEquals(0, status);
        assertEquals(List.of(Arrays.asList(42, null, "hello"), Arrays.asList(42, null, "hello")), r.queueGot());
        assertEquals(IntStream.range(0, 10).boxed().toList(), r.consumed());
        assertTrue(r.full() && r.empty(), "Full and Empty on the nowait calls");
        assertEquals("from son", r.sonSaid());
        assertEquals("from father", r.fatherSaid());
        assertTrue(r.eof(), "EOFError once the son closed its end");
        Map<Object, Object> d = new LinkedHashMap<>();
        d.put(1, "1");
        d.put("2", 2);
        d.put(0.25, null);
        assertEquals(d, r.dict());
        assertEquals(IntStream.range(0, 10).boxed().toList(), r.list(), "ten reversals give the list back");
        assertTrue(out.contains("Queue: the parent got [42, null, hello] and [42, null, hello]"), out);
        assertTrue(out.contains("queue.Full") && out.contains("queue.Empty"), out);
        assertTrue(out.contains("Pipe: the parent got 'from son', the son got 'from father', then EOFError"), out);
        assertTrue(out.contains("Manager: d = {1=1, 2=2, 0.25=null}, l = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"), out);
        var p = command.processSeedsResults;
        assertNotNull(p, out);
        assertTrue(out.matches("(?s).*\\(Process-1 pid=\\d+ host=[^)]+\\) hello bob\n.*"), out);
        assertTrue(out.contains(") parent process: " + ProcessHandle.current().pid()), out);
        assertTrue(out.contains("stopped exitcode=-15> false"), out);
        assertTrue(out.contains("p.exitcode == -signal.SIGTERM: true"), out);
        assertTrue(out.contains("(steady pid="), out);
        assertEquals(new io.forklift.examples.seeds.ProcessSeeds.Results(0, 0, -15, -15, 0), p);
    }
}
