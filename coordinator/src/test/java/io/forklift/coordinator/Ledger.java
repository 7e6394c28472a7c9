package io.forklift.coordinator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The executions that {@link io.forklift.coordinator.tasks.Recorded} tasks appended to a file, and waiting on conditions. */
final class Ledger {
    record Execution(int n, int attempt, long pid, long millis) {}

    interface Check {
        boolean done() throws Exception;
    }

    private final Path file;

    Ledger(Path file) throws Exception {
        this.file = file;
        Files.createFile(file);
    }

    String path() {
        return file.toString();
    }

    List<Execution> executions() throws Exception {
        List<Execution> runs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            if (f.length == 4)
                runs.add(new Execution(
                        Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
        return runs;
    }

    static void await(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            TimeUnit.MILLISECONDS.sleep(50); // polling a file and counters: no event to wait on
        }
    }
}
