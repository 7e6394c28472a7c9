package io.forklift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.daemon.CommandErrors;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * A setting that cannot work, or a Redis that is down or lacks the database asked for, stops the
 * {@code forklift} command at start-up with exit 1 and one line that names what to change, never a
 * stack trace (issue 11). Run through the real entry point: picocli and {@link CommandErrors}.
 */
@ExtendWith(RedisExtension.class)
@Timeout(120)
class ConfigErrorsIT {

    @Test
    void settingsThatCannotWorkAreOneLineEach(TestRedis redis) {
        String r = redis.uri();
        assertOneLine(
                "forklift worker: --result-ttl must be between PT5S and",
                "worker",
                "--redis",
                r,
                "--queues",
                "q",
                "--result-ttl",
                "PT0S");
        assertOneLine(
                "forklift worker: --grace must be between PT0S and",
                "worker",
                "--redis",
                r,
                "--queues",
                "q",
                "--grace",
                "PT-5S");
        assertOneLine(
                "forklift worker: --processes must be between 1 and 256",
                "worker",
                "--redis",
                r,
                "--queues",
                "q",
                "--processes",
                "100000");
        assertOneLine(
                "forklift worker: --lease must be between PT1S and PT1H",
                "worker",
                "--redis",
                r,
                "--queues",
                "q",
                "--lease",
                "PT999999999999999999S");
        assertOneLine(
                "forklift worker: --tasks /nonexistent is not a folder",
                "worker",
                "--redis",
                r,
                "--queues",
                "q",
                "--tasks",
                "/nonexistent");
        assertOneLine(
                "forklift worker: --exec-allow '{sh} -c x': the program",
                "worker",
                "--redis",
                r,
                "--queues",
                "q",
                "--exec-allow",
                "{sh} -c x");
        assertOneLine(
                "forklift coordinator: --interval must be between PT0.1S and PT10M",
                "coordinator",
                "--redis",
                r,
                "--interval",
                "PT0S");
        assertOneLine(
                "forklift coordinator: --result-ttl must be between PT5S and",
                "coordinator",
                "--redis",
                r,
                "--result-ttl",
                "PT0S");
        assertOneLine(
                "forklift coordinator: --dead-max must be between 1 and",
                "coordinator",
                "--redis",
                r,
                "--dead-max",
                "0");
    }

    @Test
    void aDatabaseRedisDoesNotHaveIsOneLine(TestRedis redis) {
        assertOneLine("forklift status: Redis at", "status", "--redis", redis.uri() + "/99");
        String line = assertOneLine(
                "forklift dead: Redis at", "dead", "list", "--queue", "q", "--redis", redis.uri() + "/99");
        assertTrue(line.contains("no database of the number the URI ends with"), line);
        // a subcommand's line names the whole command, as typed
        assertOneLine("forklift queue delete: Redis at", "queue", "delete", "q", "--redis", redis.uri() + "/99");
    }

    @Test
    void aRedisThatIsDownIsOneLine() throws IOException {
        String down = "redis://127.0.0.1:" + freePort();
        for (List<String> command : List.of(
                List.of("status"),
                List.of("dead", "list", "--queue", "q"),
                List.of("local", "--workers", "1", "--processes", "1"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--redis", down));
            String line =
                    assertOneLine("forklift " + command.get(0) + ": Redis at 127.0.0.1:", args.toArray(String[]::new));
            assertTrue(line.contains("is unreachable"), line);
        }
    }

    @Test
    void aMetricsPortAlreadyTakenIsOneLineThatSaysWhatToPass(TestRedis redis) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            String r = redis.uri();
            for (String daemon : List.of("worker", "coordinator")) {
                List<String> args = new ArrayList<>(List.of(daemon, "--redis", r, "--metrics-port", port));
                if (daemon.equals("worker")) args.addAll(List.of("--queues", "q"));
                String line = assertOneLine(
                        "forklift " + daemon + ": cannot serve metrics on 127.0.0.1:" + port,
                        args.toArray(String[]::new));
                assertTrue(line.contains("pass a free --metrics-port, 0 for any free port"), line);
            }
            // forklift local runs its daemons as JVMs of their own: their one line, no stack trace.
            StringWriter err = new StringWriter();
            CommandLine cli = CommandErrors.commandLine(new ForkliftCommand());
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter(), true));
            int status =
                    cli.execute("local", "--redis", r, "--workers", "1", "--processes", "1", "--metrics-port", port);
            assertEquals(1, status, err.toString());
            assertTrue(err.toString().contains("cannot serve metrics on 127.0.0.1:" + port), err.toString());
            assertTrue(err.toString().lines().noneMatch(l -> l.startsWith("\tat ")), "a stack trace: " + err);
        }
    }

    /** Runs {@code forklift args}; asserts exit 1 and a single line on stderr that starts with {@code start}. */
    private static String assertOneLine(String start, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandErrors.commandLine(new ForkliftCommand());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int status = cli.execute(args);
        List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, status, String.join(" ", args) + " → " + err);
        assertEquals(1, lines.size(), String.join(" ", args) + " printed: " + err);
        assertTrue(lines.get(0).startsWith(start), "expected '" + start + "…', got: " + lines.get(0));
        return lines.get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
