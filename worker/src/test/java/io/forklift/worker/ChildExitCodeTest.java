package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Exit codes read as Python's {@code exitcode}: negative signal numbers for killed children. */
class ChildExitCodeTest {
    @Test
    void signalsBecomeNegative() {
        assertEquals(-9, ChildProcess.exitCode(137));
        assertEquals(-15, ChildProcess.exitCode(143));
        assertEquals(-6, ChildProcess.exitCode(134));
    }

    @Test
    void ordinaryStatusesAreKept() {
        assertEquals(0, ChildProcess.exitCode(0));
        assertEquals(1, ChildProcess.exitCode(1));
        assertEquals(128, ChildProcess.exitCode(128));
        assertEquals(255, ChildProcess.exitCode(255));
    }
}
