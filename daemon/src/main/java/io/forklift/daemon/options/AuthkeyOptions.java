package io.forklift.daemon.options;

import io.forklift.wire.Authkey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --authkey-file}, the cluster secret that signs and verifies every message (a picocli mixin). */
public final class AuthkeyOptions {
    @Option(
            names = "--authkey-file",
            description = "File holding the cluster's authkey (one key per line, the newest first: during a "
                    + "rotation, list the new key and then the old one). Default: FORKLIFT_AUTHKEY (and "
                    + "FORKLIFT_AUTHKEY_PREVIOUS); without either, messages are unsigned")
    Path file;

    /** The authkey from the file, else from the environment; null when there is none. */
    public Authkey authkey() {
        return file != null ? Authkey.fromFile(file) : Authkey.fromEnvironment();
    }
}
