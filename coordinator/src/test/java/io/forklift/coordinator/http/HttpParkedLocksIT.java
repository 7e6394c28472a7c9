package io.forklift.coordinator.http;

import static io.forklift.coordinator.http.HttpParkedCallsIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.ForkliftOptions;
import io.forklift.daemon.LocalAuthkey;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.ObjectKeys;
import io.forklift.redis.ObjectReads;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Json;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock acquires, condition waits and barrier waits parked over HTTP, with no thread each: a thousand
 * acquirers wait on one coordinator without growing its threads, and each is granted in the order
 * it joined the line; a timeout answers {@code acquired: false} and leaves the line; a client that
 * hangs up leaves the line at once, so the next waiter is granted on release, not a lease later; a
 * holder that stops renewing is reaped for a parked waiter; hundreds of barrier parties all pass.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpParkedLocksIT {
    static final String Q = "/v1/managers/shop/objects/";
    static ObjectServer objects;
    static ObjectReads reads;
    static HttpClient many;

    @BeforeAll
    static void start(TestRedis test, @TempDir Path dir) throws Exception {
        // as `forklift coordinator`: a 2 s Redis timeout (so leases of 6 s or more), waits of up to 5 min
        String prefix = test.prefix("parked-locks");
        LocalAuthkey key = LocalAuthkey.create(dir);
        Redis redis = Redis.connect(test.uri(), prefix, Duration.ofSeconds(2), 32);
        ObjectStore store = ObjectStore.connect(
                test.uri(), prefix, Duration.ofSeconds(2), ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES);
        Api api = new Api(redis, "parked-locks", key.authkey(), Duration.ofHours(1), Duration.ofMinutes(5), store);
        HttpServer server = HttpServer.start(api, HttpSettings.local(0));
        Http http = Http.to(server.url(), api.tokens().clusterToken());
        objects = new ObjectServer(redis, store, api, server, store.manager("shop"), http);
        reads = new ObjectReads(objects.redis());
        many = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (objects != null) objects.close();
    }

    @Test
    void aThousandParkedAcquirersTakeNoThreadEachAndAreGrantedInLineOrder() throws Exception {
        ok(objects.http().put(Q + "crowd", Map.of("kind", "lock", "lease", 30)));
        JsonNode first = ok(objects.http().post(Q + "crowd/acquire", Map.of("holder", "first")));
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        Map<String, CompletableFuture<HttpResponse<String>>> calls = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            calls.put("c" + i, post(Q + "crowd/acquire", Map.of("holder", "c" + i, "timeout", 240)));
        }
        ObjectKeys keys = objects.redis().keys().object("shop", "crowd");
        HttpParkedCallsIT.awaitCalls(
                Duration.ofSeconds(120), () -> reads.llen(keys.line()) == 1000, "1,000 in the line", calls.values());
        await(Duration.ofSeconds(30), () -> objects.api().objectsWaiting() == 1000);
        int threadsParked = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.printf("threads: %d before, %d with 1,000 acquirers parked%n", threadsBefore, threadsParked);
        // bounded by Jetty's request threads (64 at most) and the 16 retry threads, however many wait
        assertTrue(
                threadsParked - threadsBefore <= 100,
                "1,000 parked acquirers grew the threads from " + threadsBefore + " to " + threadsParked);
        assertEquals(
                0,
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("http-object-wait"))
                        .count(),
                "no acquirer waits on a thread of its own");
        List<String> order = new ArrayList<>();
        for (String waiter : reads.lrange(keys.line(), 0, -1))
            order.add(reads.hget(keys.waiting(), waiter).split(" ")[0]);

        String holder = "first";
        long fence = first.get("fence").asLong();
        for (String next : order) {
            ok(objects.http().post(Q + "crowd/release", Map.of("holder", holder, "fence", fence)));
            HttpResponse<String> r = calls.remove(next).get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode got = Json.MAPPER.readTree(r.body());
            assertTrue(got.get("acquired").asBoolean(), r.body());
            assertEquals(next, got.get("holder").asText());
            assertTrue(got.get("fence").asLong() > fence, "each grant has a larger fence");
            holder = next;
            fence = got.get("fence").asLong();
            assertTrue(
                    calls.values().stream().noneMatch(CompletableFuture::isDone),
                    "a waiter further back was answered out of turn");
        }
        ok(objects.http().post(Q + "crowd/release", Map.of("holder", holder, "fence", fence)));
        await(Duration.ofSeconds(10), () -> objects.api().objectsWaiting() == 0);
    }

    @Test
    void aTimeoutAnswersNotAcquiredAndLeavesTheLine() throws Exception {
        ok(objects.http().put(Q + "busy", Map.of("kind", "lock", "lease", 30)));
        ok(objects.http().post(Q + "busy/acquire", Map.of("holder", "keeper")));
        long start = System.nanoTime();
        JsonNode r = ok(objects.http().post(Q + "busy/acquire", Map.of("holder", "late", "timeout", 1.5)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertFalse(r.get("acquired").asBoolean(), r.toString());
        assertTrue(took.compareTo(Duration.ofMillis(1400)) >= 0, "answered before its timeout: " + took);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered long after its timeout: " + took);
        ObjectKeys keys = objects.redis().keys().object("shop", "busy");
        assertEquals(0, reads.llen(keys.line()), "the timed-out waiter left the line");
        assertEquals(0, reads.hlen(keys.waiting()));
    }

    @Test
    void aClientThatHangsUpLeavesTheLineSoTheNextIsGrantedOnReleaseNotALeaseLater() throws Exception {
        ok(objects.http().put(Q + "door", Map.of("kind", "lock", "lease", 30)));
        JsonNode held = ok(objects.http().post(Q + "door/acquire", Map.of("holder", "keeper")));
        ObjectKeys keys = objects.redis().keys().object("shop", "door");
        CompletableFuture<HttpResponse<String>> next;
        try (Socket gone = rawAcquire("door", "gone")) {
            await(Duration.ofSeconds(30), () -> reads.llen(keys.line()) == 1);
            next = post(Q + "door/acquire", Map.of("holder", "next", "timeout", 60));
            await(Duration.ofSeconds(30), () -> reads.llen(keys.line()) == 2);
        }
        await(Duration.ofSeconds(10), () -> reads.llen(keys.line()) == 1);
        assertEquals(
                "next", reads.hget(keys.waiting(), reads.lindex(keys.line(), 0)).split(" ")[0]);
        long released = System.nanoTime();
        ok(objects.http().post(Q + "door/release", Map.of("holder", "keeper", "fence", held.get("fence"))));
        HttpResponse<String> r = next.get(20, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - released);
        JsonNode got = Json.MAPPER.readTree(r.body());
        assertTrue(got.get("acquired").asBoolean(), r.body());
        assertEquals("next", got.get("holder").asText());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "granted a lease after the release: " + took);
        assertEquals(0, reads.hlen(keys.waiting()), "nothing of the hung-up client is left in the line");
    }

    @Test
    void aHolderThatStopsRenewingIsReapedForAParkedWaiter() throws Exception {
        ok(objects.http().put(Q + "lapse", Map.of("kind", "lock", "lease", 6)));
        JsonNode dead = ok(objects.http().post(Q + "lapse/acquire", Map.of("holder", "silent")));
        JsonNode got = ok(objects.http().post(Q + "lapse/acquire", Map.of("holder", "patient", "timeout", 30)));
        assertTrue(got.get("acquired").asBoolean(), got.toString());
        assertTrue(got.get("fence").asLong() > dead.get("fence").asLong());
    }

    @Test
    void aConditionWaitParksAndComesBackHoldingTheLock() throws Exception {
        ok(objects.http().put(Q + "cv", Map.of("kind", "lock", "lease", 30)));
        JsonNode h = ok(objects.http().post(Q + "cv/acquire", Map.of("holder", "waiter")));
        CompletableFuture<HttpResponse<String>> wait =
                post(Q + "cv/wait", Map.of("holder", "waiter", "fence", h.get("fence"), "timeout", 60));
        await(Duration.ofSeconds(30), () -> objects.api().objectsWaiting() == 1);
        JsonNode n = ok(objects.http().post(Q + "cv/acquire", Map.of("holder", "notifier", "timeout", 10)));
        assertTrue(n.get("acquired").asBoolean(), "the wait gave the lock up");
        assertEquals(
                1,
                ok(objects.http().post(Q + "cv/notify", Map.of("holder", "notifier", "fence", n.get("fence"))))
                        .get("notified")
                        .asInt());
        assertFalse(wait.isDone(), "woken only once the notifier releases");
        ok(objects.http().post(Q + "cv/release", Map.of("holder", "notifier", "fence", n.get("fence"))));
        HttpResponse<String> r = wait.get(20, TimeUnit.SECONDS);
        JsonNode w = Json.MAPPER.readTree(r.body());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(w.get("notified").asBoolean(), r.body());
        assertTrue(w.get("fence").asLong() > n.get("fence").asLong());
        ok(objects.http().post(Q + "cv/release", Map.of("holder", "waiter", "fence", w.get("fence"))));
    }

    @Test
    void threeHundredParkedBarrierPartiesAllPassWithDistinctIndices() throws Exception {
        ok(objects.http().put(Q + "gate", Map.of("kind", "barrier", "parties", 301)));
        List<CompletableFuture<HttpResponse<String>>> parties = new ArrayList<>();
        for (int i = 0; i < 300; i++) parties.add(post(Q + "gate/wait", Map.of("timeout", 120)));
        ObjectKeys keys = objects.redis().keys().object("shop", "gate");
        HttpParkedCallsIT.awaitCalls(
                Duration.ofSeconds(60), () -> reads.llen(keys.line()) == 300, "300 in the line", parties);
        assertEquals(
                0,
                ok(objects.http().post(Q + "gate/wait", Map.of("timeout", 10)))
                        .get("index")
                        .asInt());
        Set<Integer> indices = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> p : parties) {
            HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            indices.add(Json.MAPPER.readTree(r.body()).get("index").asInt());
        }
        assertEquals(300, indices.size(), "every party got its own index");
    }

    /** An acquire sent on a raw socket, so the test can hang up mid-wait. */
    private static Socket rawAcquire(String lock, String holder) throws Exception {
        URI url = URI.create(objects.server().url());
        byte[] body = ("{\"holder\": \"" + holder + "\", \"timeout\": 60}").getBytes(StandardCharsets.UTF_8);
        Socket s = new Socket(url.getHost(), url.getPort());
        OutputStream out = s.getOutputStream();
        out.write(("POST " + Q + lock + "/acquire HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + objects.api().tokens().clusterToken() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        return s;
    }

    private static CompletableFuture<HttpResponse<String>> post(String path, Object body) throws Exception {
        HttpRequest r = objects.http()
                .builder(path)
                .timeout(Duration.ofSeconds(280))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                .build();
        return many.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(Http.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
        return a.body();
    }
}
