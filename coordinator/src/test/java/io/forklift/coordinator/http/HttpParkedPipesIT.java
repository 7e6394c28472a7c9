package io.forklift.coordinator.http;

import static io.forklift.coordinator.http.HttpGuardsIT.assertError;
import static io.forklift.coordinator.http.HttpParkedCallsIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.CallerPipes;
import io.forklift.manager.Connection;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipe's recv and poll over HTTP are parked: hundreds of callers wait at one end on the few retry
 * threads, not on a thread each (the old waiters stopped at 256 and answered the rest 503); each
 * message is received once; the other end's close lets every caller still waiting through with EOF;
 * a timeout is still a 409 empty.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpParkedPipesIT {
    static final String Q = "/v1/managers/shop/objects/";
    static final int CALLERS = 300;
    static final int MESSAGES = 100;

    static ObjectServer objects;
    static HttpClient many;

    @BeforeAll
    static void start(TestRedis test, @TempDir Path dir) throws Exception {
        objects = ObjectServer.start(test, dir, "parked-pipes", Duration.ofSeconds(2));
        many = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (objects != null) objects.close();
    }

    @Test
    void threeHundredParkedRecvsEachTakeOneMessageAndTheRestSeeEofWhenTheOtherEndCloses() throws Exception {
        pipe("crowd");
        Map<String, Object> hold = Map.of("end", "left", "holder", "crowd");
        assertEquals(200, objects.http().post(Q + "crowd/bind", hold).status());
        Connection java = objects.shop().connection("crowd", "right");
        List<CompletableFuture<HttpResponse<String>>> recvs = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) recvs.add(postAsync("crowd/recv", Map.of("end", "left", "holder", "crowd")));
        await(Duration.ofSeconds(60), () -> objects.api().objectsWaiting() == CALLERS);
        assertTrue(
                waitingThreads() <= Parking.TRY_THREADS,
                CALLERS + " parked recvs hold no thread each: " + waitingThreads() + " waiter threads");

        for (int i = 0; i < MESSAGES; i++) java.send(i);
        await(
                Duration.ofSeconds(60),
                () -> recvs.stream().filter(CompletableFuture::isDone).count() == MESSAGES);
        long closed = System.nanoTime();
        java.close();
        Set<Integer> got = new HashSet<>();
        int eof = 0;
        for (CompletableFuture<HttpResponse<String>> r : recvs) {
            HttpResponse<String> a = r.get();
            JsonNode body = Json.MAPPER.readTree(a.body());
            if (a.statusCode() == 200) {
                assertTrue(got.add(body.get("value").asInt()), "one message, one caller: " + a.body());
            } else {
                assertEquals(409, a.statusCode(), a.body());
                assertEquals("eof", body.get("error").asText(), a.body());
                eof++;
            }
        }
        double eofSeconds = (System.nanoTime() - closed) / 1e9;
        System.out.printf("%d parked recvs let through with EOF %.2f s after the close%n", eof, eofSeconds);
        assertEquals(MESSAGES, got.size(), "every message received, each once");
        assertEquals(CALLERS - MESSAGES, eof);
        // the close names the end to every parked caller; the 1 s fallback alone would wake one a second
        assertTrue(eofSeconds < 30, "EOF reached the parked callers " + eofSeconds + " s after the close");
        await(Duration.ofSeconds(10), () -> objects.api().objectsWaiting() == 0);
    }

    @Test
    void aParkedRecvTimesOutAs409EmptyAndAParkedPollWakesOnASend() throws Exception {
        pipe("slow");
        Map<String, Object> hold = Map.of("end", "right", "holder", "h");
        assertEquals(200, objects.http().post(Q + "slow/bind", hold).status());
        try (Connection java = objects.shop().connection("slow", "left")) {
            long start = System.nanoTime();
            assertError(objects.http().post(Q + "slow/recv", with(hold, "timeout", 1.5)), 409, "empty");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(1400)) >= 0, "answered before its timeout: " + took);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered long after its timeout: " + took);

            CompletableFuture<HttpResponse<String>> poll = postAsync("slow/poll", with(hold, "timeout", 60));
            await(Duration.ofSeconds(30), () -> objects.api().objectsWaiting() == 1);
            assertFalse(poll.isDone());
            java.send("now");
            HttpResponse<String> ready = poll.get();
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(Json.MAPPER.readTree(ready.body()).get("ready").asBoolean(), ready.body());
            JsonNode got = Json.MAPPER.readTree(
                    postAsync("slow/recv", with(hold, "timeout", 5)).get().body());
            assertEquals("now", got.get("value").asText(), "a poll takes nothing");
        }
    }

    @Test
    void aMessageGivenBackIsReceivedNextInItsPlace() throws Exception {
        pipe("back");
        CallerPipes pipes = new CallerPipes(objects.shop());
        pipes.bind("back", "left", "h");
        try (Connection java = objects.shop().connection("back", "right")) {
            java.send("first");
            java.send("second");
            CallerPipes.Message taken = pipes.recv("back", "left", "h", Duration.ZERO);
            assertEquals("first", taken.value().asText());
            pipes.giveBack("back", "left", taken); // as for a caller that went away during its try
            assertEquals(
                    "first",
                    pipes.recv("back", "left", "h", Duration.ZERO).value().asText());
            assertEquals(
                    "second",
                    pipes.recv("back", "left", "h", Duration.ZERO).value().asText());
        }
    }

    /** Threads the coordinator runs object waits on: the old waiters' and the parked calls' tries. */
    private static long waitingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("http-object-wait-")
                        || t.getName().startsWith("http-parked-try-"))
                .count();
    }

    private static void pipe(String name) throws Exception {
        Http.Answer made = objects.http().put(Q + name, Map.of("kind", "pipe", "duplex", true, "lease", 120));
        assertEquals(200, made.status(), made.body().toString());
    }

    private static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
        Map<String, Object> out = new java.util.HashMap<>(m);
        out.put(k, v);
        return out;
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(String path, Object body) throws Exception {
        HttpRequest r = objects.http()
                .builder(Q + path)
                .timeout(Duration.ofSeconds(150))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                .build();
        return many.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }
}
