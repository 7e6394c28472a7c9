package io.forklift.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.UnknownTaskException;
import io.forklift.redis.Keys;
import io.forklift.wire.DeadLetter;
import io.forklift.wire.Json;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import io.forklift.wire.TaskHeader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns how runs ended into the {@code complete.lua} arguments of the next round trip: done, run
 * again after a backoff, dead-lettered, or failed. While Redis is unreachable the batch waits here
 * and is sent again; it is bounded without a limit of its own, because nothing new is claimed
 * without Redis: at most the tasks leased here (children + prefetch) can finish meanwhile.
 * Used from the dispatcher thread only.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);

    private static final int HEADER = 4; // complete.lua's leading arguments, before the per-task tuples
    private static final int TUPLE = 6;

    private final WorkerConfig config;
    private final Keys keys;
    private final String host;
    private final WorkerMetrics metrics;
    private Map<String, List<String>> pending = new LinkedHashMap<>();

    Completions(WorkerConfig config, Keys keys, String host, WorkerMetrics metrics) {
        this.config = config;
        this.keys = keys;
        this.host = host;
        this.metrics = metrics;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** What has gathered, per queue, for a trip; starts a new batch. */
    Map<String, List<String>> take() {
        Map<String, List<String>> batch = pending;
        pending = new LinkedHashMap<>();
        return batch;
    }

    /** The task ids in one queue's {@code complete.lua} arguments; none for null. */
    static List<String> taskIds(List<String> completionArgs) {
        List<String> ids = new ArrayList<>();
        if (completionArgs == null) return ids;
        for (int i = HEADER; i < completionArgs.size(); i += TUPLE) ids.add(completionArgs.get(i));
        return ids;
    }

    /** Puts back a batch whose trip failed; complete.lua rejects a repeat of one that did arrive. */
    void restore(Map<String, List<String>> batch) {
        batch.forEach((q, args) -> completionArgs(q).addAll(args.subList(HEADER, args.size())));
    }

    /**
     * A task that cannot run: dead-lettered with {@code reason}; its submitter gets the error. Its
     * task name is untrusted input, so it is counted under the task label {@code invalid}.
     */
    void deadLetter(Trip.Claimed c, String client, String reason, String message) {
        log.warn("dead-lettering ({}): {}", reason, message);
        metrics.outcome(c.queue(), "invalid", WorkerMetrics.Outcome.DEAD_LETTERED);
        String type = "unknown_task".equals(reason)
                ? UnknownTaskException.class.getName()
                : "io.forklift.InvalidTaskException";
        RemoteError error = RemoteError.of(type, message);
        complete(
                c.queue(),
                c.id(),
                c.attempt(),
                client,
                failure(c.id(), c.attempt(), 0, error),
                new DeadLetter(c.id(), c.queue(), reason, error, c.json(), config.workerId(), c.attempt()),
                -1);
    }

    /** A reply the worker writes itself, for a task that failed outside a child's task code. */
    String failure(String id, int attempt, long pid, RemoteError error) {
        return json(Reply.failure(id, error, config.workerId(), host, pid, attempt));
    }

    /**
     * A run ended: a success completes; a failure runs again after a backoff while the task has
     * attempts left and its error is one that retries; otherwise a task that had retries is
     * dead-lettered, and one without completes failed.
     */
    void ended(Trip.Accepted task, boolean ok, String replyJson) {
        Trip.Claimed c = task.claimed();
        TaskHeader h = task.header();
        if (ok) {
            metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.SUCCEEDED);
            complete(c.queue(), c.id(), c.attempt(), h.client(), replyJson, null, -1);
            return;
        }
        if (h.maxAttempts() <= 1) {
            metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.FAILED);
            complete(c.queue(), c.id(), c.attempt(), h.client(), replyJson, null, -1);
            return;
        }
        RemoteError error = readError(replyJson);
        if (h.retries(c.attempt(), error)) {
            metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.RETRIED);
            long delay = h.retryDelayMs(
                    c.attempt(),
                    java.util.concurrent.ThreadLocalRandom.current().nextDouble());
            log.info(
                    "task {} failed on attempt {} of {}; it runs again in {} ms",
                    c.id(),
                    c.attempt(),
                    h.maxAttempts(),
                    delay);
            complete(c.queue(), c.id(), c.attempt(), h.client(), replyJson, null, delay);
            return;
        }
        if (c.attempt() < h.maxAttempts()) {
            log.info(
                    "task {} failed on attempt {} with {}, which its pool does not retry; dead-lettering it",
                    c.id(),
                    c.attempt(),
                    error.type());
        }
        metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.DEAD_LETTERED);
        complete(
                c.queue(),
                c.id(),
                c.attempt(),
                h.client(),
                replyJson,
                new DeadLetter(c.id(), c.queue(), "failed", error, c.json(), config.workerId(), c.attempt()),
                -1);
    }

    private static RemoteError readError(String replyJson) {
        try {
            RemoteError error = Json.MAPPER.readValue(replyJson, Reply.class).error();
            if (error != null) return error;
        } catch (JsonProcessingException e) {
            // falls through: the run failed all the same
        }
        return RemoteError.of("unknown", "the task's last error could not be read");
    }

    /**
     * Buffers a completion for the next round trip; {@code dead} is non-null when the task is
     * dead-lettered, {@code retryDelayMs} is 0 or more when it is to run again after that delay.
     */
    private void complete(
            String queue, String id, int attempt, String client, String replyJson, DeadLetter dead, long retryDelayMs) {
        List<String> args = completionArgs(queue);
        args.add(id);
        args.add(Integer.toString(attempt));
        args.add(client == null ? "" : client);
        args.add(replyJson);
        args.add(dead == null ? "" : json(dead));
        args.add(retryDelayMs < 0 ? "" : Long.toString(retryDelayMs));
    }

    /** The {@code complete.lua} arguments of one queue: four header values, then 6-tuples. */
    private List<String> completionArgs(String queue) {
        return pending.computeIfAbsent(
                queue,
                q -> new ArrayList<>(List.of(
                        keys.resultsPrefix(q),
                        keys.replyPrefix(q),
                        Long.toString(config.resultTtl().toMillis()),
                        config.workerId())));
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
