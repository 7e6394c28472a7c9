package io.forklift.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.InvalidTaskException;
import io.forklift.UnknownTaskException;
import io.forklift.redis.TaskScripts.Completion;
import io.forklift.redis.TaskScripts.Delivery;
import io.forklift.wire.DeadLetter;
import io.forklift.wire.Json;
import io.forklift.wire.Owed;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import io.forklift.wire.ReplySigner;
import io.forklift.wire.TaskMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns how runs ended into the completions of the next round trip: done, run
 * again after a backoff, dead-lettered, or failed; each reply signed for its client with the
 * authkey. Also signs the failure replies scripts owe clients, for the next trip to deliver. While Redis is unreachable the batch waits here
 * and is sent again; it is bounded without a limit of its own, because nothing new is claimed
 * without Redis: at most the tasks leased here (children + prefetch) can finish meanwhile.
 * Used from the dispatcher thread only.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);

    private final WorkerConfig config;
    private final String host;
    private final WorkerMetrics metrics;
    private final ReplySigner signer;
    private java.util.function.BiConsumer<String, String> refused = (id, why) -> {};
    private Map<String, List<Completion>> pending = new LinkedHashMap<>();
    private Map<String, List<Delivery>> deliveries = new LinkedHashMap<>();

    Completions(WorkerConfig config, String host, WorkerMetrics metrics) {
        this.config = config;
        this.host = host;
        this.metrics = metrics;
        this.signer = new ReplySigner(config.authkey(), config.resultTtl());
    }

    /** Told the id and the reason of each task dead-lettered before it ran (a Process's must still end). */
    void onRefused(java.util.function.BiConsumer<String, String> listener) {
        this.refused = listener;
    }

    /** Whether nothing waits to go: no completion and no owed reply. */
    boolean isEmpty() {
        return pending.isEmpty() && deliveries.isEmpty();
    }

    /** Failure replies scripts owe clients in {@code queue} (tasks they dropped), signed here for the next trip. */
    void owe(String queue, List<Owed> owed) {
        for (Owed o : owed) {
            deliveries
                    .computeIfAbsent(queue, q -> new ArrayList<>())
                    .add(new Delivery(o.id(), o.client(), signer.owed(o, host)));
        }
    }

    /** The owed replies gathered, per queue, for a trip; starts a new batch. */
    Map<String, List<Delivery>> takeDeliveries() {
        Map<String, List<Delivery>> batch = deliveries;
        deliveries = new LinkedHashMap<>();
        return batch;
    }

    /** What has gathered, per queue, for a trip; starts a new batch. */
    Map<String, List<Completion>> take() {
        Map<String, List<Completion>> batch = pending;
        pending = new LinkedHashMap<>();
        return batch;
    }

    /** Completions Redis rejected: this worker no longer held their leases. */
    void rejectedAsStale(List<String> ids) {
        if (ids.isEmpty()) return;
        metrics.staleRejected(ids.size());
        log.warn(
                "{} completions rejected as stale (this worker no longer holds their leases: they were leased "
                        + "again, or a round trip whose reply was lost completed them already): {}",
                ids.size(),
                ids);
    }

    /** Puts back a batch whose trip failed; complete.lua rejects a repeat of one that did arrive. */
    void restore(Trip trip) {
        trip.completions().forEach((q, runs) -> runs.forEach(run -> complete(q, run)));
        trip.deliveries()
                .forEach((q, owed) ->
                        deliveries.computeIfAbsent(q, k -> new ArrayList<>()).addAll(owed));
    }

    /**
     * A task that cannot run: dead-lettered with {@code reason}; its submitter gets the error. Its
     * task name is untrusted input, so it is counted under the task label {@code invalid}.
     */
    void deadLetter(Trip.Claimed c, String client, String reason, String message) {
        log.warn("dead-lettering ({}): {}", reason, message);
        metrics.outcome(c.queue(), "invalid", WorkerMetrics.Outcome.DEAD_LETTERED);
        RemoteError error = RemoteError.of(
                "unknown_task".equals(reason) ? UnknownTaskException.class : InvalidTaskException.class, message);
        complete(c, client, failure(c.id(), c.attempt(), 0, error), deadLetter(c, reason, error), -1, 0);
        refused.accept(c.id(), message);
    }

    /** A reply the worker writes itself, for a task that failed outside a child's task code. */
    String failure(String id, int attempt, long pid, RemoteError error) {
        return json(Reply.failure(id, error, config.workerId(), host, pid, attempt));
    }

    /**
     * A run that failed outside the task's code (its child died, or its time ran out), with an error
     * of Forklift's own {@code type}: retried or ended as {@link #ended} decides.
     */
    void failed(Trip.Accepted task, long pid, Class<? extends Throwable> type, String message) {
        Trip.Claimed c = task.claimed();
        ended(task, false, failure(c.id(), c.attempt(), pid, RemoteError.of(type, message)));
    }

    /**
     * A run ended: a success completes; a failure runs again after a backoff while the task has
     * attempts left and its error is one that retries; otherwise a task that had retries is
     * dead-lettered, and one without completes failed.
     */
    void ended(Trip.Accepted task, boolean ok, String replyJson) {
        Trip.Claimed c = task.claimed();
        TaskMessage h = task.message();
        if (ok) {
            metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.SUCCEEDED);
            complete(c, h.client(), replyJson, null, -1, task.validUntilMs());
            return;
        }
        if (h.retry().maxAttempts() <= 1) {
            metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.FAILED);
            complete(c, h.client(), replyJson, null, -1, task.validUntilMs());
            return;
        }
        RemoteError error = readError(replyJson);
        if (h.retry().retries(c.attempt(), error)) {
            metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.RETRIED);
            long delay = h.retry()
                    .retryDelayMs(
                            c.attempt(),
                            java.util.concurrent.ThreadLocalRandom.current().nextDouble());
            log.info(
                    "task {} failed on attempt {} of {}; after {} ms housekeeping puts it at the front of its queue",
                    c.id(),
                    c.attempt(),
                    h.retry().maxAttempts(),
                    delay);
            complete(c, h.client(), replyJson, null, delay, task.validUntilMs());
            return;
        }
        if (c.attempt() < h.retry().maxAttempts()) {
            log.info(
                    "task {} failed on attempt {} with {}, which its pool does not retry; dead-lettering it",
                    c.id(),
                    c.attempt(),
                    error.type());
        }
        metrics.outcome(c.queue(), h.task(), WorkerMetrics.Outcome.DEAD_LETTERED);
        complete(c, h.client(), replyJson, deadLetter(c, "failed", error), -1, task.validUntilMs());
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
     * Buffers a completion for the next round trip; {@code deadLetterJson} is non-null when the task
     * is dead-lettered, {@code retryDelayMs} is 0 or more when it is to run again after that delay.
     */
    private void complete(
            Trip.Claimed c,
            String client,
            String replyJson,
            String deadLetterJson,
            long retryDelayMs,
            long validUntilMs) {
        String reply = client == null || client.isEmpty() ? replyJson : signer.sign(client, replyJson);
        complete(
                c.queue(),
                new Completion(c.id(), c.attempt(), client, reply, deadLetterJson, retryDelayMs, validUntilMs));
    }

    private void complete(String queue, Completion run) {
        pending.computeIfAbsent(queue, q -> new ArrayList<>()).add(run);
    }

    private String deadLetter(Trip.Claimed c, String reason, RemoteError error) {
        String pool = c.pool() == null || c.pool().isEmpty() ? null : c.pool();
        return json(new DeadLetter(c.id(), c.queue(), reason, error, c.json(), config.workerId(), c.attempt(), pool));
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
