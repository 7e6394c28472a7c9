package io.forklift.manager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The ledger {@link LockHolderMain}s append to, read back: waiting on it, and checking it. */
final class LockLedger {
    record Event(long nanos, long pid, String what, long fence, String detail) {}

    /** One hold from enter to its release line (released or lost); open when the holder died first. */
    record Hold(long pid, long fence, long enter, long exit, String end) {}

    record Report(int rounds, int overlaps, int acks, int refused, int lost, int timeouts, long counter) {
        @Override
        public String toString() {
            return String.format(
                    "ledger: %d holds, %d overlapping while held, %d acknowledged fenced writes, counter %d, "
                            + "%d late writes refused, %d releases told the lock was lost, %d acquire timeouts",
                    rounds, overlaps, acks, counter, refused, lost, timeouts);
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Path file;

    LockLedger(Path file) {
        this.file = file;
    }

    List<Event> events() throws Exception {
        List<Event> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ", 5);
            if (f.length < 4) continue; // a line being written
            out.add(new Event(
                    Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], Long.parseLong(f[3]), f.length > 4 ? f[4] : ""));
        }
        return out;
    }

    void awaitRounds(int n) throws Exception {
        await(() -> count(e -> e.what().equals("released")) >= n, "rounds");
    }

    void awaitRoundsAfter(long nanos, int n) throws Exception {
        await(() -> count(e -> e.what().equals("enter") && e.nanos() > nanos) >= n, "holds after the fault");
    }

    void awaitEvent(long pid, String what) throws Exception {
        await(() -> count(e -> e.pid() == pid && e.what().equals(what)) > 0, what + " of " + pid);
    }

    /** Waits until one of {@code pids} is inside (its last line is an enter) and returns it. */
    long awaitInside(List<Long> pids) throws Exception {
        long[] inside = {-1};
        await(
                () -> {
                    List<Event> all = events();
                    Event last = all.isEmpty() ? null : all.get(all.size() - 1);
                    if (last == null || !last.what().equals("enter") || !pids.contains(last.pid())) return false;
                    inside[0] = last.pid();
                    return true;
                },
                "a holder inside");
        return inside[0];
    }

    long firstEnterAfter(long nanos) throws Exception {
        return events().stream()
                .filter(e -> e.what().equals("enter") && e.nanos() > nanos)
                .mapToLong(Event::nanos)
                .min()
                .orElseThrow();
    }

    List<Hold> holds() throws Exception {
        List<Event> all = events();
        List<Hold> holds = new ArrayList<>();
        for (Event e : all) {
            if (!e.what().equals("enter")) continue;
            // inside from its enter line (after acquire returned) to its exit line (before release was called)
            Event exit = after(all, e, "exit");
            Event end = after(all, e, "released");
            if (end == null) end = after(all, e, "lost");
            holds.add(new Hold(
                    e.pid(),
                    e.fence(),
                    e.nanos(),
                    exit == null ? Long.MAX_VALUE : exit.nanos(),
                    end == null ? "open" : end.what()));
        }
        return holds;
    }

    private static Event after(List<Event> all, Event enter, String what) {
        return all.stream()
                .filter(x -> x.pid() == enter.pid()
                        && x.fence() == enter.fence()
                        && x.what().equals(what))
                .findFirst()
                .orElse(null);
    }

    Report report(long counter) throws Exception {
        Files.copy(file, Path.of("target", "lock-chaos-" + file.getParent().getFileName() + ".txt"));
        List<Hold> held =
                holds().stream().filter(h -> h.end().equals("released")).toList();
        int overlaps = 0;
        for (int i = 0; i < held.size(); i++) {
            for (int j = i + 1; j < held.size(); j++) {
                Hold a = held.get(i);
                Hold b = held.get(j);
                if (a.enter() < b.exit() && b.enter() < a.exit()) {
                    overlaps++;
                    System.out.println("overlap: " + a + " and " + b);
                }
            }
        }
        return new Report(
                holds().size(),
                overlaps,
                count(e -> e.what().equals("ack")),
                count(e -> e.what().equals("refused")),
                count(e -> e.what().equals("lost")),
                count(e -> e.what().equals("timeout")),
                counter);
    }

    private int count(Predicate<Event> p) throws Exception {
        return (int) events().stream().filter(p).count();
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) throw new AssertionError("no " + what + " within " + WAIT);
            TimeUnit.MILLISECONDS.sleep(20); // polling a file other processes append to: no event to wait on
        }
    }
}
