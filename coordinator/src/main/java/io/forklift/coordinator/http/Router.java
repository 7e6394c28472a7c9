package io.forklift.coordinator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's routes: method, path template ({@code /v1/queues/{queue}/tasks}), what the caller's
 * token must allow ({@link Access}), how the route is documented ({@link Doc}, from which
 * {@link OpenApi} writes {@code /openapi.json}) and its handler. Each family of endpoints is one
 * {@link Resource} that registers its routes; a new family (the Manager objects' {@code /v1/objects},
 * processes) is one more class given to {@link Api}, nothing else changes.
 */
public final class Router {
    /** A family of endpoints (tasks, results, status, …): registers its routes. */
    public interface Resource {
        void register(Router router);
    }

    /** Handles one matched request; throws {@link ApiException} (or IllegalArgumentException: 400) to refuse it. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    /** One route, with its template compiled. */
    public record Route(
            String method,
            String template,
            Access access,
            Doc doc,
            Handler handler,
            Pattern pattern,
            List<String> params) {}

    /** A request matched to a route, with its path parameters. */
    public record Match(Route route, Map<String, String> params) {}

    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");
    private final List<Route> routes = new ArrayList<>();

    public Router add(Resource resource) {
        resource.register(this);
        return this;
    }

    public Router get(String template, Access access, Doc doc, Handler handler) {
        return route("GET", template, access, doc, handler);
    }

    public Router post(String template, Access access, Doc doc, Handler handler) {
        return route("POST", template, access, doc, handler);
    }

    public Router delete(String template, Access access, Doc doc, Handler handler) {
        return route("DELETE", template, access, doc, handler);
    }

    public synchronized Router route(String method, String template, Access access, Doc doc, Handler handler) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        if (access.param() != null && !names.containsAll(List.of(access.param().split("/")))) {
            throw new IllegalArgumentException(
                    template + ": its access names {" + access.param() + "}, which it lacks");
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.template().equals(template))
                throw new IllegalArgumentException(method + " " + template + " is registered twice");
        }
        routes.add(new Route(
                method, template, access, doc, handler, Pattern.compile(regex.toString()), List.copyOf(names)));
        return this;
    }

    /** Every route, in the order registered. */
    public synchronized List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * The route for {@code method} and {@code path}; a 404 when no template matches the path, a 405
     * naming the allowed methods when one does for another method. Literal routes win over templated
     * ones registered before them ({@code /v1/results/stream} over {@code /v1/results/{id}}).
     */
    public Match match(String method, String path) {
        List<String> allowed = new ArrayList<>();
        Match best = null;
        for (Route r : routes()) {
            Matcher m = r.pattern().matcher(path);
            if (!m.matches()) continue;
            if (!r.method().equals(method)
                    && !("HEAD".equals(method) && r.method().equals("GET"))) {
                allowed.add(r.method());
                continue;
            }
            if (best != null && best.route().params().size() <= r.params().size()) continue;
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < r.params().size(); i++) {
                params.put(
                        r.params().get(i),
                        java.net.URLDecoder.decode(m.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
            best = new Match(r, params);
        }
        if (best != null) return best;
        if (!allowed.isEmpty()) {
            throw new ApiException(
                    405,
                    "method_not_allowed",
                    method + " is not allowed on " + path + "; use " + String.join(" or ", allowed),
                    Map.of("allow", allowed));
        }
        throw ApiException.notFound("no endpoint at " + path + " (GET /openapi.json lists them)");
    }
}
