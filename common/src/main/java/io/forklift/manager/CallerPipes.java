package io.forklift.manager;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.redis.DataScripts;
import io.forklift.redis.PipeScripts.HoldOp;
import io.forklift.redis.ScriptRefusal;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Pipe ends held for a caller that lives elsewhere (an HTTP client), as {@link CallerHolds} holds
 * locks: a hold is named {@code <end>/<holder>} by a holder id the caller keeps, and nothing in this
 * process renews it. The caller renews within each lease ({@link #renew}); a hold it stops renewing
 * lapses as a dead Java holder's does, and once no hold of an end is left the other end reads EOF.
 * Each call makes a proxy for the caller's hold on the spot, so a caller may move between
 * coordinators.
 */
public final class CallerPipes {
    /** A caller's hold on one end: its holder id and the pipe's lease. */
    public record Bound(String end, String holder, Duration lease) {}

    /**
     * A message taken from an end: JSON ({@code value}) or, when sent as bytes, {@code bytes}; {@code
     * stored} is it as the inbox held it, for {@link #giveBack}.
     */
    public record Message(JsonNode value, byte[] bytes, String stored) {}

    /** A pipe now: one-way or not, its lease, and per end whether it is closed and what waits there. */
    public record State(boolean duplex, Duration lease, Map<String, Boolean> closed, Map<String, Long> waiting) {}

    private static final com.fasterxml.jackson.databind.JavaType JSON =
            io.forklift.wire.Json.MAPPER.constructType(JsonNode.class);

    private final Manager manager;
    private final ObjectStore store;

    public CallerPipes(Manager manager) {
        this.manager = manager;
        this.store = manager.store();
    }

    /**
     * Makes pipe {@code name} with lease {@code lease} (an existing one is kept as it is) and binds
     * neither end: each end is bound by whoever uses it, here or by {@link Manager#connection}.
     */
    public void make(String name, boolean duplex, Duration lease) {
        manager.open(name, ObjectKind.PIPE, spec(duplex, lease));
    }

    static DataScripts.Open spec(boolean duplex, Duration lease) {
        Map<String, String> settings = Map.of("duplex", duplex ? "1" : "0", "lease", Long.toString(lease.toMillis()));
        return new DataScripts.Open("pipe", DataScripts.Initial.NONE, false, settings, List.of());
    }

    /** Binds end {@code end} for {@code holder}; {@link IllegalStateException} when that end is closed. */
    public Bound bind(String name, String end, String holder) {
        ObjectRef ref = end(name, end);
        try {
            store.run(ref, store.pipes.hold(store.keys(ref), HoldOp.BIND, List.of(end + "/" + holder)));
        } catch (ScriptRefusal r) {
            if (r.code().startsWith("CLOSED"))
                throw new IllegalStateException(
                        ref + " is closed: every holder of it closed it or let its lease lapse");
            throw ObjectStore.refusal(ref, r);
        }
        return new Bound(end, holder, lease(ref));
    }

    /** Renews {@code holder}'s hold on {@code end} for another lease; false when it had lapsed or was closed. */
    public boolean renew(String name, String end, String holder) {
        ObjectRef ref = end(name, end);
        return store.run(ref, store.pipes.hold(store.keys(ref), HoldOp.RENEW, List.of(end + "/" + holder)))
                .isEmpty();
    }

    /** Sends {@code value} from {@code end}; {@link PipeRefusedException} {@code broken_pipe} when the other end is closed. */
    public void send(String name, String end, String holder, JsonNode value) throws IOException {
        proxy(name, end, holder).send(value);
    }

    public void sendBytes(String name, String end, String holder, byte[] bytes) throws IOException {
        proxy(name, end, holder).sendBytes(bytes);
    }

    /**
     * The next message at {@code end}, waiting up to {@code timeout} (zero: one look, one round
     * trip); null when none came in time. {@link java.io.EOFException} once the other end is closed
     * and everything it sent was taken.
     */
    public Message recv(String name, String end, String holder, Duration timeout)
            throws IOException, InterruptedException {
        String m = proxy(name, end, holder).receive(Deadline.after(timeout), true);
        if (m == null) return null;
        if (m.charAt(0) == 'b') return new Message(null, Base64.getDecoder().decode(m.substring(1)), m);
        // not JSON (written into Redis by hand): a CorruptValueException naming the inbox, not a 500
        String inbox = store.keys(end(name, end)).inbox(end);
        return new Message(store.codec.decode(m.substring(1), JSON, inbox), null, m);
    }

    /**
     * Puts {@code m}, taken from {@code end} for a caller that went away before it could be handed
     * over, back at the head of that end's inbox, so the next recv gets it in its place.
     */
    public void giveBack(String name, String end, Message m) {
        ObjectRef ref = end(name, end);
        store.run(ref, store.pipes.giveBack(store.keys(ref), end, m.stored()));
    }

    /** Whether a message, or the end of the stream, is there to receive, waiting up to {@code timeout}. */
    public boolean poll(String name, String end, String holder, Duration timeout)
            throws IOException, InterruptedException {
        return proxy(name, end, holder).receive(Deadline.after(timeout), false) != null;
    }

    /** Ends {@code holder}'s hold; when it was the end's last, the end is closed (the other end reads EOF). */
    public void close(String name, String end, String holder) {
        ObjectRef ref = end(name, end);
        store.run(ref, store.pipes.hold(store.keys(ref), HoldOp.RELEASE, List.of(end + "/" + holder)));
    }

    public State state(String name) {
        ObjectRef ref = ObjectRef.of(manager.name(), name, ObjectKind.PIPE);
        var keys = store.keys(ref);
        Map<String, String> meta = store.reads.hgetAll(keys.meta());
        if (meta.get("lease") == null) throw new ObjectDeletedException(ref);
        return new State(
                !"0".equals(meta.get("duplex")),
                Duration.ofMillis(Long.parseLong(meta.get("lease"))),
                Map.of("left", meta.containsKey("closed:left"), "right", meta.containsKey("closed:right")),
                Map.of("left", store.reads.llen(keys.inbox("left")), "right", store.reads.llen(keys.inbox("right"))));
    }

    private PipeEndProxy proxy(String name, String end, String holder) {
        return PipeEndProxy.of(store, end(name, end), end + "/" + holder);
    }

    private ObjectRef end(String name, String end) {
        if (!end.equals("left") && !end.equals("right"))
            throw new IllegalArgumentException("a pipe's end is 'left' or 'right', not '" + end + "'");
        return ObjectRef.of(manager.name(), name, ObjectKind.PIPE).withEnd(end);
    }

    private Duration lease(ObjectRef ref) {
        String lease = store.reads.hget(store.keys(ref).meta(), "lease");
        if (lease == null) throw new ObjectDeletedException(ref);
        return Duration.ofMillis(Long.parseLong(lease));
    }
}
