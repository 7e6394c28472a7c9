package io.forklift;

/** Test access to a client's package-private figures, for tests of other packages. */
public final class ClientProbe {
    private ClientProbe() {}

    /** Replies that callers of {@code apply} popped on their own thread. */
    public static long repliesReadByCallers(Forklift fl) {
        return fl.repliesReadByCallers();
    }
}
