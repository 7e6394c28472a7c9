package io.forklift.worker.child;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

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
        if (length < 0 || length > MAX_FRAME) throw new IOException("corrupt frame length " + length);
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    public static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }
}
