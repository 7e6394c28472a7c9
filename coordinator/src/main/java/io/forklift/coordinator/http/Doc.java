package io.forklift.coordinator.http;

import java.util.ArrayList;
import java.util.List;

/**
 * How one route is documented in {@code /openapi.json}: its tag and summary, its query parameters,
 * the schema of its JSON body (a name in {@link Schemas}), and its success status, schema and media type.
 */
public record Doc(
        String tag, String summary, List<Query> query, String body, int status, String response, String mediaType) {
    /** A query parameter: name, OpenAPI type ({@code string}, {@code integer}) and description. */
    public record Query(String name, String type, String description) {}

    public static Doc of(String tag, String summary) {
        return new Doc(tag, summary, List.of(), null, 200, null, "application/json");
    }

    public Doc query(String name, String type, String description) {
        List<Query> q = new ArrayList<>(query);
        q.add(new Query(name, type, description));
        return new Doc(tag, summary, List.copyOf(q), body, status, response, mediaType);
    }

    public Doc body(String schema) {
        return new Doc(tag, summary, query, schema, status, response, mediaType);
    }

    public Doc returns(int status, String schema) {
        return new Doc(tag, summary, query, body, status, schema, mediaType);
    }

    public Doc produces(String mediaType) {
        return new Doc(tag, summary, query, body, status, response, mediaType);
    }
}
