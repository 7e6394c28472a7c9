package io.forklift.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The children's resident memory, from /proc. */
final class ChildRss {
    private ChildRss() {}

    /** The average VmRSS of {@code pids} in MB; 0 where /proc does not say (not Linux, children replaced). */
    static double averageMb(List<Long> pids) {
        double total = 0;
        int counted = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                        counted++;
                    }
                }
            } catch (IOException gone) {
                // not Linux, or the child was replaced
            }
        }
        return counted == 0 ? 0 : total / counted;
    }
}
