package io.forklift.manager;

import java.util.Map;
import java.util.NoSuchElementException;

/** Python's {@code Manager().Namespace()}: named attributes shared through Redis, values as JSON. */
public interface Namespace extends SharedObject {
    /** {@code ns.x = value}. */
    void set(String attribute, Object value);

    /** A fenced {@code ns.x = value}: refused ({@link StaleFenceException}) once a newer fence was issued. */
    void set(String attribute, Object value, FencingToken fence);

    /** {@code ns.x}, as JSON's own types; {@link NoSuchElementException} (Python's AttributeError) if unset. */
    Object get(String attribute);

    /** {@code ns.x}, read as {@code type}. */
    <T> T get(String attribute, Class<T> type);

    boolean has(String attribute);

    /** {@code del ns.x}; whether it was set. */
    boolean delete(String attribute);

    /** Every attribute, a snapshot. */
    Map<String, Object> toMap();
}
