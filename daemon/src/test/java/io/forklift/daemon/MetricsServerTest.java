package io.forklift.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.daemon.options.MetricsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Metrics are served on 127.0.0.1 unless --metrics-host widens it (issue 11: every daemon bound all
 * interfaces). Read from the kernel's table of listening sockets, so no traffic leaves loopback.
 */
class MetricsServerTest {
    private static final Set<String> LOOPBACK = Set.of("0100007F", "0000000000000000FFFF00000100007F");
    private static final Set<String> ANY = Set.of("00000000", "00000000000000000000000000000000");

    @Test
    void byDefaultMetricsAreServedOnLoopbackOnly() throws IOException {
        MetricsOptions options = new MetricsOptions();
        new CommandLine(options).parseArgs();
        assertEquals("127.0.0.1", options.host());
        try (MetricsServer server = MetricsServer.start(options.host(), 0)) {
            Set<String> bound = listeningAddresses(server.port());
            assertFalse(bound.isEmpty(), "no listening socket found for port " + server.port());
            assertTrue(LOOPBACK.containsAll(bound), "bound to " + bound);
        }
    }

    @Test
    void metricsHostWidensIt() throws IOException {
        MetricsOptions options = new MetricsOptions();
        new CommandLine(options).parseArgs("--metrics-host", "0.0.0.0");
        try (MetricsServer server = MetricsServer.start(options.host(), 0)) {
            Set<String> bound = listeningAddresses(server.port());
            assertTrue(!bound.isEmpty() && ANY.containsAll(bound), "bound to " + bound);
        }
    }

    /** Local addresses (hex, as /proc/net/tcp and tcp6 write them) of sockets listening on {@code port}. */
    private static Set<String> listeningAddresses(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        Set<String> found = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) continue;
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (local[1].equals(hexPort) && f[3].equals("0A")) found.add(local[0]); // 0A = LISTEN
            }
        }
        return found;
    }
}
