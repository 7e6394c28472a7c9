package io.forklift.cli.bench;

import io.forklift.redis.Redis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code forklift bench --memory-check}: Redis's {@code used_memory} before a run, after it, and once
 * the run's results have expired, so a reader sees whether what tasks leave behind is bounded by
 * the result TTL rather than growing with every task.
 */
final class MemoryCheck {
    private final Redis redis;
    private final PrintStream progress;
    private final long before;
    private long afterRun;

    MemoryCheck(Redis redis, PrintStream progress) {
        this.redis = redis;
        this.progress = progress;
        this.before = usedMemory();
    }

    void afterRun() {
        afterRun = usedMemory();
    }

    /** Waits {@code expiry} from now (plus Redis's expiry cycle), then returns the three figures. */
    Map<String, Object> afterExpiry(Duration expiry) throws InterruptedException {
        progress.printf("memory check: waiting %d s for the results to expire …%n", expiry.toSeconds() + 5);
        TimeUnit.MILLISECONDS.sleep(expiry.toMillis() + 5_000); // the TTL itself is what is measured
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("redis_used_before", before);
        figures.put("redis_used_after_run", afterRun);
        figures.put("redis_used_after_expiry", usedMemory());
        return figures;
    }

    private long usedMemory() {
        String used = Redis.infoField(redis.info("memory"), "used_memory");
        if (used == null) throw new IllegalStateException("Redis INFO memory has no used_memory line");
        return Long.parseLong(used);
    }
}
