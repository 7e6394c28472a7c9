package io.forklift.cli.local;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Worker "hosts" on this machine: one network namespace per host, each joined by a veth pair to a
 * bridge in this namespace, which holds {@link #address()} (Redis and the demo site listen there).
 * Each link gets 0.5 ms of delay each way with {@code tc netem} where the kernel has it; where it
 * has not, {@link #latency()} says so and the hosts talk at veth speed.
 *
 * <p>Needs root and iproute2. The caller must {@link #close()} it: that deletes the namespaces (and
 * with them the veth pairs) and the bridge.
 */
final class SimulatedHosts implements AutoCloseable {
    private static final String DELAY = "500us";

    private final String tag = "fl" + ProcessHandle.current().pid();
    private final int subnet = (int) (ProcessHandle.current().pid() % 250);
    private final List<String> namespaces = new ArrayList<>();
    private String latency = "none";
    private boolean bridge;

    private SimulatedHosts() {}

    /** Makes {@code count} hosts on 10.233.S.0/24 (S from this process's pid); the bridge is 10.233.S.1. */
    static SimulatedHosts create(int count) throws IOException, InterruptedException {
        SimulatedHosts hosts = new SimulatedHosts();
        try {
            hosts.build(count);
        } catch (IOException | InterruptedException | RuntimeException e) {
            hosts.close();
            throw e;
        }
        return hosts;
    }

    private void build(int count) throws IOException, InterruptedException {
        String br = tag + "br";
        try {
            run("ip", "link", "add", br, "type", "bridge");
        } catch (IOException e) {
            throw new IOException(
                    "simulated hosts are network namespaces, which need root and iproute2: " + e.getMessage(), e);
        }
        bridge = true;
        run("ip", "addr", "add", ip(1) + "/24", "dev", br);
        run("ip", "link", "set", br, "up");
        boolean delayed = true;
        String noDelay = "";
        for (int i = 1; i <= count; i++) {
            String ns = tag + "h" + i;
            String outside = ns + "a";
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "link", "set", outside, "master", br);
            run("ip", "link", "set", outside, "up");
            run("ip", "netns", "exec", ns, "ip", "addr", "add", ip(10 + i) + "/24", "dev", "eth0");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            if (delayed) {
                try {
                    run("tc", "qdisc", "add", "dev", outside, "root", "netem", "delay", DELAY);
                    run(
                            "ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay",
                            DELAY);
                } catch (IOException noNetem) {
                    delayed = false;
                    noDelay = noNetem.getMessage().replaceFirst("(?s)^.*failed \\((.*)\\)$", "$1");
                }
            }
        }
        latency = delayed ? "0.5 ms each way (tc netem)" : "none added: this kernel has no tc netem (" + noDelay + ")";
    }

    /** The bridge's address, on this side: where the hosts reach this machine. */
    InetAddress address() throws IOException {
        return InetAddress.getByName(ip(1));
    }

    /** The command prefix that runs a command on host {@code i} (1-based). */
    List<String> wrapper(int i) {
        return List.of("ip", "netns", "exec", namespaces.get(i - 1));
    }

    /** The delay each link adds, or why none. */
    String latency() {
        return latency;
    }

    int count() {
        return namespaces.size();
    }

    @Override
    public void close() {
        for (String ns : namespaces) quietly("ip", "netns", "del", ns); // its veth pair goes with it
        namespaces.clear();
        if (bridge) quietly("ip", "link", "del", tag + "br");
        bridge = false;
    }

    private String ip(int host) {
        return "10.233." + subnet + "." + host;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("`" + String.join(" ", command) + "` failed (" + out + ")");
        }
    }

    private static void quietly(String... command) {
        try {
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            // nothing more to do while cleaning up: the namespace or link is gone or cannot go
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
