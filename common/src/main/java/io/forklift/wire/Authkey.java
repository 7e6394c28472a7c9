package io.forklift.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster secret, as Python's {@code authkey}: every task message and every reply is signed with
 * it (HMAC-SHA256 over the exact bytes stored), so write access to Redis is not enough to run code
 * on a worker or to hand a program a result. The first key signs; every key verifies, so a new key
 * and the old one are both accepted while a rotation rolls out.
 *
 * <p>A signed value reads {@code fl1.<key id>.<expires at, epoch ms>.<mac>.<payload>}; the MAC covers
 * the kind of value ({@code task} or {@code reply}), what it is bound to (the queue, or the client a
 * reply is for), the key id, the expiry and the payload. Thread-safe.
 */
public final class Authkey {
    private static final String PREFIX = "fl1.";
    private static final int MIN_KEY_BYTES = 16;

    /** One secret, its id (the first 8 hex digits of its SHA-256), which signatures name, and a MAC per thread. */
    private record Key(String id, ThreadLocal<Mac> macs) {
        static Key of(byte[] secret) {
            return new Key(idOf(secret), ThreadLocal.withInitial(() -> {
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                    return mac;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
                }
            }));
        }
    }

    private final List<Key> keys;

    private Authkey(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * The keys, newest first: the first signs, all verify. Throws naming the rule if one is shorter
     * than 16 bytes.
     */
    public static Authkey of(List<String> secrets) {
        if (secrets.isEmpty()) throw new IllegalArgumentException("an authkey needs at least one key");
        List<Key> keys = new ArrayList<>();
        for (String s : secrets) {
            byte[] secret = s.strip().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("an authkey must be at least " + MIN_KEY_BYTES + " bytes, got "
                        + secret.length + "; make one with: head -c 32 /dev/urandom | base64");
            }
            keys.add(Key.of(secret));
        }
        return new Authkey(keys);
    }

    /** Reads keys from a file, one per line, newest first (blank lines and {@code #} comments skipped). */
    public static Authkey fromFile(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
            if (lines.isEmpty()) throw new IllegalArgumentException("authkey file " + file + " holds no key");
            return of(lines);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the authkey file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The keys from {@code FORKLIFT_AUTHKEY} and, during a rotation, {@code FORKLIFT_AUTHKEY_PREVIOUS}; null if unset. */
    public static Authkey fromEnvironment() {
        String current = System.getenv("FORKLIFT_AUTHKEY");
        if (current == null || current.isBlank()) return null;
        String previous = System.getenv("FORKLIFT_AUTHKEY_PREVIOUS");
        return of(previous == null || previous.isBlank() ? List.of(current) : List.of(current, previous));
    }

    /** The id of the key that signs, for messages and heartbeats (never the key). */
    public String keyId() {
        return keys.get(0).id();
    }

    /** Signs {@code payload} as a value of {@code kind} bound to {@code boundTo}, valid until {@code expiresAtMs}. */
    public String sign(String kind, String boundTo, long expiresAtMs, String payload) {
        Key key = keys.get(0);
        String exp = Long.toString(expiresAtMs);
        return PREFIX + key.id() + "." + exp + "." + mac(key, kind, boundTo, exp, payload) + "." + payload;
    }

    /** What signs a task message: bound to its queue. */
    public static final String TASK = "task";
    /** What signs a reply: bound to the client it is for. */
    public static final String REPLY = "reply";
    /** What signs a queue's setting: bound to the queue and the setting's name. */
    public static final String SETTING = "setting";

    /** A verified value: its payload, and until when it is valid (epoch ms). */
    public record Opened(String payload, long validUntilMs) {}

    /**
     * A value signed as {@code kind} for {@code boundTo} and valid at {@code nowMs}; throws
     * {@link BadSignatureException} saying why when it is unsigned, signed with a key this side does
     * not hold, altered, bound to something else, or ({@link ExpiredException}) expired.
     */
    public Opened verify(String kind, String boundTo, String value, long nowMs) {
        Opened opened = open(kind, boundTo, value);
        if (opened.validUntilMs() <= nowMs) throw new ExpiredException(opened.validUntilMs());
        return opened;
    }

    /** As {@link #verify}, whatever the expiry: for an operator's command that re-signs a dead letter. */
    public Opened open(String kind, String boundTo, String value) {
        Envelope e = Envelope.parse(value);
        if (e == null) {
            throw new BadSignatureException("it is not signed (this side has an authkey; give the sender the same)");
        }
        Key key =
                keys.stream().filter(k -> k.id().equals(e.keyId())).findFirst().orElse(null);
        if (key == null) {
            throw new BadSignatureException("it is signed with key " + e.keyId() + ", which this side does not hold "
                    + "(it holds " + keys.stream().map(Key::id).toList() + ")");
        }
        byte[] expected = mac(key, kind, boundTo, e.expiresAt(), e.payload()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, e.mac().getBytes(StandardCharsets.US_ASCII))) {
            throw new BadSignatureException(
                    "its signature does not match its content (altered, or signed for another " + kind + ")");
        }
        try {
            return new Opened(e.payload(), Long.parseLong(e.expiresAt()));
        } catch (NumberFormatException bad) {
            throw new BadSignatureException("its expiry is not a number");
        }
    }

    /** The payload of a value, signed or not, without checking anything: for a side that holds no authkey. */
    public static String unwrap(String value) {
        Envelope e = Envelope.parse(value);
        return e == null ? value : e.payload();
    }

    /** The parts of a signed value; null when it is not one. */
    private record Envelope(String keyId, String expiresAt, String mac, String payload) {
        static Envelope parse(String value) {
            if (value == null || !value.startsWith(PREFIX)) return null;
            int a = value.indexOf('.', PREFIX.length());
            int b = a < 0 ? -1 : value.indexOf('.', a + 1);
            int c = b < 0 ? -1 : value.indexOf('.', b + 1);
            if (c < 0) return null;
            return new Envelope(
                    value.substring(PREFIX.length(), a),
                    value.substring(a + 1, b),
                    value.substring(b + 1, c),
                    value.substring(c + 1));
        }
    }

    private static String mac(Key key, String kind, String boundTo, String expiresAt, String payload) {
        Mac mac = key.macs().get();
        // Lengths first, so no two different (kind, boundTo, …) tuples make the same input.
        String head = kind.length() + ":" + kind + "|" + boundTo.length() + ":" + boundTo + "|" + key.id() + "|"
                + expiresAt + "|";
        mac.update(head.getBytes(StandardCharsets.UTF_8));
        mac.update(payload.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    }

    private static String idOf(byte[] secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A value failed verification; the message says why. Nothing of it may be used. */
    public static class BadSignatureException extends RuntimeException {
        public BadSignatureException(String message) {
            super(message);
        }
    }

    /** A correctly signed value past its expiry. */
    public static final class ExpiredException extends BadSignatureException {
        ExpiredException(long expiredAtMs) {
            super("it expired at " + java.time.Instant.ofEpochMilli(expiredAtMs));
        }
    }
}
