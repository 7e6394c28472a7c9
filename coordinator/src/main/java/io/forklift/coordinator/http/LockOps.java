package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.CallerHolds;
import io.forklift.manager.CallerLine;
import io.forklift.manager.ObjectKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The calls of locks, rlocks, semaphores and bounded semaphores for a stateless caller. {@code
 * acquire} answers a hold: a holder id (the caller's own, or a fresh one), its fencing token and the
 * lock's lease. Nothing here renews it: the caller calls {@code renew} with its holder and fence
 * within each lease (every third of it, as Java's renewer does), and a hold it stops renewing lapses
 * like a dead Java holder's. {@code release} by one not holding (or whose hold lapsed) is a 409
 * {@code not_held}; a lapsed hold's {@code renew} is a 409 {@code lost}. A lock's conditions are
 * served here too, since a condition is used while holding its lock. {@code acquire} and a
 * condition's {@code wait} wait parked ({@link ParkedCall}) on the caller's place in the lock's line
 * ({@link CallerLine}): no thread each; a client that hangs up leaves the line, and a hold granted
 * to it that nobody was answered with is given back at once.
 */
final class LockOps {
    /** Holder ids: short, printable, no spaces (they are Redis hash fields and log words). */
    private static final Pattern HOLDER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private LockOps() {}

    static Map<String, ObjectOp> of(ObjectKind kind) {
        boolean semaphore = kind == ObjectKind.SEMAPHORE || kind == ObjectKind.BOUNDED_SEMAPHORE;
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("acquire", ObjectOp.parked(true, (m, n, b, w) -> {
            String given = holder(b, false);
            String holder = given != null
                    ? given
                    : "http-" + UUID.randomUUID().toString().replace("-", "");
            Duration timeout = b.bool("block", true) ? b.timeout() : Duration.ZERO;
            CallerLine line = m.holds().line(n, kind, holder, 1);
            return inLine(line, timeout, false, h -> acquired(holder, h));
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
            return renewed(m.holds().state(n, kind).lease());
        }));
        ops.put("release", ObjectOp.write((m, n, b) -> {
            // a semaphore released by one holding none gains a permit, as Python's does
            String holder = holder(b, !semaphore);
            Long fence = semaphore && b.optional("fence") == null ? null : fence(b);
            int left = m.holds().release(n, kind, holder == null ? "" : holder, fence, 1);
            return Map.of("released", true, "count", left);
        }));
        if (!semaphore) conditions(kind, ops);
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

    private static Map<String, Object> acquired(String holder, CallerHolds.Hold h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("acquired", h != null);
        out.put("holder", holder);
        if (h != null) {
            out.put("fence", h.fence());
            out.put("count", h.count());
            out.putAll(lease(h.lease()));
        }
        return out;
    }

    /**
     * A lock's conditions, named by {@code condition} ("default" when absent): {@code wait} gives up
     * the caller's hold and answers once it holds the lock again, with a new fence to renew; {@code
     * notify} and {@code notify_all} are made by the holder.
     */
    private static void conditions(ObjectKind kind, Map<String, ObjectOp> ops) {
        ops.put("wait", ObjectOp.parked(true, (m, n, b, w) -> {
            String holder = holder(b, true);
            long fence = fence(b);
            int count = b.integer("count", 1);
            CallerLine line = m.holds().conditionLine(n, kind, condition(b), holder, fence, count);
            // at least a moment: past its deadline the wait goes on until it holds the lock again
            Duration timeout = b.timeout().isZero() ? Duration.ofMillis(1) : b.timeout();
            return inLine(line, timeout, true, h -> woken(holder, line.notified(), h));
        }));
        ops.put("notify", ObjectOp.write((m, n, b) -> notify(m, n, kind, b, b.integer("n", 1))));
        ops.put("notify_all", ObjectOp.write((m, n, b) -> notify(m, n, kind, b, 0)));
    }

    private static Map<String, Object> woken(String holder, boolean notified, CallerHolds.Hold h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("notified", notified);
        out.put("holder", holder);
        out.put("fence", h.fence());
        out.putAll(lease(h.lease()));
        return out;
    }

    /**
     * A parked wait for a place in a lock's line: each try moves the place on ({@link CallerLine#step}),
     * the last gives up (or, {@code pastDeadline}, goes on until it holds the lock, as a condition
     * wait does); a hold is answered through {@code answer}, and one taken for a client that went
     * away is given back with its place.
     */
    private static ParkedCall.Wait inLine(
            CallerLine line, Duration timeout, boolean pastDeadline, Function<CallerHolds.Hold, Object> answer) {
        CallerHolds.Hold[] got = new CallerHolds.Hold[1]; // what the last try took (tries never overlap)
        return new ParkedCall.Wait(
                line.wakeKey(),
                false,
                timeout,
                last -> {
                    CallerHolds.Hold h = got[0] = last ? line.giveUp() : line.step();
                    if (h == null && (pastDeadline || !last)) return new ParkedCall.Later(line.nextLook());
                    return answer.apply(h);
                },
                unanswered -> line.abandon(unanswered == null ? null : got[0]));
    }

    private static Map<String, Object> notify(
            ObjectCache.Opener m, String n, ObjectKind kind, ObjectBody b, int count) {
        if (count < 0) throw ApiException.badRequest("'n' must be 1 or more, got " + count);
        return Map.of("notified", m.holds().signal(n, kind, condition(b), holder(b, true), fence(b), count));
    }

    private static String condition(ObjectBody b) {
        return b.optional("condition") == null ? "default" : b.text("condition");
    }

    /** A renew's answer: renewed, the lease, and about when the hold ends now. */
    static Map<String, Object> renewed(Duration lease) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("renewed", true);
        out.putAll(lease(lease));
        return out;
    }

    /** The lease and about when a hold taken or renewed now ends, by this coordinator's clock. */
    static Map<String, Object> lease(Duration lease) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lease", lease.toMillis() / 1000.0);
        out.put("expiresAt", System.currentTimeMillis() + lease.toMillis());
        return out;
    }

    static String holder(ObjectBody b, boolean required) {
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
