package io.forklift.cli.bench;

import io.forklift.redis.Redis;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time each part of the bench spent over a run, per task: the children (summed), the worker
 * daemon, Redis and the client (this JVM, which also runs the bench's loop). The processes' times
 * come from the JDK's {@link ProcessHandle} (the OS's own accounting, user + system); Redis's from
 * its INFO cpu section, so a Redis given with --redis is measured too. Wall-clock figures on a shared
 * machine swing with its load; CPU per task says where the work goes whatever the load.
 */
final class CpuPerTask {
    private final Redis redis;
    private final long worker;
    private final List<Long> children;
    private final Map<String, Double> start;

    /** Starts counting: the times of {@code worker}, {@code children}, Redis and this JVM as they are now. */
    CpuPerTask(Redis redis, long worker, List<Long> children) {
        this.redis = redis;
        this.worker = worker;
        this.children = List.copyOf(children);
        this.start = sample();
    }

    /** Microseconds of CPU per task since the start, by part, plus their total. */
    Map<String, Double> since(long tasks) {
        Map<String, Double> now = sample(), perTask = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : now.entrySet()) {
            double micros = (e.getValue() - start.get(e.getKey())) / tasks;
            perTask.put(e.getKey(), Math.round(micros * 10) / 10.0);
            total += micros;
        }
        perTask.put("total", Math.round(total * 10) / 10.0);
        return perTask;
    }

    /** CPU seconds used so far, in microseconds, by part. */
    private Map<String, Double> sample() {
        Map<String, Double> micros = new LinkedHashMap<>();
        micros.put(
                "children", children.stream().mapToDouble(CpuPerTask::cpuMicros).sum());
        micros.put("worker", cpuMicros(worker));
        micros.put("redis", redisCpuMicros());
        micros.put("client", cpuMicros(ProcessHandle.current().pid()));
        return micros;
    }

    /** A process's CPU time so far; 0 for one gone (a child replaced mid-run loses its share). */
    private static double cpuMicros(long pid) {
        return ProcessHandle.of(pid)
                        .flatMap(p -> p.info().totalCpuDuration())
                        .map(Duration::toNanos)
                        .orElse(0L)
                / 1000.0;
    }

    private double redisCpuMicros() {
        String cpu = redis.info("cpu");
        return (Double.parseDouble(Redis.infoField(cpu, "used_cpu_user"))
                        + Double.parseDouble(Redis.infoField(cpu, "used_cpu_sys")))
                * 1e6;
    }
}
