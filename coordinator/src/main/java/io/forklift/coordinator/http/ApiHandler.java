package io.forklift.coordinator.http;

import io.forklift.PayloadTooLargeException;
import io.forklift.RedisOutOfMemoryException;
import io.forklift.RedisUnavailableException;
import io.forklift.TaskRelay;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one Jetty handler: matches the route, checks the bearer token against what the route
 * asks ({@link Access}), reads a JSON body asynchronously within the size limit (a slow sender holds
 * no thread), runs the route's handler, and turns what it throws into a 4xx or 5xx JSON answer.
 * Nothing here keeps state per caller or per token, so bad tokens, however many, grow nothing.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Router router;
    private final Tokens tokens; // null: --http-insecure, nothing is checked
    private final long maxBody;
    private final AtomicLong refused = new AtomicLong();

    ApiHandler(Router router, Tokens tokens, long maxBody) {
        this.router = router;
        this.tokens = tokens;
        this.maxBody = maxBody;
    }

    /** Requests answered with a 4xx since start. */
    long refused() {
        return refused.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Exchange bare = new Exchange(request, response, callback, null, Map.of(), null);
        try {
            Router.Match match = router.match(request.getMethod(), Request.getPathInContext(request));
            Principal principal = authorize(request, match);
            long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > maxBody) throw tooLarge(declared);
            if (declared == 0 || !hasBody(request)) {
                run(new Exchange(request, response, callback, principal, match.params(), null), match);
                return true;
            }
            Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, maxBody))
                    .whenComplete((bytes, failure) -> {
                        if (failure != null) {
                            fail(bare, bodyFailure(failure));
                            return;
                        }
                        run(new Exchange(request, response, callback, principal, match.params(), bytes), match);
                    });
        } catch (RuntimeException e) {
            fail(bare, e);
        }
        return true;
    }

    private static boolean hasBody(Request request) {
        String m = request.getMethod();
        return m.equals("POST") || m.equals("PUT") || m.equals("PATCH") || m.equals("DELETE");
    }

    private void run(Exchange exchange, Router.Match match) {
        try {
            match.route().handler().handle(exchange);
        } catch (Exception e) {
            fail(exchange, e);
        }
    }

    /** The caller, checked against the route's access; null on a public route. */
    private Principal authorize(Request request, Router.Match match) {
        Access access = match.route().access();
        if (access.kind() == Access.Kind.PUBLIC) return null;
        String client = request.getHeaders().get("Forklift-Client");
        Principal p;
        if (tokens == null) {
            p = Principal.unchecked(null);
        } else {
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? auth.substring(7).strip()
                    : null;
            p = tokens.verify(token);
        }
        if (client != null) {
            try {
                TaskRelay.checkClient(client);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Forklift-Client: " + e.getMessage());
            }
            if (p.client() != null && !p.client().equals(client)) {
                throw ApiException.forbidden(
                        "client:" + client, "this token belongs to client " + p.client() + ", not " + client);
            }
            if (p.client() == null) p = p.withClient(client);
        }
        String name = scopeName(access, match.params());
        switch (access.kind()) {
            case READ_QUEUE -> p.readQueue(name);
            case WRITE_QUEUE -> p.writeQueue(name);
            case READ_OBJECT -> p.readObject(name);
            case WRITE_OBJECT -> p.writeObject(name);
            case CLUSTER -> p.requireCluster();
            default -> {}
        }
        return p;
    }

    /** The queue or object a route's access is about: {@code manager/object} joins two path parameters. */
    private static String scopeName(Access access, Map<String, String> params) {
        if (access.param() == null) return null;
        StringBuilder name = new StringBuilder();
        for (String part : access.param().split("/")) {
            if (name.length() > 0) name.append('/');
            name.append(params.get(part));
        }
        return name.toString();
    }

    /** The JSON body of an error answer: {@code error}, {@code message}, {@code status} and any details. */
    static Map<String, Object> errorBody(ApiException api) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", api.code());
        body.put("message", api.getMessage());
        body.put("status", api.status());
        body.putAll(api.details());
        return body;
    }

    private ApiException tooLarge(long bytes) {
        return new ApiException(
                413,
                "payload_too_large",
                "the body" + (bytes > 0 ? " (" + bytes + " bytes)" : "") + " is over this coordinator's limit of "
                        + maxBody + " bytes (--http-max-body)",
                Map.of("limit", maxBody));
    }

    private RuntimeException bodyFailure(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        String m = String.valueOf(t.getMessage());
        if (m.contains("too large") || m.contains("exceeds") || m.contains("max")) return tooLarge(-1);
        if (t instanceof java.util.concurrent.TimeoutException
                || m.contains("Timeout")
                || m.contains("timeout")
                || m.contains("rate")) {
            return new ApiException(
                    408, "request_timeout", "the body did not arrive in time (" + m + "); send it faster");
        }
        return ApiException.badRequest("the body could not be read: " + m);
    }

    /** Answers with the JSON error for {@code e}, unless the exchange was answered already. */
    void fail(Exchange exchange, Throwable e) {
        ApiException api = toApi(e);
        if (api.status() < 500) refused.incrementAndGet();
        Map<String, Object> body = errorBody(api);
        if (api.status() == 405 && api.details().get("allow") instanceof java.util.List<?> allow) {
            exchange.response()
                    .getHeaders()
                    .put(
                            HttpHeader.ALLOW,
                            String.join(
                                    ", ", allow.stream().map(String::valueOf).toList()));
        }
        if (api.status() == 401)
            exchange.response().getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"forklift\"");
        if (!exchange.answered()) exchange.json(api.status(), body);
    }

    static ApiException toApi(Throwable e) {
        if (e instanceof ApiException a) return a;
        if (e instanceof PayloadTooLargeException) return new ApiException(413, "payload_too_large", e.getMessage());
        if (e instanceof IllegalArgumentException) return ApiException.badRequest(e.getMessage());
        if (e instanceof RedisOutOfMemoryException) return new ApiException(507, "redis_out_of_memory", e.getMessage());
        if (e instanceof RedisUnavailableException) return new ApiException(503, "redis_unavailable", e.getMessage());
        log.error("an API request failed", e);
        return new ApiException(500, "internal_error", "the coordinator failed on this request: " + e);
    }
}
