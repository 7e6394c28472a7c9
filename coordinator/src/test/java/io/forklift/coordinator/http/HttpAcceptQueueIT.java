package io.forklift.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The API's accept queue takes a burst of clients connecting at once without dropping a handshake. */
@ExtendWith(RedisExtension.class)
class HttpAcceptQueueIT {
    static HttpApiIT.Cluster cluster;
    static Http http;

    @BeforeAll
    static void start(TestRedis redis, @TempDir Path dir) throws Exception {
        cluster = HttpApiIT.Cluster.start(redis, dir, "accept", HttpSettings.local(0));
        http = cluster.http().as("haccept");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    /**
     * A thousand clients connecting at once are all taken into the accept queue: none of their
     * handshakes is dropped (the kernel's ListenOverflows counter does not move), so none waits a
     * second for a retried SYN or times out. With the JDK's default backlog of 50, CI saw hundreds
     * dropped and a thousand parked acquirers never all arrive.
     */
    @Test
    void aBurstOfAThousandConnectionsLosesNoHandshake() throws Exception {
        java.net.InetSocketAddress at =
                new java.net.InetSocketAddress("127.0.0.1", cluster.server().port());
        long before = listenOverflows();
        List<java.nio.channels.SocketChannel> burst = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open();
                c.configureBlocking(false);
                c.connect(at);
                burst.add(c);
            }
            // on loopback the handshake ends inside connect(), where a full queue counts its drop
            assertEquals(0, listenOverflows() - before, "handshakes dropped by a full accept queue");
        } finally {
            for (java.nio.channels.SocketChannel c : burst) c.close();
        }
        assertEquals(200, http.get("/v1/status").status(), "still serving");
    }

    /** The kernel's count of connections dropped because a listening socket's accept queue was full. */
    private static long listenOverflows() throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split(" ");
            String[] values = lines.get(i + 1).split(" ");
            for (int j = 1; j < names.length; j++) {
                if (names[0].equals("TcpExt:") && names[j].equals("ListenOverflows")) return Long.parseLong(values[j]);
            }
        }
        throw new IllegalStateException("no TcpExt ListenOverflows in /proc/net/netstat");
    }
}
