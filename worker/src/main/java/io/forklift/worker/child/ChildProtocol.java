package io.forklift.worker.child;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the {@link Frames} between a worker and a child carry. Binary headers, JSON bodies passed
 * through untouched: the worker hands the child the task message as stored in Redis, and the child
 * hands back the final reply JSON that goes to the submitter, so the worker parses neither.
 * <pre>
 * worker → child  setup:  JSON {"redis": uri, "prefix": key prefix, "tasks": [task names]}, once, first
 * child → worker  hello:  'H', long pid, once it has read the setup and loaded the task classes
 * worker → child  task:   int attempt, task message JSON
 * child → worker  result: 'R', byte ok, long run nanos, short id length, id (UTF-8), reply JSON
 * </pre>
 */
public final class ChildProtocol {
    private static final byte HELLO = 'H';
    private static final byte RESULT = 'R';
    private static final int RESULT_HEADER = 1 + 1 + 8 + 2; // type, ok, run nanos, id length

    private ChildProtocol() {}

    /** A task for a child. */
    public record TaskFrame(int attempt, byte[] message) {}

    /** Something a child said. */
    public sealed interface ChildMessage permits Hello, Result {}

    public record Hello(long pid) implements ChildMessage {}

    /**
     * A task's outcome; {@code replyJson} is the {@link io.forklift.wire.Reply} for the submitter;
     * {@code runNanos}, how long the run took in the child, from reading the task to its reply.
     */
    public record Result(String id, boolean ok, long runNanos, String replyJson) implements ChildMessage {}

    /**
     * Where the cluster's Redis is, for the shared objects a task receives: handed over on the
     * child's stdin, never on its command line or in its environment, so neither {@code ps} nor a
     * command an exec task runs can see the credentials in the URI. {@code tasks}: the names in the
     * worker's task catalog, the only classes the child loads as tasks.
     */
    public record Setup(String redis, String prefix, java.util.Set<String> tasks) {}

    public static byte[] setup(String redisUri, String prefix, java.util.Set<String> tasks) {
        try {
            return io.forklift.wire.Json.MAPPER.writeValueAsBytes(new Setup(redisUri, prefix, tasks));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the set-up frame", e);
        }
    }

    public static Setup readSetup(byte[] frame) throws java.io.IOException {
        Setup s = io.forklift.wire.Json.MAPPER.readValue(frame, Setup.class);
        if (s.redis() == null || s.prefix() == null || s.tasks() == null)
            throw new java.io.IOException("the set-up frame lacks redis, prefix or tasks");
        return s;
    }

    public static byte[] task(int attempt, String messageJson) {
        byte[] message = messageJson.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + message.length)
                .putInt(attempt)
                .put(message)
                .array();
    }

    public static TaskFrame readTask(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int attempt = b.getInt();
        byte[] message = new byte[b.remaining()];
        b.get(message);
        return new TaskFrame(attempt, message);
    }

    public static byte[] hello(long pid) {
        return ByteBuffer.allocate(9).put(HELLO).putLong(pid).array();
    }

    public static byte[] result(String id, boolean ok, long runNanos, byte[] replyJson) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(RESULT_HEADER + idBytes.length + replyJson.length)
                .put(RESULT)
                .put((byte) (ok ? 1 : 0))
                .putLong(runNanos)
                .putShort((short) idBytes.length)
                .put(idBytes)
                .put(replyJson)
                .array();
    }

    /** Decodes a child's frame; throws {@link IllegalArgumentException} on anything else. */
    public static ChildMessage readChild(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        byte type = b.get();
        if (type == HELLO && frame.length == 9) return new Hello(b.getLong());
        if (type != RESULT) throw new IllegalArgumentException("unknown frame type " + type);
        boolean ok = b.get() == 1;
        long runNanos = b.getLong();
        int idLength = b.getShort() & 0xffff;
        String id = new String(frame, RESULT_HEADER, idLength, StandardCharsets.UTF_8);
        int replyStart = RESULT_HEADER + idLength;
        return new Result(
                id, ok, runNanos, new String(frame, replyStart, frame.length - replyStart, StandardCharsets.UTF_8));
    }
}
