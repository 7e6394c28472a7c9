package io.forklift.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.ForkliftProcess;
import io.forklift.coordinator.tasks.Chatty;
import io.forklift.coordinator.tasks.Sleepy;
import io.forklift.coordinator.tasks.Ticker;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes over HTTP on a real worker (a separate JVM; each Process in a fresh JVM of its own):
 * started, joined by long poll, their lines read, terminated; and one started by a Java client,
 * seen and terminated over HTTP.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpProcessesIT {
    static HttpApiIT.Cluster cluster;

    @BeforeAll
    static void start(TestRedis redis, @TempDir Path dir) throws Exception {
        // an idle timeout shorter than the waits below: a join or a lines wait is ended by its own time
        cluster = HttpApiIT.Cluster.start(
                redis, dir, "procs", HttpSettings.local(0).withIdleTimeout(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    static Http newClient() throws Exception {
        Http http = cluster.http();
        return http.as(http.post("/v1/clients", "").body().get("client").asText());
    }

    static JsonNode started(Http http, Map<String, Object> request) throws Exception {
        Http.Answer a = http.post("/v1/processes", request);
        assertEquals(201, a.status(), a.body().toString());
        return a.body();
    }

    static JsonNode join(Http http, String id, String timeout) throws Exception {
        Http.Answer a = http.get("/v1/processes/" + id + "/join?timeout=" + timeout);
        assertEquals(200, a.status(), a.body().toString());
        return a.body();
    }

    /** Every line the Process printed, read by long poll until the last came. */
    static List<String> lines(Http http, String id) throws Exception {
        List<String> got = new ArrayList<>();
        String after = "0-0";
        boolean ended = false;
        while (!ended) { // the class timeout catches a stream that never ends
            Http.Answer a = http.get("/v1/processes/" + id + "/lines?wait=PT5S&after=" + after);
            assertEquals(200, a.status(), a.body().toString());
            for (JsonNode l : a.body().get("lines"))
                got.add(l.get("stream").asText() + " " + l.get("text").asText());
            after = a.body().get("next").asText();
            ended = a.body().get("ended").asBoolean();
        }
        return got;
    }

    @Test
    void aProcessPrintingEvery200MsIsFollowedPromptlyByTwentyParkedReadersOnNoThreadEach() throws Exception {
        Http http = newClient();
        int readers = 20, ticks = 20;
        String id = started(http, Map.of("task", Ticker.class.getName(), "arg", ticks, "name", "ticker"))
                .get("id")
                .asText();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            List<Future<List<Long>>> follows = new ArrayList<>();
            for (int i = 0; i < readers; i++) follows.add(pool.submit(() -> delays(http, id)));
            long most = 0;
            while (!follows.stream().allMatch(Future::isDone)) {
                most = Math.max(most, cluster.api().objectsWaiting());
                assertTrue(
                        waitingThreads() <= Parking.TRY_THREADS,
                        "parked line readers hold no thread each: " + waitingThreads());
                Thread.sleep(20);
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : follows) {
                List<Long> one = f.get();
                assertEquals(ticks, one.size(), "every reader saw every line");
                all.addAll(one);
            }
            Collections.sort(all);
            long median = all.get(all.size() / 2), p90 = all.get(all.size() * 9 / 10);
            System.out.printf(
                    "%d readers following a line every 200 ms over HTTP: print -> answer median %d ms, p90 %d ms;"
                            + " at most %d parked at once%n",
                    readers, median, p90, most);
            assertTrue(most >= readers / 2, "the readers waited parked: at most " + most + " at once");
            // named on the ready channel as they are appended, not found by the 1 s fallback (median 500 ms)
            assertTrue(median < 400, "lines came " + median + " ms (median) after they were printed");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Follows Process {@code id}'s lines to its end: for each line, ms from its print to its answer. */
    static List<Long> delays(Http http, String id) throws Exception {
        List<Long> delays = new ArrayList<>();
        String after = "0-0";
        boolean ended = false;
        while (!ended) {
            Http.Answer a = http.get("/v1/processes/" + id + "/lines?wait=PT30S&after=" + after);
            long now = System.currentTimeMillis();
            assertEquals(200, a.status(), a.body().toString());
            for (JsonNode l : a.body().get("lines")) {
                String text = l.get("text").asText();
                if (text.contains(" at ")) delays.add(now - Long.parseLong(text.substring(text.lastIndexOf(' ') + 1)));
            }
            after = a.body().get("next").asText();
            ended = a.body().get("ended").asBoolean();
        }
        return delays;
    }

    /** This JVM's threads that object and Process waits run on: the old waiters' and the parked tries'. */
    static long waitingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("http-object-wait-")
                        || t.getName().startsWith("http-parked-try-"))
                .count();
    }

    @Test
    void aProcessStartedOverHttpPrintsItsLinesAndJoinsWithExitCode0() throws Exception {
        Http http = newClient();
        long t0 = System.nanoTime();
        JsonNode p = started(http, Map.of("task", Chatty.class.getName(), "arg", "bob", "name", "greeter"));
        assertEquals("greeter", p.get("name").asText());
        assertTrue(p.get("alive").asBoolean(), "alive once started, as Python's is_alive(): " + p);
        assertEquals(http.clientId(), p.get("client").asText());
        String id = p.get("id").asText();
        JsonNode ended = join(http, id, "PT60S");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("start -> join over HTTP: " + millis + " ms (a fresh JVM per Process)");
        assertEquals(0, ended.get("exitCode").asInt(), ended.toString());
        assertFalse(ended.get("alive").asBoolean());
        assertEquals("ended", ended.get("state").asText());
        List<String> lines = lines(http, id);
        String prefix = "(greeter pid=" + ended.get("pid").asLong() + " host="
                + ended.get("host").asText() + ") ";
        assertTrue(lines.contains("stdout " + prefix + "hello bob"), lines.toString());
        assertTrue(lines.contains("stderr " + prefix + "note for bob"), lines.toString());
        JsonNode listed = null;
        for (JsonNode e : http.get("/v1/processes?limit=200").body().get("processes"))
            if (e.get("id").asText().equals(id)) listed = e;
        assertEquals(
                Chatty.class.getName(),
                listed == null ? null : listed.get("task").asText(),
                "listed as recent");
        assertEquals(0, listed.get("exitCode").asInt());
    }

    @Test
    void aFailingProcessEndsWith1AndItsError() throws Exception {
        Http http = newClient();
        String id = started(http, Map.of("task", Chatty.class.getName(), "arg", "fail"))
                .get("id")
                .asText();
        JsonNode ended = join(http, id, "PT60S");
        assertEquals(1, ended.get("exitCode").asInt(), ended.toString());
        assertTrue(ended.get("error").asText().contains("asked to fail"), ended.toString());
        assertEquals("Chatty", ended.get("name").asText(), "named after its task when not named");
    }

    @Test
    void aJoinThatTimesOutSaysAliveEvenPastTheIdleTimeoutAndTerminateEndsItWithMinus15() throws Exception {
        Http http = newClient();
        String id = started(http, Map.of("task", Sleepy.class.getName(), "arg", 600_000L, "name", "sleeper"))
                .get("id")
                .asText();
        JsonNode waited = join(http, id, "PT5S"); // past the connection's idle timeout
        assertTrue(waited.get("alive").asBoolean(), waited.toString());
        assertTrue(waited.get("exitCode").isNull(), waited.toString());
        Http.Answer t = http.post("/v1/processes/" + id + "/terminate", "");
        assertEquals(200, t.status(), t.body().toString());
        JsonNode ended = join(http, id, "PT60S");
        assertEquals(-15, ended.get("exitCode").asInt(), ended.toString());
        assertFalse(ended.get("alive").asBoolean());
    }

    @Test
    void anUnknownTaskEndsWith1SayingItIsNotRegistered() throws Exception {
        Http http = newClient();
        String id = started(http, Map.of("task", "com.example.NoSuchTask"))
                .get("id")
                .asText();
        JsonNode ended = join(http, id, "PT60S");
        assertEquals(1, ended.get("exitCode").asInt(), ended.toString());
        assertTrue(ended.get("error").asText().contains("'com.example.NoSuchTask'"), ended.toString());
        assertTrue(ended.get("error").asText().contains("is not registered"), ended.toString());
    }

    @Test
    void badRequestsAreRefusedNamingWhatIsWrong() throws Exception {
        Http http = newClient();
        assertError(http.post("/v1/processes", Map.of("arg", 1)), 400, "task must be");
        assertError(http.post("/v1/processes", Map.of("task", 5)), 400, "field 'task'");
        assertError(
                http.post("/v1/processes", Map.of("task", Chatty.class.getName(), "daemon", true)),
                400,
                "daemon: a daemonic Process");
        assertError(http.post("/v1/processes", Map.of("task", Chatty.class.getName(), "name", " ")), 400, "name");
        assertError(http.get("/v1/processes/nosuch/join?timeout=PT1S"), 404, "no process nosuch");
        assertError(http.get("/v1/processes/nosuch/join?timeout=soon"), 400, "timeout must be");
        assertError(cluster.http().post("/v1/processes", Map.of("task", "x")), 400, "Forklift-Client");

        Tokens tokens = cluster.api().tokens();
        String url = cluster.server().url();
        String readOnly = tokens.scoped(List.of("_processes"), List.of(), true, Duration.ofHours(1));
        Http.Answer ro = Http.to(url, readOnly).post("/v1/processes", Map.of("task", Chatty.class.getName()));
        assertError(ro, 403, "read-only");
        String other = tokens.scoped(List.of("http"), List.of(), false, Duration.ofHours(1));
        Http outside = Http.to(url, other);
        assertError(outside.post("/v1/processes", Map.of("task", Chatty.class.getName())), 403, "_processes");
        assertError(outside.get("/v1/processes/x-1/join"), 403, "_processes");
        assertError(outside.get("/v1/processes/x-1/lines"), 403, "_processes");
    }

    @Test
    void aProcessStartedByAJavaClientIsSeenAndTerminatedOverHttp() throws Exception {
        try (Forklift fl = Forklift.connect(ForkliftOptions.of(cluster.uri())
                .withPrefix(cluster.prefix())
                .withAuthkey(cluster.key().authkey()))) {
            Http http = cluster.http();
            assertEquals(404, http.get("/v1/processes/nosuch").status());
            ForkliftProcess p =
                    fl.process(Sleepy.class, 600_000L).name("sleeper").start();
            Http.Answer a = http.get("/v1/processes/" + p.id());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (a.body().get("pid").isNull() && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the state as an HTTP caller would
                a = http.get("/v1/processes/" + p.id());
            }
            assertEquals(200, a.status());
            assertEquals("sleeper", a.body().get("name").asText());
            assertTrue(a.body().get("alive").asBoolean(), a.body().toString());
            assertEquals(p.pid().longValue(), a.body().get("pid").asLong());
            assertEquals(p.host(), a.body().get("host").asText());

            assertEquals(
                    15,
                    http.post("/v1/processes/" + p.id() + "/terminate", "")
                            .body()
                            .get("signal")
                            .asInt());
            assertTrue(p.join(Duration.ofSeconds(30)), "terminated over HTTP");
            Http.Answer ended = http.get("/v1/processes/" + p.id());
            assertEquals(-15, ended.body().get("exitCode").asInt(), ended.body().toString());
            assertFalse(ended.body().get("alive").asBoolean());
            assertEquals(-15, p.exitCode());
        }
    }

    static void assertError(Http.Answer a, int status, String says) {
        assertEquals(status, a.status(), a.body().toString());
        assertTrue(a.body().get("message").asText().contains(says), a.body().toString());
    }
}
