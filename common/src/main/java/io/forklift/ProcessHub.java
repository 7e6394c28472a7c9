package io.forklift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.redis.Backoff;
import io.forklift.redis.Keys;
import io.forklift.redis.Processes;
import io.forklift.redis.Redis;
import io.forklift.redis.Waits;
import io.forklift.wire.Json;
import io.forklift.wire.ProcessSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's Processes: registers each before its task is stored, holds the client's liveness lease
 * (so workers end its daemonic Processes if it dies), prints what they print (one reader thread on
 * the client's output stream), and blocks joiners in Redis. Created on the first
 * {@code fl.process(...)}; {@link #close()} does what Python does at exit.
 */
final class ProcessHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessHub.class);
    private static final Duration REGISTRY_TTL = Duration.ofDays(1);
    private static final com.fasterxml.jackson.databind.JavaType ANY = Json.MAPPER.constructType(Object.class);
    private final Forklift forklift;
    private final Pool pool; // on the process queue: its lifecycle counts the Processes waited for
    private final Redis redis;
    private final Processes processes;
    private final Map<String, ForkliftProcess> started = new ConcurrentHashMap<>();
    private final AtomicInteger numbers = new AtomicInteger();
    // ends in the registry the Processes no child ran, off the callback thread
    private final ExecutorService ends = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "forklift-process-ends");
        t.setDaemon(true);
        return t;
    });
    private final Thread reader;
    private final Duration block;
    private volatile boolean stopping;
    private Waits waits;

    ProcessHub(Forklift forklift, Redis redis, Pool pool) {
        this.forklift = forklift;
        this.pool = pool;
        this.redis = redis;
        this.processes = new Processes(redis);
        Duration timeout = forklift.options().timeout();
        this.block = timeout.dividedBy(2).compareTo(Duration.ofMillis(500)) < 0
                ? timeout.dividedBy(2)
                : Duration.ofMillis(500);
        forklift.lease().hold(null); // a starter silent for its length has its daemonic Processes terminated
        this.reader = new Thread(this::readOutput, "forklift-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    ForkliftProcess create(String taskName, Object arg) {
        return new ForkliftProcess(this, taskName, arg, numbers.incrementAndGet());
    }

    /** Registers and submits {@code p}; called once, by its start(). */
    AsyncResult<Object> start(ForkliftProcess p) {
        ProcessInfo self = ProcessInfo.current();
        ProcessSpec spec = new ProcessSpec(p.name(), p.daemon(), self.pid(), self.host());
        ArrayNode args = Json.MAPPER.createArrayNode();
        JsonNode value = Json.MAPPER.valueToTree(p.arg());
        args.add(value == null ? Json.MAPPER.nullNode() : value);
        Json.checkDepth(args, "the argument of " + p.taskName());
        pool.lifecycle().started();
        AsyncResult<Object> result;
        try {
            result = forklift.submit(pool, p.taskName(), args, false, ANY, null, null, spec, false, id -> {
                started.put(id, p);
                processes.register(
                        id,
                        Map.of(
                                "name", p.name(),
                                "daemon", Boolean.toString(p.daemon()),
                                "client", forklift.clientId(),
                                "state", "queued",
                                "task", p.taskName()),
                        REGISTRY_TTL);
            });
        } catch (RuntimeException notSubmitted) {
            pool.lifecycle().ended();
            throw notSubmitted;
        }
        // A Process no child ran (an unknown task, a bad signature: dead-lettered) ends with 1 here.
        result.toCompletableFuture().whenComplete((v, e) -> {
            if (e == null) return;
            try {
                ends.execute(() -> endIfNeverRan(result.id(), e));
            } catch (RejectedExecutionException closing) {
                // this client is closing; the registry entry expires
            }
        });
        return result;
    }

    private void endIfNeverRan(String id, Throwable e) {
        try {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            if (cause instanceof CancellationException) return; // terminate()/kill() withdrew it and records -N
            if (!processes.read(id).containsKey("pid")) processes.end(id, 1, cause.getMessage(), REGISTRY_TTL);
        } catch (RuntimeException unreachable) {
            log.warn("could not record that process {} failed before it ran: {}", id, unreachable.getMessage());
        }
    }

    Map<String, String> entry(String id) {
        return processes.read(id);
    }

    /** Blocks until the process has ended or {@code deadlineNanos} (System.nanoTime) passes; true if ended. */
    boolean awaitEnd(String id, long deadlineNanos) throws InterruptedException {
        String exit = redis.keys().processExit(id);
        while (!processes.read(id).containsKey("exitCode")) {
            if (Thread.interrupted()) throw new InterruptedException();
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            Duration next = Duration.ofNanos(Math.min(left, Waits.MAX_BLOCK.toNanos()));
            waits().move(exit, exit, false, next);
        }
        return true;
    }

    /** terminate/kill: asks the worker running it; one that no worker has taken yet is withdrawn here. */
    void signal(ForkliftProcess p, int signal) {
        processes.signal(p.id(), signal);
        if (p.pid() != null) return;
        if (p.result().cancel()) { // withdrawn, or its lease taken away if a worker just took it
            processes.end(p.id(), -signal, "ended by signal " + signal + " before it ran", REGISTRY_TTL);
            p.outputEnded(); // it never ran: no worker sends the end of its output, so join() need not wait for one
        }
    }

    /**
     * As Python at exit: waits for the non-daemonic processes this client started, then terminates
     * the daemonic ones still running and waits for them too; then stops printing and gives up the lease.
     */
    @Override
    public void close() {
        try {
            List<ForkliftProcess> daemons = new ArrayList<>();
            for (ForkliftProcess p : started.values()) {
                if (p.daemon()) daemons.add(p);
                else p.join();
            }
            for (ForkliftProcess p : daemons) if (p.isAlive()) p.terminate();
            for (ForkliftProcess p : daemons) p.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("could not wait for this program's processes: {}", e.getMessage());
        } finally {
            stopping = true;
            ends.shutdownNow();
            try {
                reader.join(block.toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (waits != null) waits.close();
            }
        }
    }

    private synchronized Waits waits() {
        if (waits == null) {
            ForkliftOptions o = forklift.options();
            Duration readTimeout = Waits.MAX_BLOCK.plus(o.timeout().multipliedBy(2));
            waits = new Waits(Redis.connect(o.redisUri(), o.prefix(), o.timeout(), 4, readTimeout), redis);
        }
        return waits;
    }

    /** The reader thread: prints each line as it comes, in order, then trims what it printed. */
    private void readOutput() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        String last = "0-0";
        while (!stopping) {
            try {
                List<Processes.Printed> got = processes.readOutput(forklift.clientId(), last, 5000, block);
                for (Processes.Printed printed : got) {
                    Processes.Line line = printed.line();
                    ForkliftProcess p = started.get(line.processId());
                    if (p != null) {
                        if ("end".equals(line.kind())) p.outputEnded();
                        else p.print(line.kind(), line.text());
                    }
                    last = printed.streamId();
                }
                if (!got.isEmpty()) processes.trimOutput(forklift.clientId(), last);
                backoff.reset();
            } catch (RuntimeException e) {
                if (stopping) return;
                log.debug("reading processes' output: {}; retrying", e.getMessage());
                if (!backoff.pause()) return;
            }
        }
    }

    static String queue() {
        return Keys.PROCESS_QUEUE;
    }
}
