package io.forklift.worker.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.RetryPolicy;
import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.wire.Json;
import io.forklift.wire.Reply;
import io.forklift.wire.TaskMessage;
import io.forklift.worker.tasks.Square;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A child runs the tasks of the worker's catalog, loaded by name; any other name fails that task alone. */
class TaskRunnerTest {
    static final AtomicBoolean NOT_A_TASK_INITIALIZED = new AtomicBoolean();

    /** Registered by mistake: its static code must never run in a child. */
    public static final class NotATask {
        static {
            NOT_A_TASK_INITIALIZED.set(true);
        }
    }

    public static final class FailsToStart implements Task<Integer, Integer> {
        public FailsToStart() {
            throw new IllegalStateException("no database here");
        }

        @Override
        public Integer call(Integer x, TaskContext ctx) {
            return x;
        }
    }

    private static final Set<String> CATALOG =
            Set.of(Square.class.getName(), NotATask.class.getName(), FailsToStart.class.getName(), "com.example.Gone");

    private final TaskRunner runner = new TaskRunner("w1", "host", CATALOG);

    private Reply run(String task) {
        TaskMessage msg = new TaskMessage(
                TaskMessage.VERSION,
                "c1-1",
                "q",
                task,
                Json.MAPPER.createArrayNode().add(7),
                false,
                "c1",
                0,
                RetryPolicy.NONE,
                0);
        return runner.run(msg, 1);
    }

    @Test
    void aTaskOfTheCatalogRunsAndIsMadeOnce() {
        assertEquals(49, run(Square.class.getName()).result().asInt());
        assertEquals(49, run(Square.class.getName()).result().asInt());
    }

    @Test
    void aTaskOutsideTheCatalogFailsThoughItsClassIsHere() {
        assertFailsSaying(io.forklift.worker.tasks.Sum.class.getName(), "is not registered with this worker");
    }

    @Test
    void aRegisteredClassThatIsNoTaskFailsWithoutItsStaticCodeRunning() {
        assertFailsSaying(NotATask.class.getName(), "does not implement io.forklift.Task");
        assertFalse(NOT_A_TASK_INITIALIZED.get());
    }

    @Test
    void aRegisteredNameWithoutAClassFailsNamingIt() {
        assertFailsSaying("com.example.Gone", "'com.example.Gone' is registered but could not be loaded");
    }

    @Test
    void aConstructorThatThrowsFailsTheTaskWithItsReason() {
        assertFailsSaying(FailsToStart.class.getName(), "its constructor threw", "no database here");
    }

    /** Running {@code task} fails, and the error's message holds each of {@code parts}. */
    private void assertFailsSaying(String task, String... parts) {
        Reply reply = run(task);
        assertFalse(reply.ok());
        for (String part : parts)
            assertTrue(reply.error().message().contains(part), reply.error().message());
    }
}
