package io.forklift.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    void aSamplerCountsAGoneChildAsNothingAndNeverGoesBack() {
        CompilerCpu.Sampler sampler =
                new CompilerCpu.Sampler(ProcessHandle.current().pid(), List.of(Long.MAX_VALUE));
        for (int round = 0; round < 5; round++) {
            long sum = 0;
            for (int i = 0; i < 500_000; i++) sum += Long.toString(i, 3 + round).hashCode(); // something to compile
            CompilerCpu.Spent spent = sampler.sinceLast();
            assertEquals(0, spent.children(), "a child that does not exist spent nothing");
            assertTrue(spent.worker() >= 0 && spent.client() >= 0, spent + " (" + sum + ")");
        }
    }

    @Test
    void aProcessThatDoesNotExistReadsAsUnknown() {
        assertEquals(-1, CompilerCpu.millis(Long.MAX_VALUE));
    }
}
