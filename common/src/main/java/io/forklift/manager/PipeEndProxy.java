package io.forklift.manager;

import io.forklift.redis.ObjectKeys;
import io.forklift.redis.PipeScripts;
import io.forklift.redis.PipeScripts.HoldOp;
import io.forklift.redis.PipeScripts.Received;
import io.forklift.redis.ScriptRefusal;
import io.forklift.redis.Waits;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A proxy of one pipe end, holding it for this process (a leased hold, renewed by the store's
 * {@link HoldRenewer}). Messages are stored tagged: {@code j} + JSON, or {@code b} + base64 bytes.
 * A receive runs pipe_recv.lua; when the inbox is empty it blocks (BLPOP) on the inbox and the
 * end's wake list for no longer than the other end's holds last, then looks again, so an end whose
 * holder died is seen closed within one lease.
 */
final class PipeEndProxy implements Connection {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final String side;
    private final String hold;
    private volatile boolean closed;
    private volatile boolean lost;

    private PipeEndProxy(ObjectStore store, ObjectRef ref, String hold) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.side = ref.end();
        this.hold = hold;
    }

    /** Takes a hold on end {@code ref} for this process; {@link IllegalStateException} if that end is closed. */
    static PipeEndProxy bind(ObjectStore store, ObjectRef ref) {
        PipeEndProxy end = new PipeEndProxy(store, ref, ref.end() + "/" + store.newId());
        try {
            store.run(ref, store.pipes.hold(end.keys, HoldOp.BIND, List.of(end.hold)));
        } catch (ScriptRefusal r) {
            if (!r.code().equals("CLOSED")) throw ObjectStore.refusal(ref, r);
            throw new IllegalStateException(ref + " is closed: every holder of it closed it, died or stopped renewing");
        }
        store.holds.add(end, Long.parseLong(store.reads.hget(end.keys.meta(), "lease")));
        return end;
    }

    /**
     * A proxy of end {@code ref} for a hold named {@code hold} that a caller elsewhere keeps and renews
     * ({@link CallerPipes}); nothing in this process renews it, and it binds nothing.
     */
    static PipeEndProxy of(ObjectStore store, ObjectRef ref, String hold) {
        return new PipeEndProxy(store, ref, hold);
    }

    ObjectRef pipe() {
        return new ObjectRef(ref.manager(), ref.name(), ref.kind(), null);
    }

    String hold() {
        return hold;
    }

    /** The renewer found this hold gone: this process was away longer than its lease. */
    void lost() {
        lost = true;
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    @Override
    public void send(Object message) throws IOException {
        send("j" + store.codec.encode(message, ref));
    }

    @Override
    public void sendBytes(byte[] bytes) throws IOException {
        sendBytes(bytes, 0, bytes.length);
    }

    @Override
    public void sendBytes(byte[] bytes, int offset, int size) throws IOException {
        String b64 = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, offset, offset + size));
        if (b64.length() > store.codec.maxBytes()) throw new ValueTooLargeException(ref, size, store.codec.maxBytes());
        send("b" + b64);
    }

    private void send(String tagged) throws IOException {
        usable();
        try {
            store.run(ref, store.pipes.send(keys, side, hold, List.of(tagged)));
        } catch (ScriptRefusal r) {
            throw ioError(r);
        }
    }

    @Override
    public Object recv() throws IOException, InterruptedException {
        String m = receive(Deadline.forever(), true);
        return m.charAt(0) == 'b' ? Base64.getDecoder().decode(m.substring(1)) : json(m, Object.class);
    }

    @Override
    public <T> T recv(Class<T> type) throws IOException, InterruptedException {
        String m = receive(Deadline.forever(), true);
        if (m.charAt(0) == 'b' && type == byte[].class)
            return type.cast(Base64.getDecoder().decode(m.substring(1)));
        return json(m, type);
    }

    @Override
    public boolean poll(Duration timeout) throws IOException, InterruptedException {
        return receive(Deadline.after(timeout), false) != null;
    }

    @Override
    public boolean poll() throws IOException {
        try {
            return poll(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public byte[] recvBytes() throws IOException, InterruptedException {
        String m = receive(Deadline.forever(), true);
        return m.charAt(0) == 'b'
                ? Base64.getDecoder().decode(m.substring(1))
                : m.substring(1).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] recvBytes(int maxLength) throws IOException, InterruptedException {
        byte[] b = recvBytes();
        if (b.length > maxLength)
            throw new IOException("bad message length: " + b.length + " bytes, over maxLength " + maxLength);
        return b;
    }

    @Override
    public int recvBytesInto(byte[] buffer, int offset) throws IOException, InterruptedException {
        byte[] b = recvBytes();
        if (b.length > buffer.length - offset)
            throw new IOException("a message of " + b.length + " bytes does not fit the buffer");
        System.arraycopy(b, 0, buffer, offset, b.length);
        return b.length;
    }

    /**
     * The next message (tagged), taking it when {@code take}; with {@code take} false, a non-null
     * marker when one, or the end of the stream, is there. Null when the deadline passed first.
     */
    String receive(Deadline deadline, boolean take) throws IOException, InterruptedException {
        usable();
        while (true) {
            Received r;
            try {
                r = store.run(ref, store.pipes.recv(keys, side, hold, take));
            } catch (ScriptRefusal refusal) {
                throw ioError(refusal);
            }
            if (r instanceof PipeScripts.Message m) return take ? m.message() : "";
            if (r instanceof PipeScripts.EndOfStream) {
                if (take) throw new EOFException(ref + ": the other end is closed and everything it sent was received");
                return "";
            }
            if (deadline.expired()) return null;
            Deadline.checkInterrupt();
            long ms = Math.max(1, ((PipeScripts.Wait) r).millis() + 20); // just past the other end's holds
            Duration block =
                    deadline.block().compareTo(Duration.ofMillis(ms)) < 0 ? deadline.block() : Duration.ofMillis(ms);
            List<String> lists = take ? List.of(keys.inbox(side), keys.wake(side)) : List.of(keys.wake(side));
            Waits.Popped popped = store.waits.pop(lists, block);
            if (popped != null && popped.key().equals(keys.inbox(side))) return popped.value();
        }
    }

    private <T> T json(String tagged, Class<T> type) {
        return store.codec.decode(
                tagged.substring(1), io.forklift.wire.Json.MAPPER.constructType(type), keys.inbox(side));
    }

    private void usable() throws IOException {
        if (closed) throw new IOException(ref + " is closed (by this process)");
        if (lost)
            throw new IOException(
                    ref
                            + ": this process's hold ran out (it was paused or cut off longer than the lease); the end is closed");
    }

    private IOException ioError(ScriptRefusal r) {
        return switch (r.code()) {
            case "READONLY" ->
                new PipeRefusedException("read_only", ref + " is the receive end of a one-way pipe: it cannot send");
            case "WRITEONLY" ->
                new PipeRefusedException("write_only", ref + " is the send end of a one-way pipe: it cannot receive");
            case "BROKEN" ->
                new PipeRefusedException(
                        "broken_pipe", ref + ": the other end is closed (broken pipe); nothing was sent");
            case "CLOSED" ->
                new PipeRefusedException(
                        "lost",
                        ref + ": this hold is gone (closed, or not renewed within the lease); the end is closed");
            default -> new IOException(ref + ": " + r.getMessage(), r);
        };
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        store.holds.remove(this);
        store.run(ref, store.pipes.hold(keys, HoldOp.RELEASE, List.of(hold)));
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isReadable() {
        return !side.equals("right") || !"0".equals(store.reads.hget(keys.meta(), "duplex"));
    }

    @Override
    public boolean isWritable() {
        return !side.equals("left") || !"0".equals(store.reads.hget(keys.meta(), "duplex"));
    }

    @Override
    public String toString() {
        return "Connection[" + ref + "]";
    }
}
