package io.forklift.daemon;

import io.forklift.wire.Authkey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A fresh random authkey in a file only this user can read, for a cluster that one program starts
 * on this machine ({@code forklift local}, {@code forklift bench}): its daemons get the file's path
 * ({@code --authkey-file}), never the key in their arguments or environment.
 */
public record LocalAuthkey(Path file, Authkey authkey) {
    public static LocalAuthkey create(Path dir) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String key = HexFormat.of().formatHex(secret);
        Path file = dir.resolve("authkey");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key + "\n");
        return new LocalAuthkey(file, Authkey.of(List.of(key)));
    }

    /** The daemon options that point at it. */
    public List<String> options() {
        return List.of("--authkey-file", file.toString());
    }
}
