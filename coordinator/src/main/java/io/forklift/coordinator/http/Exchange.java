package io.forklift.coordinator.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.forklift.wire.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request as a handler sees it: its caller, path and query parameters, its JSON body (already
 * read, within the size limit), and ways to answer it once. A handler that answers later (a
 * long poll, an event stream) keeps the exchange and answers from another thread.
 */
public final class Exchange {
    /**
     * Forklift's mapper, refusing the scalar coercions Jackson allows by default, so {@code "task": 5}
     * or {@code "timeoutMs": "soon"} is a 400 naming the field rather than a guess.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT = strict();

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Principal principal;
    private final Map<String, String> params;
    private final byte[] body;
    private final AtomicBoolean answered = new AtomicBoolean();
    private Fields query;

    Exchange(
            Request request,
            Response response,
            Callback callback,
            Principal principal,
            Map<String, String> params,
            byte[] body) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.principal = principal;
        this.params = params;
        this.body = body;
    }

    /** The caller; null on a public route. */
    public Principal principal() {
        return principal;
    }

    public String param(String name) {
        String v = params.get(name);
        if (v == null) throw new IllegalStateException("route has no path parameter " + name);
        return v;
    }

    /** A query parameter; null when absent. */
    public String query(String name) {
        if (query == null) query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        return query.getValue(name);
    }

    /** An ISO-8601 duration from the query ({@code PT30S}), or a number of seconds; bounded by {@code max}. */
    public Duration duration(String name, Duration otherwise, Duration max) {
        String v = query(name);
        if (v == null || v.isEmpty()) return otherwise;
        Duration d;
        try {
            d = v.matches("\\d{1,9}(\\.\\d{1,3})?")
                    ? Duration.ofMillis((long) (Double.parseDouble(v) * 1000))
                    : Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    name + " must be an ISO-8601 duration such as PT30S, or seconds, got '" + v + "'");
        }
        if (d.isNegative() || d.compareTo(max) > 0) {
            throw ApiException.badRequest(name + " must be between 0 and " + max + ", got " + v);
        }
        return d;
    }

    public int integer(String name, int otherwise, int min, int max) {
        String v = query(name);
        if (v == null || v.isEmpty()) return otherwise;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException notANumber) {
            // the message below says what is expected
        }
        throw ApiException.badRequest(
                name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    /** The body read as {@code type}: a 400 naming what is wrong when it is not JSON or has the wrong shape. */
    public <T> T body(Class<T> type) {
        if (body == null || body.length == 0) throw ApiException.badRequest("this request needs a JSON body");
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) throw ApiException.badRequest("the body must be a JSON object, not null");
            return value;
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty()
                    ? "the body"
                    : "field '" + e.getPathReference().replaceAll(".*\\[\"?|\"?]$", "") + "'";
            throw ApiException.badRequest(field + " has the wrong type: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body cannot be read: " + e.getMessage());
        }
    }

    private static com.fasterxml.jackson.databind.ObjectMapper strict() {
        var m = Json.MAPPER.copy();
        m.configure(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        var fail = com.fasterxml.jackson.databind.cfg.CoercionAction.Fail;
        for (var type : new com.fasterxml.jackson.databind.type.LogicalType[] {
            com.fasterxml.jackson.databind.type.LogicalType.Textual,
            com.fasterxml.jackson.databind.type.LogicalType.Integer,
            com.fasterxml.jackson.databind.type.LogicalType.Float,
            com.fasterxml.jackson.databind.type.LogicalType.Boolean
        }) {
            m.coercionConfigFor(type)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String, fail);
        }
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
                .setCoercion(
                        com.fasterxml.jackson.databind.cfg.CoercionInputShape.String,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Integer)
                .setCoercion(
                        com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Float)
                .setCoercion(
                        com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert)
                .setCoercion(
                        com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Boolean)
                .setCoercion(
                        com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert);
        return m;
    }

    public JsonNode bodyTree() {
        return body(JsonNode.class);
    }

    public boolean hasBody() {
        return body != null && body.length > 0;
    }

    /** Answers with {@code value} as JSON. */
    public void json(int status, Object value) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a response as JSON", e);
        }
        send(status, "application/json", bytes);
    }

    /** Answers with {@code bytes} of {@code contentType}; false if this exchange was answered already. */
    public boolean send(int status, String contentType, byte[] bytes) {
        if (!answered.compareAndSet(false, true)) return false;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    /** Whether the exchange was answered (or taken over as a stream). */
    public boolean answered() {
        return answered.get();
    }

    /** Takes the exchange over for a stream the caller writes itself; false if it was answered already. */
    boolean takeOver() {
        return answered.compareAndSet(false, true);
    }

    public Request request() {
        return request;
    }

    public Response response() {
        return response;
    }

    public Callback callback() {
        return callback;
    }
}
