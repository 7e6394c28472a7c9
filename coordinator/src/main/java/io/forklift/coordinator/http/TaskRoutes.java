package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.RetryPolicy;
import io.forklift.TaskRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Submitting tasks: one, or a batch of up to 1,000 stored in one round trip, each signed with the
 * cluster's authkey exactly as a Java client's (through {@link TaskRelay}). The answer comes once
 * Redis has stored them: 201 with their ids, whose results the caller then reads by id, by long poll
 * or as an event stream.
 */
final class TaskRoutes implements Router.Resource {
    static final int MAX_BATCH = 1000;
    private final TaskRelay relay;

    TaskRoutes(TaskRelay relay) {
        this.relay = relay;
    }

    /** One task as posted: the registered task name, its argument, an optional time limit and retry policy. */
    record TaskRequest(String task, JsonNode arg, Long timeoutMs, RetryPolicy retry) {
        TaskRelay.Request toRelay() {
            if (timeoutMs != null && timeoutMs < 0) throw ApiException.badRequest("timeoutMs must be 0 (none) or more");
            return new TaskRelay.Request(
                    task, arg, timeoutMs == null ? Duration.ZERO : Duration.ofMillis(timeoutMs), retry);
        }
    }

    record BatchRequest(List<TaskRequest> tasks) {}

    @Override
    public void register(Router r) {
        r.post(
                "/v1/queues/{queue}/tasks",
                Access.writeQueue("queue"),
                Doc.of("tasks", "Submit one task (pool.apply_async)")
                        .body("TaskRequest")
                        .returns(201, "Submitted"),
                this::one);
        r.post(
                "/v1/queues/{queue}/batch",
                Access.writeQueue("queue"),
                Doc.of("tasks", "Submit up to 1,000 tasks in one request, stored in one Redis round trip, in order")
                        .body("BatchRequest")
                        .returns(201, "SubmittedBatch"),
                this::batch);
    }

    private void one(Exchange ex) {
        String queue = ex.param("queue");
        String client = ex.principal().requireClient();
        TaskRequest t = ex.body(TaskRequest.class);
        String id = relay.submit(queue, client, List.of(t.toRelay())).get(0);
        ex.json(201, Map.of("id", id, "queue", queue, "client", client));
    }

    private void batch(Exchange ex) {
        String queue = ex.param("queue");
        String client = ex.principal().requireClient();
        BatchRequest b = ex.body(BatchRequest.class);
        if (b.tasks() == null || b.tasks().isEmpty() || b.tasks().size() > MAX_BATCH) {
            throw ApiException.badRequest("tasks must list 1 to " + MAX_BATCH + " tasks");
        }
        List<TaskRelay.Request> requests = new ArrayList<>(b.tasks().size());
        for (int i = 0; i < b.tasks().size(); i++) {
            TaskRequest t = b.tasks().get(i);
            if (t == null) throw ApiException.badRequest("tasks[" + i + "] is null");
            try {
                requests.add(t.toRelay());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("tasks[" + i + "]: " + e.getMessage());
            }
        }
        List<String> ids = relay.submit(queue, client, requests);
        ex.json(201, Map.of("ids", ids, "queue", queue, "client", client));
    }
}
