package io.forklift.manager;

import java.util.List;

/**
 * Python's {@code Manager().list()}, shared through Redis (a list of JSON values), as a {@link List}.
 * Each write is one script (atomic); {@code get} and {@code size} one command; iteration, equality
 * and {@code toString} read a snapshot in one command. Compound steps of several calls are not
 * atomic together, as in Python; {@link #reverse()} is one step.
 */
public interface SharedList<E> extends List<E>, SharedObject {
    /** {@code l.reverse()}, atomically. */
    void reverse();

    /** A fenced {@code append}: refused ({@link StaleFenceException}) once a newer fence of its lock was issued. */
    void add(E element, FencingToken fence);

    /** A fenced {@code l[index] = element}. */
    E set(int index, E element, FencingToken fence);

    /** A snapshot of the whole list, in one command. */
    List<E> snapshot();
}
