package io.forklift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.wire.Json;
import io.forklift.wire.RemoteError;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** A remote exception survives the wire and becomes a {@link RemoteTaskException} with stack and causes. */
class RemoteErrorTest {

    private static Throwable failure() {
        try {
            innerThrow();
            throw new AssertionError("unreachable");
        } catch (IOException e) {
            return new UncheckedIOException("outer failed", e);
        }
    }

    private static void innerThrow() throws IOException {
        throw new IOException("disk gone");
    }

    @Test
    void errorWithCauseRoundTripsThroughJson() throws Exception {
        RemoteError error = RemoteError.of(failure());
        RemoteError back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(error), RemoteError.class);
        assertEquals(error, back);
        assertEquals(UncheckedIOException.class.getName(), back.type());
        assertEquals("outer failed", back.message());
        assertEquals(IOException.class.getName(), back.cause().type());
        assertEquals("disk gone", back.cause().message());
        assertNull(back.cause().cause());
        assertFalse(back.stack().isEmpty());
    }

    @Test
    void remoteTaskExceptionCarriesTypeMessageStackAndCauses() throws Exception {
        Throwable original = failure();
        RemoteError wire =
                Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(RemoteError.of(original)), RemoteError.class);
        RemoteTaskException e = RemoteTaskException.of("task-7", wire);

        assertSame(RemoteTaskException.class, e.getClass());
        assertEquals("task-7", e.taskId());
        assertEquals(UncheckedIOException.class.getName(), e.remoteType());
        assertEquals("outer failed", e.remoteMessage());
        assertTrue(
                e.getMessage().contains("outer failed") && e.getMessage().contains("UncheckedIOException"),
                e.getMessage());
        assertSameFrames(original.getStackTrace(), e.getStackTrace());

        RemoteTaskException cause = assertInstanceOf(RemoteTaskException.class, e.getCause());
        assertEquals(IOException.class.getName(), cause.remoteType());
        assertEquals("disk gone", cause.remoteMessage());
        assertEquals("task-7", cause.taskId());
        assertSameFrames(original.getCause().getStackTrace(), cause.getStackTrace());
        assertEquals("innerThrow", cause.getStackTrace()[0].getMethodName());
        assertNull(cause.getCause());
    }

    @Test
    void unknownTaskErrorMapsToUnknownTaskException() {
        RemoteError error = RemoteError.of(UnknownTaskException.class.getName(), "no task 'x' on queue q");
        RemoteTaskException e = RemoteTaskException.of("t1", error);
        assertInstanceOf(UnknownTaskException.class, e);
        assertEquals("no task 'x' on queue q", e.remoteMessage());
        assertEquals(0, e.getStackTrace().length);
    }

    @Test
    void otherForkliftLikeNamesDoNotMap() {
        RemoteTaskException e = RemoteTaskException.of("t1", RemoteError.of("com.example.UnknownTaskException", "m"));
        assertSame(RemoteTaskException.class, e.getClass());
    }

    private static void assertSameFrames(StackTraceElement[] expected, StackTraceElement[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].getClassName(), actual[i].getClassName(), "frame " + i);
            assertEquals(expected[i].getMethodName(), actual[i].getMethodName(), "frame " + i);
            assertEquals(expected[i].getLineNumber(), actual[i].getLineNumber(), "frame " + i);
        }
    }
}
