package io.forklift;

import com.fasterxml.jackson.databind.JavaType;
import io.forklift.wire.Json;
import java.util.concurrent.ConcurrentHashMap;

/** The argument and result types of a task class ({@code A} and {@code R} of {@code Task<A, R>}), for JSON conversion. */
public final class TaskTypes {
    private static final ConcurrentHashMap<Class<?>, JavaType[]> CACHE = new ConcurrentHashMap<>();

    private TaskTypes() {}

    /** {@code [A, R]}; {@code Object} where the class leaves them open. */
    public static JavaType[] of(Class<?> taskClass) {
        return CACHE.computeIfAbsent(taskClass, c -> {
            JavaType[] found = Json.MAPPER.getTypeFactory().findTypeParameters(c, Task.class);
            JavaType object = Json.MAPPER.constructType(Object.class);
            return new JavaType[] {found.length > 0 ? found[0] : object, found.length > 1 ? found[1] : object};
        });
    }
}
