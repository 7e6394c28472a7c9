package io.forklift.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.ChildProcessDiedException;
import io.forklift.ForkliftException;
import io.forklift.RemoteTaskException;
import io.forklift.TaskTimeoutException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which failures retry: matched by class name against the remote exception and its superclasses. */
class RetryRuleTest {
    private static final RemoteError SOCKET_TIMEOUT = RemoteError.of(new SocketTimeoutException("read timed out"));
    private static final RemoteError BAD_STATE = RemoteError.of(new IllegalStateException("bug"));

    private static TaskHeader header(int maxAttempts, List<String> retryOn, List<String> noRetryOn) throws IOException {
        String json = Json.MAPPER.writeValueAsString(new TaskMessage(
                TaskMessage.VERSION,
                "i",
                "q",
                "t",
                Json.MAPPER.createArrayNode().add(1),
                false,
                "c",
                0,
                maxAttempts,
                100,
                retryOn,
                noRetryOn,
                0));
        return TaskHeader.read(json).validate();
    }

    @Test
    void everyFailureRetriesUntilTheLastAttemptWhenNoTypesAreNamed() throws IOException {
        TaskHeader h = header(3, List.of(), List.of());
        assertTrue(h.retries(1, BAD_STATE));
        assertTrue(h.retries(2, SOCKET_TIMEOUT));
        assertFalse(h.retries(3, SOCKET_TIMEOUT), "the third run of three is the last");
    }

    @Test
    void retryOnMatchesSubclassesAndNothingElse() throws IOException {
        TaskHeader h = header(3, List.of(IOException.class.getName()), List.of());
        assertTrue(h.retries(1, SOCKET_TIMEOUT), "SocketTimeoutException is an IOException");
        assertFalse(h.retries(1, BAD_STATE));
    }

    @Test
    void noRetryOnWinsOverABroaderRetryOn() throws IOException {
        TaskHeader h = header(3, List.of(Exception.class.getName()), List.of(SocketTimeoutException.class.getName()));
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
    void aRetryListThatIsNotNamesIsRejectedNamingTheField() throws IOException {
        for (String bad : new String[] {"\"java.io.IOException\"", "[1]", "{}"}) {
            TaskHeader h = TaskHeader.read(
                    "{\"v\":1,\"id\":\"i\",\"queue\":\"q\",\"task\":\"t\",\"client\":\"c\",\"args\":[1],\"retryOn\":"
                            + bad + "}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::validate, bad);
            assertEquals("retryOn and noRetryOn must be lists of exception class names", e.getMessage());
        }
        assertEquals(
                List.of(), TaskHeader.read("{\"retryOn\":null}").retryOn(), "null means none, as a missing field does");
    }
}
