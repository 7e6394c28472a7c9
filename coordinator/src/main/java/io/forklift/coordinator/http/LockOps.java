package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.CallerHolds;
import io.forklift.manager.ObjectKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The calls of locks, rlocks, semaphores and bounded semaphores for a stateless caller. {@code
 * acquire} answers a hold: a holder id (the caller's own, or a fresh one), its fencing token and the
 * lock's lease. Nothing here renews it: the caller calls {@code renew} with its holder and fence
 * within each lease (every third of it, as Java's renewer does), and a hold it stops renewing lapses
 * like a dead Java holder's. {@code release} by one not holding (or whose hold lapsed) is a 409
 * {@code not_held}; a lapsed hold's {@code renew} is a 409 {@code lost}.
 */
final class LockOps {
    /** Holder ids: short, printable, no spaces (they are Redis hash fields and log words). */
    private static final Pattern HOLDER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private LockOps() {}

    static Map<String, ObjectOp> of(ObjectKind kind) {
        boolean semaphore = kind == ObjectKind.SEMAPHORE || kind == ObjectKind.BOUNDED_SEMAPHORE;
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("acquire", ObjectOp.blocking(true, (m, n, b) -> {
            String holder = holder(b, false);
            if (holder == null) holder = "http-" + UUID.randomUUID().toString().replace("-", "");
            Duration timeout = b.bool("block", true) ? b.timeout() : null;
            CallerHolds.Hold h = m.holds().acquire(n, kind, holder, 1, timeout);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("acquired", h != null);
            out.put("holder", holder);
            if (h != null) {
                out.put("fence", h.fence());
                out.put("count", h.count());
                out.putAll(lease(h.lease()));
            }
            return out;
        }));
        ops.put("renew", ObjectOp.write((m, n, b) -> {
            String holder = holder(b, true);
            long fence = fence(b);
            if (!m.holds().renew(n, kind, holder, fence)) {
                throw new ApiException(
                        409,
                        "lost",
                        "the hold of '" + holder + "' on '" + n + "' (fence " + fence + ") had lapsed: it was not"
                                + " renewed within its lease, and another may have held it since; acquire again");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("renewed", true);
            out.putAll(lease(m.holds().state(n, kind).lease()));
            return out;
        }));
        ops.put("release", ObjectOp.write((m, n, b) -> {
            // a semaphore released by one holding none gains a permit, as Python's does
            String holder = holder(b, !semaphore);
            Long fence = semaphore && b.optional("fence") == null ? null : fence(b);
            int left = m.holds().release(n, kind, holder == null ? "" : holder, fence, 1);
            return Map.of("released", true, "count", left);
        }));
        ops.put("status", ObjectOp.read((m, n, b) -> {
            CallerHolds.State s = m.holds().state(n, kind);
            Map<String, Object> out = new LinkedHashMap<>();
            if (semaphore) {
                out.put("value", s.free());
                out.put("permits", s.permits());
            } else {
                out.put("locked", s.free() == 0);
            }
            out.put("lease", s.lease().toMillis() / 1000.0);
            return out;
        }));
        return ops;
    }

    /** The lease and about when a hold taken or renewed now ends, by this coordinator's clock. */
    private static Map<String, Object> lease(Duration lease) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lease", lease.toMillis() / 1000.0);
        out.put("expiresAt", System.currentTimeMillis() + lease.toMillis());
        return out;
    }

    private static String holder(ObjectBody b, boolean required) {
        JsonNode v = b.optional("holder");
        if (v == null || v.isNull()) {
            if (required) throw ApiException.badRequest("this call needs 'holder': the holder id acquire answered");
            return null;
        }
        if (!v.isTextual() || !HOLDER.matcher(v.textValue()).matches()) {
            throw ApiException.badRequest("'holder' must be 1 to 128 letters, digits or . _ : @ -, got " + v);
        }
        return v.textValue();
    }

    private static long fence(ObjectBody b) {
        JsonNode v = b.optional("fence");
        if (v == null || v.isNull())
            throw ApiException.badRequest("this call needs 'fence': the fencing token acquire answered");
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() <= 0)
            throw ApiException.badRequest("'fence' must be the positive whole number acquire answered, got " + v);
        return v.longValue();
    }
}
