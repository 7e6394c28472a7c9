package io.forklift.coordinator.http;

import static io.forklift.coordinator.http.HttpGuardsIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.Connection;
import io.forklift.manager.Manager;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
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
 * Pipes over HTTP against a real Redis and the real server: one end held by an HTTP caller that
 * renews its own hold, the other by this Java process; messages both ways, EOF both ways (a closed
 * end, a hold left to lapse), and clear 4xx answers to misuse and bad input.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpPipesIT {
    /** Short, so a lapse is quick; the store's Redis timeout is a third of it, as in HttpLocksIT. */
    static final Duration LEASE = Duration.ofSeconds(3);

    static final String Q = "/v1/managers/shop/objects/";

    static ObjectServer objects;

    @BeforeAll
    static void start(TestRedis test, @TempDir Path dir) throws Exception {
        objects = ObjectServer.start(test, dir, "pipes", Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        if (objects != null) objects.close();
    }

    @Test
    void anHttpEndAndAJavaEndCarryMessagesBothWays() throws Exception {
        JsonNode made = pipe("talk", true);
        assertEquals("pipe", made.get("kind").asText());
        assertTrue(made.get("duplex").asBoolean(), made.toString());
        JsonNode bound = ok(post("talk/bind", Map.of("end", "left", "holder", "py-1")));
        assertEquals("py-1", bound.get("holder").asText());
        assertEquals(LEASE.toMillis() / 1000.0, bound.get("lease").asDouble());
        try (Connection java = shop().connection("talk", "right")) {
            ok(post("talk/send", Map.of("end", "left", "holder", "py-1", "value", Map.of("url", "a", "n", 1))));
            assertEquals(Map.of("url", "a", "n", 1), java.recv());

            java.send(List.of("from", "java"));
            JsonNode got = ok(post("talk/recv", Map.of("end", "left", "holder", "py-1", "timeout", 10)));
            assertEquals("[\"from\",\"java\"]", got.get("value").toString());

            java.sendBytes("raw".getBytes(StandardCharsets.UTF_8));
            got = ok(post("talk/recv", Map.of("end", "left", "holder", "py-1", "timeout", 10)));
            assertEquals(
                    "raw",
                    new String(Base64.getDecoder().decode(got.get("bytes").asText()), StandardCharsets.UTF_8));
            String b64 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
            ok(post("talk/send", Map.of("end", "left", "holder", "py-1", "bytes", b64)));
            assertTrue(Arrays.equals(new byte[] {1, 2, 3}, java.recvBytes()));

            // a recv blocked over HTTP wakes when Java sends; how long a message takes each way
            for (int i = 0; i < 5; i++) {
                CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() ->
                        call(() -> post("talk/recv", Map.of("end", "left", "holder", "py-1", "timeout", 30))
                                .body()));
                while (objects.api().objectsWaiting() == 0) Thread.onSpinWait();
                long sent = System.nanoTime();
                java.send(i);
                assertEquals(i, waiting.get().get("value").asInt());
                long toHttp = System.nanoTime() - sent;
                sent = System.nanoTime();
                ok(post("talk/send", Map.of("end", "left", "holder", "py-1", "value", i)));
                assertEquals(i, java.recv());
                System.out.printf(
                        "Java send -> HTTP recv %.1f ms, HTTP send -> Java recv %.1f ms%n",
                        toHttp / 1e6, (System.nanoTime() - sent) / 1e6);
            }
            ok(post("talk/close", Map.of("end", "left", "holder", "py-1")));
            assertThrows(EOFException.class, java::recv, "the HTTP caller's close is Java's EOF");
            assertTrue(
                    ok(objects.http().get(Q + "talk")).get("closed").get("left").asBoolean());
        }
    }

    @Test
    void aRecvThatTimesOutIsA409EmptyAndPollSaysWhetherAMessageWaits() throws Exception {
        pipe("quiet", true);
        ok(post("quiet/bind", Map.of("end", "right", "holder", "h")));
        try (Connection java = shop().connection("quiet", "left")) {
            assertError(post("quiet/recv", Map.of("end", "right", "holder", "h", "timeout", 0.3)), 409, "empty");
            assertFalse(ok(post("quiet/poll", Map.of("end", "right", "holder", "h")))
                    .get("ready")
                    .asBoolean());
            assertFalse(ok(post("quiet/poll", Map.of("end", "right", "holder", "h", "timeout", 0.3)))
                    .get("ready")
                    .asBoolean());
            java.send("here");
            assertTrue(ok(post("quiet/poll", Map.of("end", "right", "holder", "h", "timeout", 5)))
                    .get("ready")
                    .asBoolean());
            assertEquals(
                    "here",
                    ok(post("quiet/recv", Map.of("end", "right", "holder", "h")))
                            .get("value")
                            .asText());
        }
    }

    @Test
    void anHttpHolderThatStopsRenewingLapsesAndTheJavaEndReadsEofWithinAboutALease() throws Exception {
        pipe("stall", true);
        Map<String, Object> hold = Map.of("end", "left", "holder", "paused");
        ok(post("stall/bind", hold));
        try (Connection java = shop().connection("stall", "right")) {
            // renewed for two leases, the end stays open
            long until = System.nanoTime() + 2 * LEASE.toNanos();
            while (System.nanoTime() < until) {
                assertTrue(ok(post("stall/renew", hold)).get("renewed").asBoolean());
                Thread.sleep(LEASE.toMillis() / 3);
            }
            assertFalse(java.poll(), "a renewed HTTP hold keeps its end open: no EOF, no message");
            long stopped = System.nanoTime();
            assertThrows(EOFException.class, java::recv);
            double waited = (System.nanoTime() - stopped) / 1e9;
            System.out.printf("Java's EOF after the HTTP holder stopped renewing: %.1f s (lease 3 s)%n", waited);
            assertTrue(waited < LEASE.toSeconds() + 5, "within about a lease: " + waited);
            assertError(post("stall/renew", hold), 409, "lost");
            IOException broken = assertThrows(IOException.class, () -> java.send("anyone?"));
            assertTrue(broken.getMessage().contains("broken pipe"), broken.getMessage());
        }
    }

    @Test
    void aClosedJavaEndIsA409EofOverHttpOnceWhatItSentIsReceived() throws Exception {
        pipe("bye", true);
        Map<String, Object> hold = Map.of("end", "right", "holder", "reader");
        ok(post("bye/bind", hold));
        Connection java = shop().connection("bye", "left");
        java.send("last words");
        java.close();
        assertEquals("last words", ok(post("bye/recv", hold)).get("value").asText());
        assertError(post("bye/recv", hold), 409, "eof");
        assertTrue(ok(post("bye/poll", hold)).get("ready").asBoolean(), "as Python's poll(): EOF is ready");
        assertError(post("bye/send", with(hold, "value", 1)), 409, "broken_pipe");
        assertError(post("bye/bind", Map.of("end", "left")), 409, "conflict");
    }

    @Test
    void aOneWayPipeRefusesTheWrongDirectionAndAHoldNeverBoundIsLost() throws Exception {
        assertFalse(pipe("oneway", false).get("duplex").asBoolean());
        ok(post("oneway/bind", Map.of("end", "left", "holder", "rx")));
        assertError(post("oneway/send", Map.of("end", "left", "holder", "rx", "value", 1)), 409, "read_only");
        assertError(post("oneway/recv", Map.of("end", "left", "holder", "stranger", "timeout", 1)), 409, "lost");
        assertError(post("oneway/renew", Map.of("end", "left", "holder", "stranger")), 409, "lost");
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        pipe("strict", true);
        expect400(post("strict/bind", Map.of()), "'end'");
        expect400(post("strict/bind", Map.of("end", "middle")), "'end'");
        expect400(post("strict/bind", Map.of("end", "left", "holder", "has spaces")), "'holder'");
        expect400(post("strict/send", Map.of("end", "left", "value", 1)), "'holder'");
        expect400(post("strict/send", Map.of("end", "left", "holder", "h")), "'value'");
        expect400(post("strict/send", Map.of("end", "left", "holder", "h", "bytes", "not base64!")), "'bytes'");
        expect400(post("strict/recv", Map.of("end", "left", "holder", "h", "timeout", "soon")), "'timeout'");
        expect400(objects.http().put(Q + "p2", Map.of("kind", "pipe", "duplex", "yes")), "'duplex'");
        expect400(objects.http().put(Q + "p3", Map.of("kind", "pipe", "lease", -1)), "'lease'");
        assertError(post("strict/acquire", Map.of()), 404, "no_such_call");
    }

    @Test
    void aReadOnlyTokenMayLookButNotBindSendOrRecv() throws Exception {
        pipe("shown", true);
        ok(post("shown/bind", Map.of("end", "left", "holder", "w")));
        Http reader = Http.to(
                objects.server().url(),
                objects.api().tokens().scoped(List.of(), List.of("shop/*"), true, Duration.ofHours(1)));
        assertEquals(200, reader.get(Q + "shown").status());
        for (String op : List.of("bind", "send", "recv", "renew", "close")) {
            Http.Answer a = reader.post(Q + "shown/" + op, Map.of("end", "left", "holder", "w", "value", 1));
            assertError(a, 403, "forbidden");
            assertEquals("write", a.body().get("scope").asText());
        }
    }

    static JsonNode pipe(String name, boolean duplex) throws Exception {
        return ok(objects.http()
                .put(Q + name, Map.of("kind", "pipe", "duplex", duplex, "lease", LEASE.toMillis() / 1000.0)));
    }

    static Http.Answer post(String path, Map<String, ?> body) throws Exception {
        return objects.http().post(Q + path, body);
    }

    static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
        Map<String, Object> out = new java.util.HashMap<>(m);
        out.put(k, v);
        return out;
    }

    static JsonNode ok(Http.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
        return a.body();
    }

    static Manager shop() {
        return objects.shop();
    }

    static <T> T call(java.util.concurrent.Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static void expect400(Http.Answer a, String field) {
        assertError(a, 400, "bad_request");
        assertTrue(a.body().get("message").asText().contains(field), a.body().toString());
    }
}
