package io.forklift.worker.child;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The framing between a worker and its children over the child's stdin and stdout: a 4-byte
 * big-endian length, then that many bytes of JSON. Only frames use the child's real stdout; a
 * task's own prints are redirected, so they cannot corrupt it.
 */
public final class Frames {
    /** Larger frames mean a corrupt stream, not a payload (payloads are capped far lower). */
    public static final int MAX_FRAME = 256 * 1024 * 1024;

    private Frames() {}

    /** The next frame, or null at a clean end of stream. */
    public static byte[] read(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) throw new IOException(corrupt(length));
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    /** Names the length, and the text it reads as if it is text: something printed into the stream. */
    private static String corrupt(int length) {
        String text = new String(java.nio.ByteBuffer.allocate(4).putInt(length).array(), StandardCharsets.ISO_8859_1);
        if (!text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) return "corrupt frame length " + length;
        return "corrupt frame length " + length + ": the stream starts with the text \"" + text + "\", so something "
                + "printed into it; for a child's stdout, look for a JVM option or agent that prints at start-up "
                + "(JAVA_TOOL_OPTIONS, -javaagent) and send its output elsewhere";
    }

    public static void write(DataOutputStream out, byte[] frame) throws IOException {
        put(out, frame);
        out.flush();
    }

    /** Buffers a frame without flushing: several go out in one write (a buffer that fills is written as it fills). */
    public static void put(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }
}
