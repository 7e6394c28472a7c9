package io.forklift.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.Manager;
import io.forklift.manager.SharedMap;
import io.forklift.manager.SharedQueue;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Manager objects over HTTP against a real Redis and the real server: what an HTTP caller puts
 * a Java proxy of the same object gets, and back; Python's outcomes (Empty, Full, KeyError) and bad
 * input as clear 4xx answers; object scopes of tokens.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpObjectsIT {
    static ObjectServer objects;
    static Api api;
    static HttpServer server;
    static Manager shop;
    static Http http;

    @BeforeAll
    static void start(TestRedis test, @TempDir Path dir) throws Exception {
        objects = ObjectServer.start(test, dir, "objects", Duration.ofSeconds(2));
        api = objects.api();
        server = objects.server();
        shop = objects.shop();
        http = objects.http();
    }

    @AfterAll
    static void stop() {
        if (objects != null) objects.close();
    }

    static final String Q = "/v1/managers/shop/objects/";

    @Test
    void aQueueIsOneQueueForHttpAndJava() throws Exception {
        Http.Answer made = http.put(Q + "urls", Map.of("kind", "queue", "maxsize", 2));
        assertEquals(200, made.status(), made.body().toString());
        assertEquals(2, made.body().get("maxsize").asInt());
        SharedQueue<Object> java = shop.queue("urls");

        assertEquals(
                200,
                http.post(Q + "urls/put", Map.of("value", Map.of("url", "http://a/")))
                        .status());
        assertEquals(Map.of("url", "http://a/"), java.get(Duration.ofSeconds(5)));
        java.put(List.of(1, "two"));
        assertEquals(
                "[1,\"two\"]",
                http.post(Q + "urls/get", Map.of("timeout", 5))
                        .body()
                        .get("value")
                        .toString());

        http.post(Q + "urls/put_nowait", Map.of("value", 1));
        http.post(Q + "urls/put_nowait", Map.of("value", 2));
        HttpGuardsIT.assertError(http.post(Q + "urls/put_nowait", Map.of("value", 3)), 409, "full");
        assertEquals(2, http.get(Q + "urls").body().get("qsize").asInt());
        assertEquals(1, http.post(Q + "urls/get_nowait", "").body().get("value").asInt());
        assertEquals(2, http.post(Q + "urls/get", Map.of()).body().get("value").asInt());
        HttpGuardsIT.assertError(http.post(Q + "urls/get", Map.of("timeout", 0.2)), 409, "empty");

        // a blocked HTTP get is answered by a Java put
        CompletableFuture<Http.Answer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return http.post(Q + "urls/get", Map.of("timeout", 30));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (api.objectsWaiting() == 0) Thread.onSpinWait();
        java.put("late");
        assertEquals("late", waiting.get().body().get("value").asText());
    }

    @Test
    void dictListValueNamespaceArrayEvent() throws Exception {
        http.put(Q + "prices", Map.of("kind", "dict"));
        http.post(Q + "prices/set", Map.of("key", 1, "value", "one"));
        http.post(Q + "prices/set", Map.of("key", "1", "value", List.of(1)));
        SharedMap<Object, Object> d = shop.dict("prices");
        assertEquals("one", d.get(1));
        assertEquals(List.of(1), d.get("1"));
        assertEquals(
                "one",
                http.post(Q + "prices/get", Map.of("key", 1))
                        .body()
                        .get("value")
                        .asText());
        HttpGuardsIT.assertError(http.post(Q + "prices/get", Map.of("key", 2)), 404, "no_key");
        assertEquals(
                7,
                http.post(Q + "prices/get", Map.of("key", 2, "default", 7))
                        .body()
                        .get("value")
                        .asInt());
        assertEquals(
                "[[1,\"one\"],[\"1\",[1]]]",
                http.get(Q + "prices").body().get("items").toString());

        http.put(Q + "seen", Map.of("kind", "list", "initial", List.of(1, 2)));
        http.post(Q + "seen/append", Map.of("value", 3));
        http.post(Q + "seen/reverse", Map.of());
        assertEquals(List.of(3, 2, 1), shop.list("seen"));
        HttpGuardsIT.assertError(http.post(Q + "seen/get", Map.of("index", 9)), 400, "bad_index");

        http.put(Q + "count", Map.of("kind", "value", "initial", 0));
        shop.value("count", 0).addAndGet(2);
        assertEquals(
                7,
                http.post(Q + "count/add", Map.of("delta", 5))
                        .body()
                        .get("value")
                        .asInt());
        assertTrue(http.post(Q + "count/compare_and_set", Map.of("expect", 7, "update", 8))
                .body()
                .get("swapped")
                .asBoolean());
        assertEquals(8, http.get(Q + "count").body().get("value").asInt());
        shop.delete("count"); // by Java, behind the API's back: its cached proxy is stale
        HttpGuardsIT.assertError(http.post(Q + "count/get", Map.of()), 404, "no_object");
        shop.dict("count").put("k", 1); // made again as another kind
        assertEquals(1, http.post(Q + "count/len", Map.of()).body().get("len").asInt());

        http.put(Q + "ns", Map.of("kind", "namespace"));
        http.post(Q + "ns/set", Map.of("name", "x", "value", 10));
        assertEquals(10, shop.namespace("ns").get("x"));
        http.put(Q + "arr", Map.of("kind", "array", "typecode", "i", "size", 3));
        http.post(Q + "arr/set", Map.of("index", 1, "value", 4));
        assertEquals("[0,4,0]", http.get(Q + "arr").body().get("items").toString());
        HttpGuardsIT.assertError(http.post(Q + "arr/set", Map.of("index", 1, "value", 1.5)), 400, "bad_request");

        http.put(Q + "go", Map.of("kind", "event"));
        assertEquals(
                false,
                http.post(Q + "go/wait", Map.of("timeout", 0.1))
                        .body()
                        .get("set")
                        .asBoolean());
        shop.event("go").set();
        assertEquals(
                true,
                http.post(Q + "go/wait", Map.of("timeout", 5)).body().get("set").asBoolean());

        JsonNode listed = http.get("/v1/managers/shop/objects").body().get("objects");
        assertTrue(listed.toString().contains("\"name\":\"prices\",\"kind\":\"dict\""), listed.toString());
        assertEquals(true, http.delete(Q + "ns").body().get("deleted").asBoolean());
        HttpGuardsIT.assertError(http.get(Q + "ns"), 404, "no_object");
    }

    @Test
    void badCallsAreClearAnswers() throws Exception {
        http.put(Q + "jobs", Map.of("kind", "queue"));
        HttpGuardsIT.assertError(http.put(Q + "jobs", Map.of("kind", "dict")), 409, "wrong_kind");
        HttpGuardsIT.assertError(http.put(Q + "x", Map.of("kind", "teapot")), 400, "bad_request");
        HttpGuardsIT.assertError(http.put(Q + "x", Map.of()), 400, "bad_request");
        Http.Answer noCall = http.post(Q + "jobs/frobnicate", Map.of());
        HttpGuardsIT.assertError(noCall, 404, "no_such_call");
        assertTrue(
                noCall.body().get("message").asText().contains("put, put_nowait, get"),
                noCall.body().toString());
        HttpGuardsIT.assertError(http.post(Q + "jobs/put", Map.of()), 400, "bad_request");
        HttpGuardsIT.assertError(http.post(Q + "jobs/get", Map.of("timeout", "soon")), 400, "bad_request");
        HttpGuardsIT.assertError(http.post(Q + "jobs/get", Map.of("timeout", 3600)), 400, "bad_request");
        HttpGuardsIT.assertError(http.post(Q + "jobs/get", "[1,"), 400, "bad_request");
        HttpGuardsIT.assertError(http.post(Q + "nothing/get", Map.of()), 404, "no_object");
        HttpGuardsIT.assertError(http.get("/v1/managers/bad name/objects/x".replace(" ", "%20")), 400, "bad_request");
    }

    @Test
    void tokensScopeObjects() throws Exception {
        http.put(Q + "stock", Map.of("kind", "queue"));
        http.put("/v1/managers/other/objects/secret", Map.of("kind", "dict"));
        Http reader =
                Http.to(server.url(), api.tokens().scoped(List.of(), List.of("shop/*"), true, Duration.ofHours(1)));
        assertEquals(200, reader.get(Q + "stock").status());
        assertEquals(200, reader.post(Q + "stock/qsize", Map.of()).status());
        Http.Answer write = reader.post(Q + "stock/put", Map.of("value", 1));
        HttpGuardsIT.assertError(write, 403, "forbidden");
        assertEquals("write", write.body().get("scope").asText());
        Http.Answer other = reader.get("/v1/managers/other/objects/secret");
        HttpGuardsIT.assertError(other, 403, "forbidden");
        assertEquals("object:other/secret", other.body().get("scope").asText());
        HttpGuardsIT.assertError(Http.to(server.url(), null).get(Q + "stock"), 401, "unauthorized");
        assertEquals(
                0,
                reader.get("/v1/managers/other/objects").body().get("objects").size());
    }

    @Test
    void theOpenApiDocumentHasTheObjectRoutesAndEverySchemaItNames() throws Exception {
        JsonNode doc = Http.to(server.url(), null).get("/openapi.json").body();
        for (String path : List.of(
                "/v1/managers/{manager}/objects",
                "/v1/managers/{manager}/objects/{object}",
                "/v1/managers/{manager}/objects/{object}/{op}")) {
            assertTrue(doc.get("paths").has(path), path + " is documented");
        }
        assertTrue(
                doc.get("paths").get("/v1/managers/{manager}/objects/{object}").has("put"));
        java.util.regex.Matcher ref =
                java.util.regex.Pattern.compile("#/components/schemas/(\\w+)").matcher(doc.toString());
        int refs = 0;
        while (ref.find()) {
            refs++;
            assertTrue(doc.get("components").get("schemas").has(ref.group(1)), ref.group(1) + " is defined");
        }
        assertTrue(refs > 20, "the document names its schemas: " + refs);
    }
}
