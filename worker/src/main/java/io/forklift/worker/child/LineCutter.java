package io.forklift.worker.child;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a stream of bytes into lines, each handed to a sink as text, with a fixed buffer: a line
 * longer than the limit is handed over cut, with {@link #MARKER}, and the rest of it is skipped up to
 * its newline, never buffered. So a task that prints 300 MB without a newline, or prints without end,
 * costs the child and the worker that read its output no more memory than one limit. Decoded as UTF-8
 * per line (a character split by the cut shows as U+FFFD). Not thread-safe: the caller serializes.
 */
public final class LineCutter {
    /** The longest line kept whole, in bytes. */
    public static final int DEFAULT_LIMIT = 16 * 1024;
    /** Ends a line that was cut; what followed, up to the next newline, was dropped. */
    public static final String MARKER = " … [line cut: longer than %d bytes, the rest dropped]";

    private final byte[] line;
    private final Consumer<String> sink;
    private int size;
    private boolean cutting;

    public LineCutter(int limit, Consumer<String> sink) {
        this.line = new byte[limit];
        this.sink = sink;
    }

    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (!cutting) emit(false);
                cutting = false;
                size = 0;
            } else if (!cutting) {
                if (size == line.length) {
                    emit(true);
                    cutting = true;
                    size = 0;
                } else {
                    line[size++] = c;
                }
            }
        }
    }

    /** Hands over a pending unfinished line, if any, as if a newline had come. */
    public void end() {
        if (!cutting && size > 0) emit(false);
        cutting = false;
        size = 0;
    }

    private void emit(boolean cut) {
        String text = new String(line, 0, size, StandardCharsets.UTF_8);
        sink.accept(cut ? text + String.format(MARKER, line.length) : text);
    }
}
