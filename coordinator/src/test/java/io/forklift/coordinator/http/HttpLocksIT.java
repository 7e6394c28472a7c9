package io.forklift.coordinator.http;

import static io.forklift.coordinator.http.HttpGuardsIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.Held;
import io.forklift.manager.Manager;
import io.forklift.manager.SharedLock;
import io.forklift.manager.SharedValue;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks, semaphores and barriers over HTTP against a real Redis and the real server, shared with Java
 * holders: a hold is named by its holder id and lives only as long as its caller renews it; a
 * lapsed hold's fenced writes are refused; misuse and bad input are clear 4xx answers.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpLocksIT {
    /** Short, so a lapse is quick; the store's Redis timeout is a third of it (a lease needs 3 renewals' worth); less fails on a loaded machine. */
    static final Duration LEASE = Duration.ofSeconds(3);

    static ObjectServer objects;

    @BeforeAll
    static void start(TestRedis test, @TempDir Path dir) throws Exception {
        objects = ObjectServer.start(test, dir, "locks", Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        if (objects != null) objects.close();
    }

    static final String Q = "/v1/managers/shop/objects/";

    static JsonNode ok(Http.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
        return a.body();
    }

    static JsonNode lock(String name) throws Exception {
        return ok(http().put(Q + name, Map.of("kind", "lock", "lease", LEASE.toMillis() / 1000.0)));
    }

    static JsonNode acquire(String name, Map<String, Object> args) throws Exception {
        return ok(http().post(Q + name + "/acquire", args));
    }

    @Test
    void anAcquireAnswersAHoldWithAFenceAndItsReleaseFreesTheLock() throws Exception {
        assertFalse(lock("door").get("locked").asBoolean());
        JsonNode h = acquire("door", Map.of("holder", "py-1"));
        assertTrue(h.get("acquired").asBoolean(), h.toString());
        assertEquals("py-1", h.get("holder").asText());
        assertTrue(h.get("fence").asLong() > 0);
        assertEquals(LEASE.toMillis() / 1000.0, h.get("lease").asDouble());
        assertTrue(h.get("expiresAt").asLong() > System.currentTimeMillis());
        assertTrue(ok(http().get(Q + "door")).get("locked").asBoolean());
        assertFalse(acquire("door", Map.of("block", false)).get("acquired").asBoolean());
        assertFalse(shop().lock("door").tryAcquire(), "Java sees the HTTP caller's hold");

        JsonNode r = ok(http().post(Q + "door/release", Map.of("holder", "py-1", "fence", h.get("fence"))));
        assertTrue(r.get("released").asBoolean());
        assertFalse(ok(http().get(Q + "door")).get("locked").asBoolean());
        JsonNode fresh = acquire("door", Map.of("block", false));
        assertTrue(fresh.get("holder").asText().startsWith("http-"), "a holder id is made when none is given");
        assertTrue(fresh.get("fence").asLong() > h.get("fence").asLong());
        ok(http().post(Q + "door/release", Map.of("holder", fresh.get("holder"), "fence", fresh.get("fence"))));
    }

    @Test
    void aSecondAcquireWithATimeoutWaitsAndGetsTheLockOnceTheFirstReleases() throws Exception {
        lock("gate");
        JsonNode first = acquire("gate", Map.of("holder", "first"));
        CompletableFuture<JsonNode> second = CompletableFuture.supplyAsync(
                () -> call(() -> acquire("gate", Map.of("holder", "second", "timeout", 30))));
        while (objects.api().objectsWaiting() == 0) Thread.onSpinWait();
        Thread.sleep(300); // the second is in line, and stays there while the first holds
        assertFalse(second.isDone());
        long released = System.nanoTime();
        ok(http().post(Q + "gate/release", Map.of("holder", "first", "fence", first.get("fence"))));
        JsonNode got = second.get();
        System.out.printf("hand-off over HTTP: %.1f ms%n", (System.nanoTime() - released) / 1e6);
        assertTrue(got.get("acquired").asBoolean(), got.toString());
        assertEquals("second", got.get("holder").asText());
        assertTrue(got.get("fence").asLong() > first.get("fence").asLong());
        // and a wait that runs out answers acquired: false, as Python's acquire(timeout=…) returns False
        JsonNode late = acquire("gate", Map.of("holder", "third", "timeout", 0.3));
        assertFalse(late.get("acquired").asBoolean(), late.toString());
    }

    @Test
    void aHoldNotRenewedLapsesWithinAboutALeaseAndTheWaiterGetsItWithAHigherFence() throws Exception {
        lock("stall");
        JsonNode stale = acquire("stall", Map.of("holder", "paused"));
        long start = System.nanoTime();
        JsonNode next = acquire("stall", Map.of("holder", "next", "timeout", 30));
        double waited = (System.nanoTime() - start) / 1e9;
        assertTrue(next.get("acquired").asBoolean(), next.toString());
        assertTrue(next.get("fence").asLong() > stale.get("fence").asLong());
        assertTrue(waited < LEASE.toSeconds() + 5, "the lapsed hold freed the lock within about a lease: " + waited);
        Map<String, Object> old = Map.of("holder", "paused", "fence", stale.get("fence"));
        assertError(http().post(Q + "stall/renew", old), 409, "lost");
        assertError(http().post(Q + "stall/release", old), 409, "not_held");
    }

    @Test
    void aHoldRenewedWithinEachLeaseIsKeptPastIt() throws Exception {
        lock("kept");
        JsonNode h = acquire("kept", Map.of("holder", "renewer"));
        Map<String, Object> mine = Map.of("holder", "renewer", "fence", h.get("fence"));
        long end = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
        while (System.nanoTime() < end) {
            assertTrue(ok(http().post(Q + "kept/renew", mine)).get("renewed").asBoolean());
            Thread.sleep(LEASE.toMillis() / 4);
        }
        assertFalse(acquire("kept", Map.of("block", false)).get("acquired").asBoolean(), "still held");
        assertTrue(ok(http().post(Q + "kept/release", mine)).get("released").asBoolean());
    }

    @Test
    void aLapsedHoldersFencedWriteIsRefusedAndTheNewHoldersIsNot() throws Exception {
        lock("sale");
        ok(http().put(Q + "tickets", Map.of("kind", "value", "initial", 20)));
        JsonNode a = acquire("sale", Map.of("holder", "buyer-a"));
        Map<String, Object> fenceA = Map.of("lock", "sale", "token", a.get("fence"));
        ok(http().post(Q + "tickets/set", Map.of("value", 19, "fence", fenceA)));
        // buyer-a stops renewing (paused); a Java buyer gets the lock once the hold lapses
        SharedLock java = shop().lock("sale");
        SharedValue<Integer> tickets = shop().value("tickets", 0);
        try (Held held = java.hold()) {
            assertTrue(held.fence().token() > a.get("fence").asLong());
            tickets.set(18, held.fence());
            Http.Answer late = http().post(Q + "tickets/set", Map.of("value", 0, "fence", fenceA));
            assertError(late, 409, "stale_fence");
            assertEquals(held.fence().token(), late.body().get("newest").asLong());
            assertError(http().post(Q + "tickets/add", Map.of("delta", -1, "fence", fenceA)), 409, "stale_fence");
        }
        assertEquals(18, tickets.get(), "the stale writes changed nothing");
        // and over HTTP the other way: a Java holder's stale fence loses to an HTTP holder's
        JsonNode b = acquire("sale", Map.of("holder", "buyer-b"));
        Map<String, Object> fenceB = Map.of("lock", "shop/sale", "token", b.get("fence"));
        assertEquals(
                17,
                ok(http().post(Q + "tickets/add", Map.of("delta", -1, "fence", fenceB)))
                        .get("value")
                        .asInt());
        ok(http().post(Q + "sale/release", Map.of("holder", "buyer-b", "fence", b.get("fence"))));
        try (Held held = java.hold()) {
            assertError(http().post(Q + "tickets/set", Map.of("value", 1, "fence", fenceB)), 409, "stale_fence");
            tickets.set(16, held.fence());
        }
        assertEquals(16, tickets.get());
        assertTrue(ok(http().post(Q + "tickets/set", Map.of("value", 15))).isObject(), "unfenced writes still land");
        assertEquals(15, tickets.get());
        try (Held held = java.hold()) {
            tickets.set(14, held.fence()); // the newest holder's write lands
        }
        assertEquals(14, tickets.get());
    }

    @Test
    void releasingALockOneDoesNotHoldIsAClear409() throws Exception {
        lock("mine");
        JsonNode h = acquire("mine", Map.of("holder", "owner"));
        Http.Answer other = http().post(Q + "mine/release", Map.of("holder", "intruder", "fence", h.get("fence")));
        assertError(other, 409, "not_held");
        assertTrue(
                other.body().get("message").asText().contains("intruder"),
                other.body().toString());
        assertError(
                http().post(
                                Q + "mine/release",
                                Map.of(
                                        "holder",
                                        "owner",
                                        "fence",
                                        h.get("fence").asLong() + 1)),
                409,
                "not_held");
        assertTrue(ok(http().get(Q + "mine")).get("locked").asBoolean(), "the owner still holds it");
        ok(http().post(Q + "mine/release", Map.of("holder", "owner", "fence", h.get("fence"))));
        assertError(
                http().post(Q + "mine/release", Map.of("holder", "owner", "fence", h.get("fence"))), 409, "not_held");
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        lock("strict");
        ok(http().put(Q + "count", Map.of("kind", "value", "initial", 0)));
        expect400(http().post(Q + "strict/acquire", Map.of("timeout", "soon")), "'timeout'");
        expect400(http().post(Q + "strict/acquire", Map.of("holder", "has spaces")), "'holder'");
        expect400(http().post(Q + "strict/acquire", Map.of("block", "no")), "'block'");
        expect400(http().post(Q + "strict/release", Map.of("fence", 1)), "'holder'");
        expect400(http().post(Q + "strict/release", Map.of("holder", "x")), "'fence'");
        expect400(http().post(Q + "strict/renew", Map.of("holder", "x", "fence", "one")), "'fence'");
        expect400(http().post(Q + "count/set", Map.of("value", 1, "fence", 3)), "'fence'");
        expect400(http().post(Q + "count/set", Map.of("value", 1, "fence", Map.of("lock", "strict"))), "'fence.token'");
        expect400(http().put(Q + "short", Map.of("kind", "lock", "lease", -1)), "'lease'");
        expect400(http().put(Q + "sem", Map.of("kind", "semaphore", "value", "two")), "'value'");
        assertError(http().post(Q + "strict/join", Map.of()), 404, "no_such_call");
    }

    @Test
    void aReadOnlyTokenMayLookButNotAcquire() throws Exception {
        lock("shown");
        Http reader = Http.to(
                objects.server().url(),
                objects.api().tokens().scoped(List.of(), List.of("shop/*"), true, Duration.ofHours(1)));
        assertEquals(200, reader.get(Q + "shown").status());
        for (String op : List.of("acquire", "renew", "release")) {
            Http.Answer a = reader.post(Q + "shown/" + op, Map.of("holder", "r", "fence", 1));
            assertError(a, 403, "forbidden");
            assertEquals("write", a.body().get("scope").asText());
        }
    }

    @Test
    void anRLockIsReenteredByItsHolderAndSemaphoresCountPermits() throws Exception {
        ok(http().put(Q + "re", Map.of("kind", "rlock")));
        JsonNode one = acquire("re", Map.of("holder", "h"));
        JsonNode two = acquire("re", Map.of("holder", "h"));
        assertEquals(2, two.get("count").asInt());
        assertEquals(one.get("fence"), two.get("fence"));
        Map<String, Object> h = Map.of("holder", "h", "fence", one.get("fence"));
        assertEquals(1, ok(http().post(Q + "re/release", h)).get("count").asInt());
        assertEquals(0, ok(http().post(Q + "re/release", h)).get("count").asInt());

        assertEquals(
                2,
                ok(http().put(Q + "slots", Map.of("kind", "bounded_semaphore", "value", 2)))
                        .get("value")
                        .asInt());
        JsonNode a = acquire("slots", Map.of("block", false));
        JsonNode b = acquire("slots", Map.of("block", false));
        assertTrue(a.get("acquired").asBoolean() && b.get("acquired").asBoolean());
        assertFalse(acquire("slots", Map.of("block", false)).get("acquired").asBoolean());
        assertEquals(0, shop().boundedSemaphore("slots", 2).availablePermits());
        ok(http().post(Q + "slots/release", Map.of("holder", a.get("holder"), "fence", a.get("fence"))));
        ok(http().post(Q + "slots/release", Map.of("holder", b.get("holder"), "fence", b.get("fence"))));
        assertError(http().post(Q + "slots/release", Map.of()), 409, "conflict");
        ok(http().put(Q + "free", Map.of("kind", "semaphore", "value", 1)));
        ok(http().post(Q + "free/release", Map.of()));
        assertEquals(2, ok(http().get(Q + "free")).get("value").asInt(), "a semaphore released by none gains a permit");
    }

    @Test
    void aBarrierLetsHttpAndJavaPartiesPassTogetherAndAWaitThatTimesOutBreaksIt() throws Exception {
        assertEquals(
                3,
                ok(http().put(Q + "start", Map.of("kind", "barrier", "parties", 3)))
                        .get("parties")
                        .asInt());
        List<CompletableFuture<JsonNode>> http2 = List.of(
                CompletableFuture.supplyAsync(() ->
                        call(() -> ok(http().post(Q + "start/wait", Map.of("timeout", 30))))),
                CompletableFuture.supplyAsync(() ->
                        call(() -> ok(http().post(Q + "start/wait", Map.of("timeout", 30))))));
        while (ok(http().get(Q + "start")).get("n_waiting").asInt() < 2) Thread.sleep(20);
        int fromJava = shop().barrier("start", 3).await(Duration.ofSeconds(30));
        Set<Integer> indexes = new TreeSet<>(List.of(fromJava));
        for (CompletableFuture<JsonNode> f : http2)
            indexes.add(f.get().get("index").asInt());
        assertEquals(Set.of(0, 1, 2), indexes, "each party got its own arrival index");

        assertError(http().post(Q + "start/wait", Map.of("timeout", 0.3)), 409, "broken");
        assertTrue(ok(http().get(Q + "start")).get("broken").asBoolean(), "a wait that timed out broke it for all");
        assertError(http().post(Q + "start/wait", Map.of("timeout", 5)), 409, "broken");
        ok(http().post(Q + "start/reset", Map.of()));
        assertFalse(ok(http().get(Q + "start")).get("broken").asBoolean());
        expect400(http().put(Q + "nobody", Map.of("kind", "barrier")), "'parties'");
    }

    @Test
    void aConditionWaitGivesUpTheHoldAndAnswersHoldingTheLockAgainWithANewFence() throws Exception {
        lock("cv");
        JsonNode w = acquire("cv", Map.of("holder", "waiter"));
        CompletableFuture<JsonNode> woken = CompletableFuture.supplyAsync(() -> call(() -> ok(http().post(
                        Q + "cv/wait",
                        Map.of("holder", "waiter", "fence", w.get("fence"), "condition", "ready", "timeout", 30)))));
        // the waiter gave the lock up: a Java holder takes it and notifies, over HTTP
        SharedLock java = shop().lock("cv");
        try (Held held = java.hold()) {
            assertFalse(woken.isDone(), "the waiter waits for a notify");
            assertError(
                    http().post(Q + "cv/notify", Map.of("holder", "waiter", "fence", w.get("fence"))), 409, "not_held");
            shop().condition(java, "ready").signal();
        }
        JsonNode got = woken.get();
        assertTrue(got.get("notified").asBoolean(), got.toString());
        assertTrue(got.get("fence").asLong() > w.get("fence").asLong(), "a new hold, a new fence");
        assertTrue(ok(http().get(Q + "cv")).get("locked").asBoolean(), "it answers holding the lock");
        Map<String, Object> again = Map.of("holder", "waiter", "fence", got.get("fence"), "condition", "ready");
        assertEquals(
                0, ok(http().post(Q + "cv/notify_all", again)).get("notified").asInt());
        JsonNode late =
                ok(http().post(Q + "cv/wait", Map.of("holder", "waiter", "fence", got.get("fence"), "timeout", 0.3)));
        assertFalse(late.get("notified").asBoolean(), "a wait that times out says so, holding the lock again");
        ok(http().post(Q + "cv/release", Map.of("holder", "waiter", "fence", late.get("fence"))));
        assertError(
                http().post(Q + "cv/wait", Map.of("holder", "waiter", "fence", late.get("fence"), "timeout", 1)),
                409,
                "not_held");
    }

    @Test
    void acquireAndReleaseRoundTripsPerSecond() throws Exception {
        lock("fast");
        int n = 300;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            JsonNode h = acquire("fast", Map.of("holder", "loop", "block", false));
            ok(http().post(Q + "fast/release", Map.of("holder", "loop", "fence", h.get("fence"))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ok(http().put(Q + "plain", Map.of("kind", "value", "initial", 0)));
        long plain = System.nanoTime();
        for (int i = 0; i < 2 * n; i++) ok(http().post(Q + "plain/get", Map.of()));
        double plainSeconds = (System.nanoTime() - plain) / 1e9;
        System.out.printf(
                "acquire+release over HTTP: %.0f pairs/s (%d in %.2f s); for comparison a Value's get: %.0f calls/s%n",
                n / seconds, n, seconds, 2 * n / plainSeconds);
    }

    static Http http() {
        return objects.http();
    }

    static Manager shop() {
        return objects.shop();
    }

    private static void expect400(Http.Answer a, String field) {
        assertError(a, 400, "bad_request");
        assertTrue(a.body().get("message").asText().contains(field), field + " named in: " + a.body());
    }

    /** A blocking call for another thread: what it throws as unchecked. */
    static <T> T call(ObjectRoutes.Checked<T> c) {
        try {
            return c.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
