package io.forklift.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua transition, read from {@code /io/forklift/lua/<name>.lua}; called by its SHA-1.
 */
public record Script(String name, String source, String sha) {
    public static final Script SUBMIT = load("submit");
    public static final Script CLAIM = load("claim");
    public static final Script COMPLETE = load("complete");
    public static final Script CANCEL = load("cancel");
    public static final Script REVOKE = load("revoke");
    public static final Script RENEW = load("renew");
    public static final Script RELEASE = load("release");
    public static final Script REQUEUE_EXPIRED = load("requeue_expired");
    public static final Script LEADER = load("leader");
    public static final Script DEAD_RETRY = load("dead_retry");
    public static final Script PROMOTE_DELAYED = load("promote_delayed");
    public static final Script PREFLIGHT = load("preflight");

    static Script load(String name) {
        String path = "/io/forklift/lua/" + name + ".lua";
        try (InputStream in = Script.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the class path");
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Script(name, source, sha1(source));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
