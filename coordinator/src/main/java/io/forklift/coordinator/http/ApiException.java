package io.forklift.coordinator.http;

import java.util.Map;

/**
 * A request the API answers with a 4xx or 5xx status and a JSON body {@code {"error": code,
 * "message": …, "status": n}} plus any {@code details} (such as the scope a 403 lacked). Handlers
 * throw it; {@link ApiHandler} writes it.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false); // an answer, not a fault: no stack trace
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** 403 naming the scope the caller's token lacks. */
    public static ApiException forbidden(String scope, String message) {
        return new ApiException(403, "forbidden", message, Map.of("scope", scope));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
