package io.forklift.coordinator;

import static io.forklift.daemon.Limits.between;

import java.time.Duration;

/**
 * A coordinator's housekeeping settings, validated once at start-up: each out-of-range value is
 * refused with one line naming the option and the range it must be in.
 *
 * @param interval    how often housekeeping runs ({@code --interval})
 * @param maxAttempts a task whose lease ran out this many times is dead-lettered ({@code --max-attempts})
 * @param resultTtl   how long failure replies are kept ({@code --result-ttl}); a few seconds at least,
 *                    or a client busy for a moment loses its replies
 * @param outageGrace after a Redis outage, how long expired leases are left for their workers to renew
 *                    ({@code --outage-grace})
 * @param deadMax     the newest dead letters kept per queue; older ones are dropped ({@code --dead-max})
 */
public record HousekeepingConfig(
        Duration interval, int maxAttempts, Duration resultTtl, Duration outageGrace, int deadMax) {
    /** Sidekiq keeps 10,000 dead jobs. */
    public static final int DEFAULT_DEAD_MAX = 10_000;

    /** A worker silent this long is forgotten: its {@code workers} entry and its fence fields go. */
    public static final Duration FORGET_WORKERS_AFTER = Duration.ofHours(1);

    public HousekeepingConfig {
        between("--interval", interval, Duration.ofMillis(100), Duration.ofMinutes(10), "");
        between("--max-attempts", maxAttempts, 1, 1000, "");
        between(
                "--result-ttl",
                resultTtl,
                Duration.ofSeconds(5),
                Duration.ofDays(365),
                "a shorter one loses the replies of any client that is busy for a moment");
        between("--outage-grace", outageGrace, Duration.ZERO, Duration.ofHours(1), "");
        between("--dead-max", deadMax, 1, 10_000_000, "the newest dead letters kept per queue");
    }

    /** As a test wants it: the default outage grace (10 s) and dead-letter cap. */
    public static HousekeepingConfig of(Duration interval, int maxAttempts, Duration resultTtl) {
        return new HousekeepingConfig(interval, maxAttempts, resultTtl, Duration.ofSeconds(10), DEFAULT_DEAD_MAX);
    }
}
