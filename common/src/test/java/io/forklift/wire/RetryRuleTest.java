package io.forklift.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.ChildProcessDiedException;
import io.forklift.ForkliftException;
import io.forklift.RemoteTaskException;
import io.forklift.RetryPolicy;
import io.forklift.TaskTimeoutException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which failures retry: matched by class name against the remote exception and its superclasses. */
class RetryRuleTest {
    private static final RemoteError SOCKET_TIMEOUT = RemoteError.of(new SocketTimeoutException("read timed out"));
    private static final RemoteError BAD_STATE = RemoteError.of(new IllegalStateException("bug"));

    /** The policy as a worker reads it from a stored message. */
    private static RetryPolicy header(int maxAttempts, List<String> retryOn, List<String> noRetryOn)
            throws IOException {
        String json = Json.MAPPER.writeValueAsString(new TaskMessage(
                TaskMessage.VERSION,
                "i",
                "q",
                "t",
                Json.MAPPER.createArrayNode().add(1),
                false,
                "c",
                0,
                new RetryPolicy(maxAttempts, 100, retryOn, noRetryOn),
                0));
        return TaskMessage.readWithoutArgs(json).retry();
    }

    @Test
    void everyFailureRetriesUntilTheLastAttemptWhenNoTypesAreNamed() throws IOException {
        RetryPolicy h = header(3, List.of(), List.of());
        assertTrue(h.retries(1, BAD_STATE));
        assertTrue(h.retries(2, SOCKET_TIMEOUT));
        assertFalse(h.retries(3, SOCKET_TIMEOUT), "the third run of three is the last");
    }

    @Test
    void retryOnMatchesSubclassesAndNothingElse() throws IOException {
        RetryPolicy h = header(3, List.of(IOException.class.getName()), List.of());
        assertTrue(h.retries(1, SOCKET_TIMEOUT), "SocketTimeoutException is an IOException");
        assertFalse(h.retries(1, BAD_STATE));
    }

    @Test
    void noRetryOnWinsOverABroaderRetryOn() throws IOException {
        RetryPolicy h = header(3, List.of(Exception.class.getName()), List.of(SocketTimeoutException.class.getName()));
        assertFalse(h.retries(1, SOCKET_TIMEOUT));
        assertTrue(h.retries(1, BAD_STATE));
    }

    @Test
    void forkliftsOwnFailuresCarryTheirSuperclasses() throws IOException {
        RemoteError timeout = RemoteError.of(TaskTimeoutException.class, "too slow");
        assertTrue(timeout.isA(RemoteTaskException.class.getName()));
        assertTrue(timeout.isA(ForkliftException.class.getName()));
        assertFalse(header(3, List.of(), List.of(TaskTimeoutException.class.getName()))
                .retries(1, timeout));
        assertTrue(header(3, List.of(ChildProcessDiedException.class.getName()), List.of())
                .retries(1, RemoteError.of(ChildProcessDiedException.class, "exited with -9")));
        assertInstanceOf(TaskTimeoutException.class, RemoteTaskException.of("i", timeout));
    }

    @Test
    void anErrorFromASenderWithoutAHierarchyMatchesItsOwnTypeOnly() {
        RemoteError foreign = new RemoteError(SocketTimeoutException.class.getName(), "x", List.of(), null, null);
        assertTrue(foreign.isA(SocketTimeoutException.class.getName()));
        assertFalse(foreign.isA(IOException.class.getName()));
    }

    @Test
    void aRetryPolicyOfTheWrongShapeIsRejectedNamingIt() {
        for (String bad : new String[] {"\"java.io.IOException\"", "[{}]", "{\"a\":1}"}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> TaskMessage.readWithoutArgs("{\"v\":2,\"id\":\"i\",\"queue\":\"q\",\"task\":\"t\","
                            + "\"client\":\"c\",\"args\":[1],\"retry\":{\"maxAttempts\":3,\"retryOn\":" + bad + "}}"),
                    bad);
            assertTrue(e.getMessage().startsWith("retry has the wrong shape"), e.getMessage());
        }
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 0, null, null));
        assertEquals("maxAttempts must be at least 1, got 0", zero.getMessage());
        assertEquals(
                List.of(), new RetryPolicy(1, 0, null, null).retryOn(), "null means none, as a missing field does");
    }
}
