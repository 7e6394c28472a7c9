package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.CallerPipes;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The calls of a pipe for a stateless caller. {@code bind} takes a hold on one end ({@code left} or
 * {@code right}) under a holder id (the caller's own, or a fresh one); every other call names the
 * end and the holder. Nothing here renews a hold: the caller calls {@code renew} within each lease,
 * and a hold it stops renewing lapses like a dead Java holder's, so the other end reads EOF. A
 * {@code recv} whose other end is closed (and drained) is a 409 {@code eof}; a {@code send} to a
 * closed end a 409 {@code broken_pipe}; a lapsed or closed hold a 409 {@code lost}. A {@code recv}
 * or {@code poll} that waits is parked ({@link ParkedCall}) on its end's wake list: no thread, no
 * Redis connection while it waits.
 */
final class PipeOps {
    private PipeOps() {}

    static Map<String, ObjectOp> pipe() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("bind", ObjectOp.write((m, n, b) -> {
            String holder = LockOps.holder(b, false);
            if (holder == null) holder = "http-" + UUID.randomUUID().toString().replace("-", "");
            CallerPipes.Bound h = m.pipes().bind(n, end(b), holder);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("end", h.end());
            out.put("holder", h.holder());
            out.putAll(LockOps.lease(h.lease()));
            return out;
        }));
        ops.put("renew", ObjectOp.write((m, n, b) -> {
            String end = end(b), holder = holder(b);
            if (!m.pipes().renew(n, end, holder)) {
                throw new ApiException(
                        409,
                        "lost",
                        "the hold of '" + holder + "' on the " + end + " end of '" + n + "' is gone: it was closed,"
                                + " or not renewed within its lease; if it was the end's last hold, the end is closed");
            }
            return LockOps.renewed(m.pipes().state(n).lease());
        }));
        ops.put("send", ObjectOp.write((m, n, b) -> {
            String end = end(b), holder = holder(b);
            JsonNode bytes = b.optional("bytes");
            if (bytes != null && !bytes.isNull()) m.pipes().sendBytes(n, end, holder, base64(bytes));
            else m.pipes().send(n, end, holder, b.required("value"));
            return Map.of("sent", true);
        }));
        ops.put("recv", ObjectOp.parked(true, (m, n, b, w) -> recv(m.pipes(), n, b, w)));
        ops.put("poll", ObjectOp.parked(false, (m, n, b, w) -> {
            String end = end(b), holder = holder(b);
            CallerPipes pipes = m.pipes();
            // as Python's poll(): no timeout only looks; a poll takes nothing, so one that sees a
            // message lets every poll through (and the recvs behind it try)
            Duration timeout = b.optional("timeout") == null ? Duration.ZERO : b.timeout();
            return new ParkedCall.Wait(w.keys().wake(end), true, timeout, last -> {
                boolean ready = pipes.poll(n, end, holder, Duration.ZERO);
                return ready || last ? Map.of("ready", ready) : null;
            });
        }));
        ops.put("close", ObjectOp.write((m, n, b) -> {
            m.pipes().close(n, end(b), holder(b));
            return Map.of("closed", true);
        }));
        ops.put("status", ObjectOp.read((m, n, b) -> {
            CallerPipes.State s = m.pipes().state(n);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("duplex", s.duplex());
            out.put("lease", s.lease().toMillis() / 1000.0);
            out.put("closed", byEnd(s.closed()));
            out.put("waiting", byEnd(s.waiting()));
            return out;
        }));
        return ops;
    }

    /**
     * A recv parked on its end's wake list, which a send names on the ready channel with how many
     * messages wait, and a close (or a lapsed hold found) names to every caller; each try is one
     * pipe_recv. A message taken for a client that went away during that try goes back to the head
     * of the inbox, so it is received once, by someone who is there.
     */
    private static ParkedCall.Wait recv(CallerPipes pipes, String n, ObjectBody b, ObjectOp.Where w) {
        String end = end(b), holder = holder(b);
        Duration timeout = b.timeout();
        AtomicReference<CallerPipes.Message> taken = new AtomicReference<>(); // tries never overlap
        ParkedCall.Attempt attempt = last -> {
            CallerPipes.Message got = pipes.recv(n, end, holder, Duration.ZERO);
            taken.set(got);
            if (got != null) return message(got);
            if (!last) return null;
            throw new ApiException(
                    409,
                    "empty",
                    "nothing came to the " + end + " end of '" + n + "' within " + timeout.toMillis() / 1000.0
                            + " s; call recv again (the other end is still open)");
        };
        return new ParkedCall.Wait(w.keys().wake(end), false, timeout, attempt, unanswered -> {
            if (unanswered != null) pipes.giveBack(n, end, taken.get()); // the message that try took
        });
    }

    private static Map<String, Object> message(CallerPipes.Message got) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (got.bytes() != null) out.put("bytes", Base64.getEncoder().encodeToString(got.bytes()));
        else out.put("value", got.value());
        return out;
    }

    /** Left, then right, as a reader expects. */
    private static <T> Map<String, T> byEnd(Map<String, T> both) {
        Map<String, T> out = new LinkedHashMap<>();
        out.put("left", both.get("left"));
        out.put("right", both.get("right"));
        return out;
    }

    private static String holder(ObjectBody b) {
        JsonNode v = b.optional("holder");
        if (v == null || v.isNull())
            throw ApiException.badRequest("this call needs 'holder': the holder id bind answered");
        return LockOps.holder(b, true);
    }

    private static String end(ObjectBody b) {
        JsonNode v = b.optional("end");
        if (v == null || v.isNull()) throw ApiException.badRequest("this call needs 'end': \"left\" or \"right\"");
        if (!v.isTextual() || !(v.textValue().equals("left") || v.textValue().equals("right")))
            throw ApiException.badRequest("'end' must be \"left\" or \"right\", got " + v);
        return v.textValue();
    }

    private static byte[] base64(JsonNode v) {
        try {
            if (!v.isTextual()) throw new IllegalArgumentException();
            return Base64.getDecoder().decode(v.textValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'bytes' must be a base64 string, got " + v);
        }
    }
}
