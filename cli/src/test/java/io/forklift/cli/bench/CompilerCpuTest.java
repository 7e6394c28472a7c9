package io.forklift.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompilerCpuTest {
    @Test
    void aRunningJvmsCompilersHaveUsedCpu() {
        long before = CompilerCpu.millis(ProcessHandle.current().pid());
        long sum = 0;
        for (int i = 0; i < 2_000_000; i++) sum += Long.toString(i).hashCode(); // something to compile
        long after = CompilerCpu.millis(ProcessHandle.current().pid());
        assertTrue(before > 0, "this JVM's compiler threads should have used CPU by now, read " + before);
        assertTrue(after >= before, "compiler CPU went back from " + before + " to " + after + " (" + sum + ")");
    }

    @Test
    void aProcessThatDoesNotExistReadsAsUnknown() {
        assertEquals(-1, CompilerCpu.millis(Long.MAX_VALUE));
    }
}
