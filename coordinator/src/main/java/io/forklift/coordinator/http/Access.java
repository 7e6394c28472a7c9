package io.forklift.coordinator.http;

/**
 * What a route asks of the caller's token, checked by {@link ApiHandler} before the route runs.
 * {@code param} names the path parameter holding the queue or the object the scope is about.
 *
 * <p>Object scopes are carried by tokens and checked here already, for the Manager objects'
 * endpoints to come ({@code /v1/objects/{name}/…}): a resource that registers a route with
 * {@link #readObject} or {@link #writeObject} gets the check for nothing. A {@code param} of two names
 * joined by '/' ({@code manager/object}) checks the scope {@code <manager>/<object>}, as tokens name
 * objects ({@code shop/*}).
 */
public record Access(Kind kind, String param) {
    public enum Kind {
        /** No token needed: the page's static files and the OpenAPI document, which hold no data. */
        PUBLIC,
        /** Any valid token. */
        ANY,
        READ_QUEUE,
        WRITE_QUEUE,
        READ_OBJECT,
        WRITE_OBJECT,
        /** The cluster token only (minting tokens). */
        CLUSTER
    }

    public static final Access PUBLIC = new Access(Kind.PUBLIC, null);
    public static final Access ANY = new Access(Kind.ANY, null);
    public static final Access CLUSTER = new Access(Kind.CLUSTER, null);

    public static Access readQueue(String param) {
        return new Access(Kind.READ_QUEUE, param);
    }

    public static Access writeQueue(String param) {
        return new Access(Kind.WRITE_QUEUE, param);
    }

    public static Access readObject(String param) {
        return new Access(Kind.READ_OBJECT, param);
    }

    public static Access writeObject(String param) {
        return new Access(Kind.WRITE_OBJECT, param);
    }
}
