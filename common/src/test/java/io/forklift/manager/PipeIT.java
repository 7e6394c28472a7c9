package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Json;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pipes against a real Redis: duplex and one-way, bytes, EOF after a close, and after a holder dies. */
@ExtendWith(RedisExtension.class)
class PipeIT {
    private Forklift fl;
    private Forklift other;
    private Manager m;

    @BeforeEach
    void connect(TestRedis redis, TestInfo test) {
        ForkliftOptions options = ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix(test.getDisplayName()));
        fl = Forklift.connect(options);
        other = Forklift.connect(options); // another "process": its own store and holds
        m = fl.manager("p").withLease(Duration.ofMillis(600));
    }

    @AfterEach
    void close() {
        other.close();
        fl.close();
    }

    @Test
    void duplexExchangeThenEndOfStreamOnceDrained() throws Exception {
        Pipe p = m.pipe("talk", true);
        Connection left = p.left();
        Connection right = p.right();
        left.send(Arrays.asList(42, null, "hello"));
        assertTrue(right.poll(Duration.ofMillis(100)));
        assertEquals(Arrays.asList(42, null, "hello"), right.recv());
        assertFalse(right.poll(Duration.ofMillis(50)));
        right.send("from son");
        assertEquals("from son", left.recv(String.class));
        left.sendBytes(new byte[] {1, 2, 3});
        left.send("last");
        left.close();
        assertArrayEquals(new byte[] {1, 2, 3}, right.recvBytes(10));
        assertEquals("last", right.recv());
        assertThrows(EOFException.class, right::recv);
        assertTrue(right.poll(), "poll says a recv would not block at the end of the stream");
        assertThrows(IOException.class, () -> right.send("to nobody"));
        assertThrows(IOException.class, () -> left.send("closed here"));
    }

    @Test
    void aBlockedRecvWakesAtTheCloseOfTheOtherEnd() throws Exception {
        Pipe p = m.pipe("wake", true);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                p.right().recv();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertFalse(reader.isDone());
        p.left().close();
        assertTrue(reader.get(5, TimeUnit.SECONDS) instanceof EOFException);
    }

    @Test
    void oneWayPipesRefuseTheWrongDirection() throws Exception {
        Pipe p = m.pipe("oneway", false);
        assertFalse(p.left().isWritable());
        assertFalse(p.right().isReadable());
        IOException e = assertThrows(IOException.class, () -> p.left().send("x"));
        assertTrue(e.getMessage().contains("receive end"), e.getMessage());
        assertThrows(IOException.class, () -> p.right().recv());
        p.right().send("ok");
        assertEquals("ok", p.left().recv());
    }

    @Test
    void anEndHeldByAProcessThatDiesClosesWithinOneLease() throws Exception {
        Pipe p = m.pipe("lease", true);
        // Another process binds the right end, as a task's child does when it gets it as an argument.
        ObjectStore theirStore = other.manager("p").store();
        Connection theirs = (Connection) theirStore.bind(p.right().ref(), Json.MAPPER.constructType(Connection.class));
        p.right().close(); // this process's copy: the other process holds the right end alone now
        theirs.send("before dying");
        theirStore.holds.close(); // dies: its holds are no longer renewed
        long t0 = System.nanoTime();
        assertEquals("before dying", p.left().recv());
        assertThrows(EOFException.class, () -> p.left().recv());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // A lease of 600 ms; the slack is for a loaded CI machine: a hang would run into the test's timeout.
        assertTrue(ms < 600 + 2_000, "EOF came " + ms + " ms after the holder stopped renewing");
    }

    @Test
    void aWrongKindOrUnreadableReferenceIsRefused() throws Exception {
        m.dict("d");
        String ref = "{\"manager\":\"p\",\"name\":\"d\",\"kind\":\"dict\"}";
        WrongKindException e =
                assertThrows(WrongKindException.class, () -> Json.MAPPER.readValue(ref, SharedQueue.class));
        assertTrue(e.getMessage().contains("dict") && e.getMessage().contains("Queue"), e.getMessage());
        assertThrows(
                Exception.class,
                () -> Json.MAPPER.readValue(
                        "{\"manager\":\"p\",\"name\":\"x\",\"kind\":\"java.lang.Runtime\"}", SharedQueue.class));
    }
}
