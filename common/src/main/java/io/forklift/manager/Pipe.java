package io.forklift.manager;

/**
 * Python's {@code Pipe(duplex)}: two {@link Connection}s, {@link #left()} and {@link #right()}.
 * Duplex, both ends send and receive; one-way ({@code duplex} false), as in Python, the left end
 * only receives and the right end only sends. Pass an end to a task as its argument.
 */
public final class Pipe {
    private final Connection left;
    private final Connection right;

    Pipe(Connection left, Connection right) {
        this.left = left;
        this.right = right;
    }

    /** Python's {@code conn1}: the receive end of a one-way pipe. */
    public Connection left() {
        return left;
    }

    /** Python's {@code conn2}: the send end of a one-way pipe. */
    public Connection right() {
        return right;
    }
}
