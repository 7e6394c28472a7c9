package io.forklift.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.wire.Authkey;
import io.forklift.wire.TaskMessage;
import java.io.IOException;

/**
 * Checks a claimed task message before the worker holds it for a child: signed with the cluster's
 * authkey for the queue it came from and not expired, readable JSON, the right shape, the id and
 * queue it was stored under, a task registered here. A message that fails is dead-lettered with the
 * reason ({@code bad_signature}, {@code expired}, {@code invalid_json}, {@code schema},
 * {@code unknown_task}); nothing of it is loaded or run. Its submitter, named by the message or else
 * by the task id, is told, unless the signature is bad: then the named client may be a forgery's target.
 * Used from the dispatcher thread only.
 */
final class Intake {
    private final TaskCatalog catalog;
    private final String workerId;
    private final Authkey authkey;
    private final Completions completions;

    Intake(TaskCatalog catalog, String workerId, Authkey authkey, Completions completions) {
        this.catalog = catalog;
        this.workerId = workerId;
        this.authkey = authkey;
        this.completions = completions;
    }

    /** The task, ready for a child, if it may run here; null when it was dead-lettered. */
    Trip.Accepted check(Trip.Claimed c) {
        String payload;
        long validUntil = 0;
        boolean expired = false;
        if (authkey == null) {
            payload = Authkey.unwrap(c.json());
        } else {
            try {
                Authkey.Opened opened = authkey.open(Authkey.TASK, c.queue(), c.json());
                payload = opened.payload();
                validUntil = opened.validUntilMs();
                expired = validUntil <= System.currentTimeMillis();
            } catch (Authkey.BadSignatureException e) {
                completions.deadLetter(
                        c,
                        "",
                        "bad_signature",
                        "task " + c.id() + " in queue '" + c.queue() + "' was refused, nothing of it loaded or run: "
                                + e.getMessage());
                return null;
            }
        }
        TaskMessage message = read(c, payload);
        if (message == null) return null;
        String refusal = refusal(c, message, expired);
        if (refusal != null) {
            completions.deadLetter(
                    c,
                    message.client(),
                    refusal.substring(0, refusal.indexOf(' ')),
                    refusal.substring(refusal.indexOf(' ') + 1));
            return null;
        }
        return new Trip.Accepted(c, message, payload, validUntil);
    }

    /** The message without its arguments; null when it was dead-lettered as unreadable. */
    private TaskMessage read(Trip.Claimed c, String payload) {
        try {
            return TaskMessage.readWithoutArgs(payload);
        } catch (JsonProcessingException e) {
            completions.deadLetter(
                    c,
                    TaskMessage.clientOf(c.id()),
                    "invalid_json",
                    "task " + c.id() + " in queue '" + c.queue() + "' is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException | IllegalArgumentException e) {
            completions.deadLetter(
                    c,
                    TaskMessage.clientOf(c.id()),
                    "schema",
                    "task " + c.id() + " in queue '" + c.queue() + "' has the wrong shape: " + e.getMessage());
        }
        return null;
    }

    /** "reason message" when a readable message may not run; null when it may. */
    private String refusal(Trip.Claimed c, TaskMessage message, boolean expired) {
        if (!message.id().equals(c.id()) || !message.queue().equals(c.queue())) {
            return "schema task stored as " + c.id() + " in queue '" + c.queue() + "' carries the id " + message.id()
                    + " and the queue '" + message.queue() + "'";
        }
        if (expired) {
            return "expired task " + c.id() + " in queue '" + c.queue() + "' waited past its message's validity"
                    + " (ForkliftOptions.messageTtl) and was not run";
        }
        if (!catalog.contains(message.task())) {
            return "unknown_task task '" + message.task() + "' (queue '" + c.queue() + "') is not registered on worker "
                    + workerId;
        }
        return null;
    }
}
