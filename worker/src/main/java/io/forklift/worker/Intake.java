package io.forklift.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.wire.TaskMessage;
import java.io.IOException;

/**
 * Checks a claimed task message before the worker holds it for a child: readable JSON, the right
 * shape, the id it was queued under, a task registered here. A message that fails is dead-lettered
 * with the reason ({@code invalid_json}, {@code schema}, {@code unknown_task}) and its submitter is
 * told when its id can be read; nothing of it is loaded or run. Used from the dispatcher thread only.
 */
final class Intake {
    private final TaskCatalog catalog;
    private final String workerId;
    private final Completions completions;

    Intake(TaskCatalog catalog, String workerId, Completions completions) {
        this.catalog = catalog;
        this.workerId = workerId;
        this.completions = completions;
    }

    /** The task's message, read without its arguments, if it may run here; null when it was dead-lettered. */
    TaskMessage check(Trip.Claimed c) {
        TaskMessage message;
        try {
            message = TaskMessage.readWithoutArgs(c.json());
        } catch (JsonProcessingException e) {
            completions.deadLetter(
                    c,
                    "",
                    "invalid_json",
                    "task " + c.id() + " in queue '" + c.queue() + "' is not valid JSON: " + e.getOriginalMessage());
            return null;
        } catch (IOException | IllegalArgumentException e) {
            completions.deadLetter(
                    c,
                    "",
                    "schema",
                    "task " + c.id() + " in queue '" + c.queue() + "' has the wrong shape: " + e.getMessage());
            return null;
        }
        if (!message.id().equals(c.id())) {
            completions.deadLetter(
                    c,
                    message.client(),
                    "schema",
                    "task queued as " + c.id() + " in queue '" + c.queue() + "' carries the id " + message.id());
            return null;
        }
        if (!catalog.contains(message.task())) {
            completions.deadLetter(
                    c,
                    message.client(),
                    "unknown_task",
                    "task '" + message.task() + "' (queue '" + c.queue() + "') is not registered on worker " + workerId
                            + "; list it in META-INF/services/io.forklift.Task of a jar in the worker's --tasks folder");
            return null;
        }
        return message;
    }
}
