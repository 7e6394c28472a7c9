package io.forklift.manager;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.forklift.redis.Keys;
import java.util.Objects;

/**
 * How a shared object travels, as plain JSON: {@code {"manager":"shop","name":"urls","kind":"queue"}}
 * (a pipe end adds {@code "end":"left"} or {@code "right"}). No class name ever travels: the type a
 * task declares for its argument decides which proxy it becomes, and the kind must match it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectRef(String manager, String name, String kind, String end) {
    public ObjectRef {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (end != null && !end.equals("left") && !end.equals("right"))
            throw new IllegalArgumentException("a pipe end is 'left' or 'right', not '" + end + "'");
    }

    public static ObjectRef of(String manager, String name, ObjectKind kind) {
        return new ObjectRef(manager, name, kind.wire(), null);
    }

    /** The same object's pipe end {@code side}. */
    public ObjectRef withEnd(String side) {
        return new ObjectRef(manager, name, kind, side);
    }

    /** Throws, naming the rule, if {@code name} cannot name a manager or an object. */
    static String checkName(String what, String name) {
        try {
            return Keys.checkQueue(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    what + " name '" + name + "' must be 1-100 characters of letters, digits, '.', '_' or '-'");
        }
    }

    @Override
    public String toString() {
        return kind + " '" + name + "' of manager '" + manager + "'" + (end == null ? "" : " (" + end + " end)");
    }
}
