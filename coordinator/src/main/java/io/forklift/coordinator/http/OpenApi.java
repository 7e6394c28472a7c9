package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forklift.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 document of the routes a {@link Router} holds, written from their {@link Doc}s and
 * the schemas in {@code schemas.json}, so it cannot name a route the server lacks or miss one it has;
 * HttpObjectsIT checks every schema it refers to exists, HttpApiIT that every route answers.
 */
final class OpenApi {
    private OpenApi() {}

    static ObjectNode document(Router router, String version) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Forklift coordinator API");
        info.put("version", version);
        info.put(
                "description",
                "Python's multiprocessing Pool, distributed over Redis: submit tasks, read results, "
                        + "watch the cluster, handle dead letters. Every /v1 call needs 'Authorization: Bearer <token>'.");
        ObjectNode paths = doc.putObject("paths");
        for (Router.Route r : router.routes()) {
            ObjectNode path =
                    paths.has(r.template()) ? (ObjectNode) paths.get(r.template()) : paths.putObject(r.template());
            path.set(r.method().toLowerCase(java.util.Locale.ROOT), operation(r));
        }
        ObjectNode components = doc.putObject("components");
        components.set("schemas", schemas());
        ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("description", "the cluster token (forklift token cluster) or a scoped one (forklift token create)");
        return doc;
    }

    private static ObjectNode operation(Router.Route r) {
        Doc d = r.doc();
        ObjectNode op = Json.MAPPER.createObjectNode();
        op.putArray("tags").add(d.tag());
        op.put("summary", d.summary());
        op.put("operationId", operationId(r));
        ArrayNode params = op.putArray("parameters");
        for (String p : r.params()) params.add(param(p, "path", "string", null, true));
        for (Doc.Query q : d.query()) params.add(param(q.name(), "query", q.type(), q.description(), false));
        if (r.access().kind() != Access.Kind.PUBLIC) {
            params.add(param(
                    "Forklift-Client",
                    "header",
                    "string",
                    "the client id a cluster-token caller acts as (POST /v1/clients issues one)",
                    false));
            op.putArray("security").addObject().putArray("bearer");
        } else {
            op.putArray("security");
        }
        if (d.body() != null) {
            op.putObject("requestBody")
                    .put("required", true)
                    .putObject("content")
                    .putObject("application/json")
                    .set("schema", ref(d.body()));
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(Integer.toString(d.status()));
        ok.put("description", "success");
        ObjectNode media = ok.putObject("content").putObject(d.mediaType());
        if (d.response() != null) media.set("schema", ref(d.response()));
        else media.putObject("schema").put("type", "string");
        for (int status : new int[] {400, 401, 403, 404, 413, 503}) {
            if (r.access().kind() == Access.Kind.PUBLIC && (status == 401 || status == 403)) continue;
            ObjectNode e = responses.putObject(Integer.toString(status));
            e.put(
                    "description",
                    switch (status) {
                        case 400 -> "bad input: malformed JSON, wrong types, bad parameters";
                        case 401 -> "no token, or one that is not valid here";
                        case 403 -> "the token lacks a scope; 'scope' names it";
                        case 404 -> "no such endpoint or task";
                        case 413 -> "the body is over the limit";
                        default -> "Redis is unreachable";
                    });
            e.putObject("content").putObject("application/json").set("schema", ref("Error"));
        }
        return op;
    }

    private static String operationId(Router.Route r) {
        StringBuilder id = new StringBuilder(r.method().toLowerCase(java.util.Locale.ROOT));
        for (String part : r.template().split("[/{}]+")) {
            if (part.isEmpty() || part.equals("v1")) continue;
            id.append(Character.toUpperCase(part.charAt(0)))
                    .append(part.substring(1).replace(".", ""));
        }
        return id.toString();
    }

    private static ObjectNode param(String name, String in, String type, String description, boolean required) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("name", name);
        p.put("in", in);
        p.put("required", required);
        if (description != null) p.put("description", description);
        p.putObject("schema").put("type", type);
        return p;
    }

    private static ObjectNode ref(String schema) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("$ref", "#/components/schemas/" + schema);
        return r;
    }

    static JsonNode schemas() {
        try (InputStream in = OpenApi.class.getResourceAsStream("schemas.json")) {
            if (in == null) throw new IllegalStateException("schemas.json is missing from the coordinator's jar");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
