package io.forklift.manager;

import java.io.IOException;

/**
 * A pipe call refused for a reason the caller can act on, named by {@link #code()}: {@code
 * broken_pipe} (the other end is closed; Python's BrokenPipeError), {@code lost} (this hold was
 * closed or lapsed), {@code read_only} or {@code write_only} (the wrong end of a one-way pipe).
 */
public final class PipeRefusedException extends IOException {
    private final String code;

    public PipeRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
