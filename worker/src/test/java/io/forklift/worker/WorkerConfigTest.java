package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class WorkerConfigTest {

    private static WorkerConfig config(List<String> queues, int processes, Duration lease) {
        return new WorkerConfig(
                "redis://localhost:6379",
                "forklift:",
                queues,
                processes,
                0,
                0,
                null,
                "w1",
                lease,
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                List.of(),
                List.of(),
                8 * 1024 * 1024,
                8 * 1024 * 1024,
                null,
                9464,
                null);
    }

    @Test
    void validConfigKeepsAnImmutableCopyOfTheQueues() {
        List<String> queues = new ArrayList<>(List.of("high", "low"));
        WorkerConfig c = config(queues, 4, Duration.ofSeconds(1));
        queues.add("other");
        assertEquals(List.of("high", "low"), c.queues());
        assertThrows(UnsupportedOperationException.class, () -> c.queues().add("x"));
    }

    @Test
    void badQueueNamesAreRejected() {
        assertNamed("--queues", () -> config(List.of(), 1, Duration.ofSeconds(30)));
        assertNamed("--queues", () -> config(null, 1, Duration.ofSeconds(30)));
        assertNamed("1-100 characters", () -> config(List.of("ok", "bad name"), 1, Duration.ofSeconds(30)));
        assertNamed("1-100 characters", () -> config(List.of("a{b}"), 1, Duration.ofSeconds(30)));
    }

    @Test
    void processesMustBePositive() {
        assertNamed("--processes", () -> config(List.of("q"), 0, Duration.ofSeconds(30)));
        assertNamed("--processes", () -> config(List.of("q"), -1, Duration.ofSeconds(30)));
    }

    @Test
    void maxTasksPerChildMustNotBeNegative() {
        assertNamed(
                "--max-tasks-per-child",
                () -> new WorkerConfig(
                        "redis://h",
                        "f:",
                        List.of("q"),
                        1,
                        -1,
                        0,
                        null,
                        "w",
                        Duration.ofSeconds(30),
                        Duration.ofHours(1),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        List.of(),
                        List.of(),
                        8 * 1024 * 1024,
                        8 * 1024 * 1024,
                        null,
                        9464,
                        null));
    }

    @Test
    void leaseBelowOneSecondIsRejected() {
        assertNamed("--lease", () -> config(List.of("q"), 1, Duration.ofMillis(999)));
        assertNamed("--lease", () -> config(List.of("q"), 1, Duration.ZERO));
        assertEquals(
                Duration.ofSeconds(1),
                config(List.of("q"), 1, Duration.ofSeconds(1)).lease());
    }

    @Test
    void maxPayloadBelowOneKibibyteIsRejected() {
        assertNamed(
                "--max-payload",
                () -> new WorkerConfig(
                        "redis://h",
                        "f:",
                        List.of("q"),
                        1,
                        0,
                        0,
                        null,
                        "w",
                        Duration.ofSeconds(30),
                        Duration.ofHours(1),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        List.of(),
                        List.of(),
                        1023,
                        8 * 1024 * 1024,
                        null,
                        9464,
                        null));
    }

    private static void assertNamed(String option, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(option), "expected '" + option + "' in: " + e.getMessage());
    }
}
