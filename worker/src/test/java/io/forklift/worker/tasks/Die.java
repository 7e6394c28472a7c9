package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends its own child the way {@code how} says: {@code "exit0"} exits 0 without a result, {@code "napexit"}
 * does so after 300 ms (time for the worker to hand its child the next task), {@code "oom"}
 * fills the heap, {@code "stack"} recurses until its stack overflows, {@code "hang|<uri>|<key>"} pushes its pid to a Redis list and sleeps (so the test
 * can kill -9 it), {@code "spawn|<uri>|<key>"} starts {@code sleep 300}, pushes that grandchild's pid
 * and sleeps, {@code "escape|<uri>|<key>"} starts {@code sleep 300} double-forked in a session of its own
 * (sh starts {@code setsid sleep 300} in the background and exits, so the sleep is re-parented away
 * from the child), pushes its pid and sleeps. Tests of child deaths and time limits.
 */
public final class Die implements Task<String, String> {
    @Override
    public String call(String how, TaskContext ctx) throws Exception {
        if (how.equals("exit0")) System.exit(0);
        if (how.equals("napexit")) {
            Thread.sleep(300);
            System.exit(0);
        }
        if (how.equals("oom")) {
            List<long[]> hoard = new ArrayList<>();
            while (true) hoard.add(new long[1 << 20]);
        }
        if (how.equals("stack")) return Integer.toString(deeper(0));
        if (how.startsWith("spawn|")) {
            String[] parts = how.split("\\|");
            Process grandchild = new ProcessBuilder("sleep", "300").start();
            TaskRedis.at(parts[1]).rpush(parts[2], Long.toString(grandchild.pid()));
            Thread.sleep(60_000); // past any time limit a test sets
        }
        if (how.startsWith("escape|")) {
            String[] parts = how.split("\\|");
            Process sh = new ProcessBuilder("sh", "-c", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!")
                    .redirectErrorStream(true)
                    .start();
            String pid = new String(sh.getInputStream().readAllBytes()).strip();
            sh.waitFor();
            TaskRedis.at(parts[1]).rpush(parts[2], pid);
            Thread.sleep(60_000); // past any time limit a test sets
        }
        if (how.startsWith("hang|")) {
            String[] parts = how.split("\\|");
            TaskRedis.at(parts[1]).rpush(parts[2], Long.toString(ctx.pid()));
            Thread.sleep(60_000); // killed by the test long before
        }
        return "survived " + how;
    }

    private static int deeper(int depth) {
        return deeper(depth + 1) + 1;
    }
}
