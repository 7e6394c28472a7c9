package io.forklift.coordinator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Another "host" on this machine: a network namespace joined to this one by a veth pair, with
 * {@code hostIp} on this side and {@code innerIp} inside. {@link #cut()} drops every packet both
 * ways: a token bucket whose burst is smaller than any packet, because this kernel has no netem.
 * {@link #heal()} removes it. Needs root (CI runs as root).
 */
final class NetNamespace implements AutoCloseable {
    private static final String DROP_ALL = "tbf rate 1kbit burst 16 limit 1"; // no packet fits a 16-byte burst
    final String name;
    final String hostIp;
    final String innerIp;
    private final String hostLink;
    private final String innerLink;

    private NetNamespace(String name, int subnet) {
        this.name = name;
        this.hostIp = "10.231." + subnet + ".1";
        this.innerIp = "10.231." + subnet + ".2";
        this.hostLink = name + "-h";
        this.innerLink = name + "-i";
    }

    /** Creates the namespace and its link; {@code subnet} (0-255) picks 10.231.{subnet}.0/30. */
    static NetNamespace create(String name, int subnet) throws IOException, InterruptedException {
        NetNamespace ns = new NetNamespace(name, subnet);
        ns.ip("netns", "add", name);
        try {
            ns.ip("link", "add", ns.hostLink, "type", "veth", "peer", "name", ns.innerLink);
            ns.ip("link", "set", ns.innerLink, "netns", name);
            ns.ip("addr", "add", ns.hostIp + "/30", "dev", ns.hostLink);
            ns.ip("link", "set", ns.hostLink, "up");
            ns.inside("ip", "addr", "add", ns.innerIp + "/30", "dev", ns.innerLink);
            ns.inside("ip", "link", "set", ns.innerLink, "up");
            ns.inside("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The prefix that runs a command inside the namespace. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    void cut() throws IOException, InterruptedException {
        run(concat(List.of("tc", "qdisc", "add", "dev", hostLink, "root"), DROP_ALL.split(" ")));
        inside(concat(List.of("tc", "qdisc", "add", "dev", innerLink, "root"), DROP_ALL.split(" "))
                .toArray(String[]::new));
    }

    void heal() throws IOException, InterruptedException {
        run(List.of("tc", "qdisc", "del", "dev", hostLink, "root"));
        inside("tc", "qdisc", "del", "dev", innerLink, "root");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("ip", "link", "del", hostLink).start().waitFor(); // may already be gone with the namespace
        new ProcessBuilder("ip", "netns", "del", name).start().waitFor();
    }

    private void ip(String... args) throws IOException, InterruptedException {
        run(concat(List.of("ip"), args));
    }

    private void inside(String... command) throws IOException, InterruptedException {
        run(concat(exec(), command));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("`" + String.join(" ", command) + "` failed (" + out
                    + "); network namespace tests need root and iproute2");
        }
    }
}
