package io.forklift.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.RedisUnavailableException;
import io.forklift.UnknownTaskException;
import io.forklift.redis.Backoff;
import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.redis.Script;
import io.forklift.redis.ScriptCall;
import io.forklift.wire.Json;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import io.forklift.wire.TaskMessage;
import io.forklift.worker.child.RunRequest;
import io.forklift.worker.child.RunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The worker's one Redis-facing loop. Each turn it takes the events that arrived (results, child
 * starts and exits, wake-ups), then makes one round trip that completes every finished task and
 * claims as many tasks as there are idle children, and hands those to children. When a queue runs
 * dry it arms the {@link Waker} and waits for events.
 */
final class Fetcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    private final WorkerConfig config;
    private final Redis redis;
    private final Keys keys;
    private final TaskCatalog catalog;
    private final ChildPool children;
    private final Waker waker;
    private final BlockingQueue<WorkerEvent> events;
    private final String host;
    private final Map<String, Running> running = new HashMap<>();
    private final Map<String, List<String>> completions = new LinkedHashMap<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final WorkerStats stats;
    private int nextQueue;
    private boolean wantClaim = true;
    private volatile boolean draining;
    private long outageStartedNanos;

    /** A task handed to a child. */
    private record Running(String queue, int attempt, ChildProcess child) {
    }

    Fetcher(WorkerConfig config, Redis redis, TaskCatalog catalog, ChildPool children, Waker waker,
            BlockingQueue<WorkerEvent> events, String host, WorkerStats stats) {
        this.config = config;
        this.redis = redis;
        this.keys = redis.keys();
        this.catalog = catalog;
        this.children = children;
        this.waker = waker;
        this.events = events;
        this.host = host;
        this.stats = stats;
    }

    /** Stops claiming; the loop ends once running tasks have finished and been completed. */
    void drain() {
        draining = true;
        events.add(new WorkerEvent.Wake());
    }

    int runningCount() {
        return running.size();
    }

    @Override
    public void run() {
        try {
            while (!(draining && running.isEmpty() && completions.isEmpty())) {
                WorkerEvent first = events.poll(draining ? 100 : 1000, TimeUnit.MILLISECONDS);
                if (first != null) handle(first);
                WorkerEvent next;
                while ((next = events.poll()) != null) handle(next);
                roundTrip();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("fetcher stopped by an unexpected error; the worker exits", e);
            throw e;
        }
    }

    private void handle(WorkerEvent event) {
        if (event instanceof WorkerEvent.TaskFinished f) {
            finished(f.child(), f.result());
        } else if (event instanceof WorkerEvent.ChildReady r) {
            children.onReady(r.child());
            wantClaim = true;
        } else if (event instanceof WorkerEvent.ChildExited x) {
            exited(x.child(), x.exitCode());
        } else if (event instanceof WorkerEvent.ChildFailedToStart f) {
            children.onStartFailed(f.reason());
        } else if (event instanceof WorkerEvent.Wake) {
            wantClaim = true;
        }
    }

    private void finished(ChildProcess child, RunResult result) {
        Running r = running.remove(result.id());
        if (r == null) {
            log.warn("child {} reported task {}, which it was not running", child.pid(), result.id());
            return;
        }
        Reply reply = result.ok()
                ? Reply.success(result.id(), result.result(), config.workerId(), host, child.pid(), r.attempt())
                : Reply.failure(result.id(), result.error(), config.workerId(), host, child.pid(), r.attempt());
        complete(r.queue(), result.id(), r.attempt(), result.ok() ? "done" : "failed", reply);
        stats.taskEnded(result.ok());
        children.release(child);
        wantClaim = true;
    }

    private void exited(ChildProcess child, int exitCode) {
        String taskId = child.runningTaskId();
        if (taskId != null) {
            Running r = running.remove(taskId);
            if (r != null) {
                RemoteError error = RemoteError.of("io.forklift.ChildProcessDied",
                        "child process " + child.pid() + " on " + host + " exited with " + exitCode + " while running task " + taskId);
                complete(r.queue(), taskId, r.attempt(), "failed",
                        Reply.failure(taskId, error, config.workerId(), host, child.pid(), r.attempt()));
                stats.taskEnded(false);
            }
        }
        children.onExit(child, exitCode);
    }

    /** One round trip: complete what finished, claim for idle children; then hand claimed tasks out. */
    private void roundTrip() {
        int free = draining ? 0 : children.idleCount();
        boolean claim = wantClaim && free > 0;
        if (completions.isEmpty() && !claim) return;
        List<ScriptCall> calls = new ArrayList<>(completions.size() + 1);
        completions.forEach((queue, args) -> calls.add(new ScriptCall(Script.COMPLETE,
                List.of(keys.inflight(queue), keys.ready(queue), keys.wake(queue), keys.dead(queue)), args)));
        String queue = config.queues().get(nextQueue);
        if (claim) calls.add(claimCall(queue, free));
        List<Object> results;
        try {
            results = redis.runAll(calls);
            endOutage();
        } catch (RedisUnavailableException e) {
            startOutage(e);
            return; // completions stay buffered; the next turn retries them
        }
        for (int i = 0; i < completions.size(); i++) countStale(results.get(i));
        completions.clear();
        if (!claim) return;
        int claimed = dispatch(queue, results.get(results.size() - 1));
        // Other queues get the remaining idle children, in turn, one round trip each.
        for (int q = 1; q < config.queues().size() && claimed < free; q++) {
            String other = config.queues().get((nextQueue + q) % config.queues().size());
            ScriptCall call = claimCall(other, free - claimed);
            try {
                claimed += dispatch(other, redis.run(call.script(), call.keys(), call.args()));
            } catch (RedisUnavailableException e) {
                startOutage(e);
                return;
            }
        }
        nextQueue = (nextQueue + 1) % config.queues().size();
        if (claimed < free) {
            wantClaim = false;
            waker.arm();
        }
    }

    private ScriptCall claimCall(String queue, int count) {
        return new ScriptCall(Script.CLAIM, List.of(keys.ready(queue), keys.inflight(queue), keys.meta(queue), keys.wake(queue)),
                List.of(keys.taskPrefix(queue), Integer.toString(count), config.workerId(), Long.toString(config.lease().toMillis())));
    }

    /** Hands each claimed task to an idle child; returns how many were claimed. */
    private int dispatch(String queue, Object claimReply) {
        List<?> flat = (List<?>) claimReply;
        for (int i = 0; i < flat.size(); i += 3) {
            String id = (String) flat.get(i);
            int attempt = ((Long) flat.get(i + 1)).intValue();
            start(queue, id, attempt, (String) flat.get(i + 2));
        }
        return flat.size() / 3;
    }

    private void start(String queue, String id, int attempt, String json) {
        TaskMessage msg;
        try {
            msg = Json.MAPPER.readValue(json, TaskMessage.class).validate();
        } catch (JsonProcessingException e) {
            deadLetter(queue, id, attempt, "invalid_json", "task " + id + " in queue '" + queue + "' is not valid JSON: " + e.getOriginalMessage());
            return;
        } catch (IllegalArgumentException e) {
            deadLetter(queue, id, attempt, "schema", "task " + id + " in queue '" + queue + "' has the wrong shape: " + e.getMessage());
            return;
        }
        if (!catalog.contains(msg.task())) {
            deadLetter(queue, id, attempt, UnknownTaskException.class.getName(), "task '" + msg.task() + "' (queue '" + queue
                    + "') is not registered on worker " + config.workerId() + "; it knows " + catalog.names());
            return;
        }
        ChildProcess child = children.takeIdle();
        try {
            child.run(new RunRequest(id, attempt, queue, msg.task(), msg.args(), msg.chunked(), config.workerId()));
            running.put(id, new Running(queue, attempt, child));
            stats.taskStarted();
        } catch (IOException e) {
            // The child died under us; its exit event will replace it. The task fails now.
            complete(queue, id, attempt, "failed", Reply.failure(id, RemoteError.of("io.forklift.ChildProcessDied",
                    "child process " + child.pid() + " could not take task " + id + ": " + e.getMessage()), config.workerId(), host, child.pid(), attempt));
        }
    }

    private void deadLetter(String queue, String id, int attempt, String type, String message) {
        log.warn("dead-lettering: {}", message);
        complete(queue, id, attempt, "dead", Reply.failure(id, RemoteError.of(type, message), config.workerId(), host, 0, attempt));
    }

    private void complete(String queue, String id, int attempt, String state, Reply reply) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(reply);
        } catch (JsonProcessingException e) {
            json = "{\"id\":\"" + id + "\",\"ok\":false,\"error\":{\"type\":\"io.forklift.ForkliftException\",\"message\":\"result could not be written as JSON\"}}";
            state = "failed";
        }
        List<String> args = completions.computeIfAbsent(queue, q -> new ArrayList<>(List.of(
                keys.taskPrefix(q), keys.replyPrefix(q), Long.toString(config.resultTtl().toMillis()))));
        args.add(id);
        args.add(Integer.toString(attempt));
        args.add(state);
        args.add(json);
    }

    private void countStale(Object staleIds) {
        List<?> stale = (List<?>) staleIds;
        if (!stale.isEmpty()) {
            stats.staleRejected(stale.size());
            log.warn("{} completions were rejected as stale (tasks re-run elsewhere): {}", stale.size(), stale);
        }
    }

    private void startOutage(RedisUnavailableException e) {
        if (outageStartedNanos == 0) {
            outageStartedNanos = System.nanoTime();
            log.error("lost Redis at {}: {}; {} results are kept until it is back", redis.where(), e.getMessage(), completions.size());
        }
        backoff.pause();
    }

    private void endOutage() {
        if (outageStartedNanos != 0) {
            log.info("Redis at {} is back after {} ms", redis.where(), (System.nanoTime() - outageStartedNanos) / 1_000_000);
            outageStartedNanos = 0;
            backoff.reset();
        }
    }
}
