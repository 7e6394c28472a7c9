package io.forklift.daemon.options;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/** {@code --id}, a daemon's name in Redis (a picocli mixin). */
public final class IdOption {
    @Option(names = "--id", description = "This daemon's id in Redis. Default: <host>-<pid>")
    String id;

    /** The id given, else {@code <host>-<pid>}. */
    public String id() {
        if (id != null) return id;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
