package io.forklift.manager;

import java.util.Locale;

/** The kinds of shared object a {@link Manager} makes; {@link #wire()} is the name stored in Redis and in references. */
public enum ObjectKind {
    QUEUE("Queue"),
    JOINABLE("JoinableQueue"),
    PIPE("Pipe"),
    DICT("dict"),
    LIST("list"),
    NAMESPACE("Namespace"),
    VALUE("Value"),
    ARRAY("Array"),
    EVENT("Event"),
    LOCK("Lock"),
    RLOCK("RLock"),
    SEMAPHORE("Semaphore"),
    BOUNDED_SEMAPHORE("BoundedSemaphore"),
    BARRIER("Barrier");

    private final String python;

    ObjectKind(String python) {
        this.python = python;
    }

    /** The kind's name in Redis and on the wire: {@code queue}, {@code joinable}, {@code pipe}… */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name of the same object in Python's multiprocessing, for messages. */
    public String python() {
        return python;
    }

    /** The kind stored as {@code wire}; throws naming the kinds there are. */
    public static ObjectKind of(String wire) {
        for (ObjectKind k : values()) {
            if (k.wire().equals(wire)) return k;
        }
        throw new IllegalArgumentException(
                "'" + wire + "' is not a kind of shared object; kinds: queue, joinable, "
                        + "pipe, dict, list, namespace, value, array, event, lock, rlock, semaphore, bounded_semaphore, barrier");
    }
}
