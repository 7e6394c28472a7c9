package io.forklift.manager;

import java.util.List;

/** Python's {@code Manager().Array(typecode, size)}: a fixed-length array of numbers shared through Redis. */
public interface SharedArray extends SharedObject {
    ArrayType type();

    /** {@code len(a)}. */
    int length();

    /** {@code a[i]}, as the type's boxed number (Integer for INT…). */
    Number get(int index);

    /** {@code a[i] = v}; {@link IllegalArgumentException} if {@code v} does not fit the type. */
    void set(int index, Number value);

    /** {@code a[i] += delta}, atomically; {@link ArithmeticException} (nothing written) if the result does not fit. */
    Number addAndGet(int index, Number delta);

    /** {@code a[:]}, a snapshot. */
    List<Number> toList();
}
