package io.forklift.coordinator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.TaskRelay;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Bearer tokens, signed with the cluster's authkey so any coordinator verifies them without
 * storing anything: {@code fl1.<key id>.<expiry ms>.<HMAC-SHA256>.<claims, base64url JSON>}, the
 * envelope {@link Authkey} uses for task messages, here of kind {@code token}. The MAC is compared in
 * constant time ({@link java.security.MessageDigest#isEqual}); a rotated-out key's tokens stop
 * verifying when the key leaves the list.
 *
 * <p>The cluster token is derived from the authkey alone (claims {@code {"cluster":true}}, no
 * expiry), so every coordinator of the cluster accepts and prints the same one. A scoped token
 * carries its queues, objects, read-only flag and its own client id, and expires.
 */
public final class Tokens {
    private static final String KIND = "token";
    private static final String BOUND_TO = "forklift-http";

    private final Authkey authkey;

    public Tokens(Authkey authkey) {
        this.authkey = authkey;
    }

    /** The claims a token carries. */
    public record Claims(boolean cluster, String client, List<String> queues, List<String> objects, boolean readOnly) {
        public Claims {
            queues = queues == null ? List.of() : List.copyOf(queues);
            objects = objects == null ? List.of() : List.copyOf(objects);
        }
    }

    /** The cluster token: every scope, no expiry, the same on every coordinator holding this authkey. */
    public String clusterToken() {
        return sign(new Claims(true, null, List.of("*"), List.of("*"), false), Long.MAX_VALUE);
    }

    /** A token for {@code queues} and {@code objects} (globs), valid for {@code ttl}, with a fresh client id. */
    public String scoped(List<String> queues, List<String> objects, boolean readOnly, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero())
            throw new IllegalArgumentException("a token's ttl must be positive, got " + ttl);
        for (String q : queues) checkGlob("queue", q);
        for (String o : objects) checkGlob("object", o);
        long expires = System.currentTimeMillis() + ttl.toMillis();
        return sign(new Claims(false, TaskRelay.newClientId(), queues, objects, readOnly), expires);
    }

    /** Until when a token is valid (epoch ms), without checking it. */
    public static long expiresAt(String token) {
        String[] parts = token.split("\\.", 4);
        return Long.parseLong(parts[2]);
    }

    /**
     * The caller a bearer token names; a 401 {@link ApiException} saying why when it is missing,
     * malformed, not signed with this cluster's authkey, altered or expired.
     */
    public Principal verify(String token) {
        if (token == null || token.isEmpty()) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "send the header 'Authorization: Bearer <token>' "
                            + "(forklift token create makes one; the cluster token is printed by forklift local and forklift token cluster)");
        }
        if (token.length() > 8192)
            throw new ApiException(401, "unauthorized", "the token is too long to be one of ours");
        Authkey.Opened opened;
        try {
            opened = authkey.verify(KIND, BOUND_TO, token, System.currentTimeMillis());
        } catch (Authkey.ExpiredException e) {
            throw new ApiException(401, "token_expired", "the token " + e.getMessage() + "; ask for a new one");
        } catch (Authkey.BadSignatureException e) {
            throw new ApiException(401, "unauthorized", "the token is not valid here: " + e.getMessage());
        }
        Claims c;
        try {
            c = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(opened.payload()), Claims.class);
        } catch (Exception e) {
            // signed by us but unreadable: only a bug could make one
            throw new ApiException(401, "unauthorized", "the token's claims cannot be read");
        }
        return new Principal(c.cluster(), c.client(), c.queues(), c.objects(), c.readOnly());
    }

    private String sign(Claims claims, long expiresAtMs) {
        try {
            String payload = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(Json.MAPPER.writeValueAsString(claims).getBytes(StandardCharsets.UTF_8));
            return authkey.sign(KIND, BOUND_TO, expiresAtMs, payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a token's claims", e);
        }
    }

    private static void checkGlob(String what, String glob) {
        if (glob == null
                || glob.isBlank()
                || glob.length() > 200
                || glob.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            throw new IllegalArgumentException(what + " scope '" + glob + "' must be 1-200 visible ASCII characters");
        }
    }
}
