package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forklift.redis.Keys;
import io.forklift.redis.ReplyLists;
import io.forklift.redis.ReplyLists.Inbox;
import io.forklift.wire.TaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Results: by id (any coordinator finds any result in its queue's results hashes for the result
 * TTL), and a client's own results as they come, by long poll or as an event stream. Both of the
 * latter take replies off the client's reply lists, so each reply reaches one of them once: use one
 * at a time per client id, as a Java program has one reply thread. A reply lost on a broken
 * connection is still found by id.
 */
final class ResultRoutes implements Router.Resource {
    static final int MAX_IDS = 1000;
    private final ReplyLists lists;
    private final ResultViews views;
    private final ReplyPump pump;
    private final ScheduledExecutorService timer;
    private final Duration resultWindow;
    private final Duration maxWait;

    ResultRoutes(
            ReplyLists lists,
            ResultViews views,
            ReplyPump pump,
            ScheduledExecutorService timer,
            Duration resultWindow,
            Duration maxWait) {
        this.lists = lists;
        this.views = views;
        this.pump = pump;
        this.timer = timer;
        this.resultWindow = resultWindow;
        this.maxWait = maxWait;
    }

    @Override
    public void register(Router r) {
        r.get(
                "/v1/queues/{queue}/results/{id}",
                Access.readQueue("queue"),
                Doc.of(
                                "results",
                                "A task's result by id: 200 when it ended, 202 while it is pending, 404 when unknown or expired")
                        .returns(200, "Result"),
                this::byId);
        r.post(
                "/v1/queues/{queue}/results",
                Access.readQueue("queue"),
                Doc.of("results", "Results of up to 1,000 tasks by id, without waiting")
                        .body("Lookup")
                        .returns(200, "LookupResult"),
                this::lookup);
        r.get(
                "/v1/results",
                Access.ANY,
                Doc.of(
                                "results",
                                "Long poll: the caller's next results (taken off its reply lists), waiting up to 'wait'")
                        .query(
                                "queues",
                                "string",
                                "comma-separated queues whose results to take (each needs read scope)")
                        .query(
                                "wait",
                                "string",
                                "how long to wait for the first, ISO-8601 (PT30S) or seconds; at most the server's --http-max-wait")
                        .query("max", "integer", "most results to return, 1-1000 (default 100)")
                        .returns(200, "Results"),
                this::poll);
        r.get(
                "/v1/results/stream",
                Access.ANY,
                Doc.of(
                                "results",
                                "Server-Sent Events: a 'hello' event, then one 'result' event per result of the caller as it comes")
                        .query("queues", "string", "comma-separated queues whose results to stream")
                        .produces("text/event-stream"),
                this::stream);
    }

    private void byId(Exchange ex) {
        String queue = ex.param("queue"), id = ex.param("id");
        String client = ownerOf(ex, id);
        Map<String, ObjectNode> found = find(queue, client, List.of(id));
        if (found.containsKey(id)) {
            ObjectNode v = found.get(id);
            v.put("state", v.get("ok").asBoolean() ? "succeeded" : "failed");
            ex.json(200, v);
        } else if (lists.stored(queue, List.of(id)).contains(id)) {
            ex.json(202, Map.of("id", id, "queue", queue, "state", "pending"));
        } else {
            throw new ApiException(
                    404,
                    "not_found",
                    "no task " + id + " in queue " + queue
                            + " (never submitted there, or its result is older than the result TTL)",
                    Map.of("id", id, "state", "unknown"));
        }
    }

    record LookupRequest(List<String> ids) {}

    private void lookup(Exchange ex) {
        String queue = ex.param("queue");
        List<String> ids = ex.body(LookupRequest.class).ids();
        if (ids == null || ids.isEmpty() || ids.size() > MAX_IDS)
            throw ApiException.badRequest("ids must list 1 to " + MAX_IDS + " task ids");
        Map<String, List<String>> byClient = new LinkedHashMap<>();
        for (String id : ids)
            byClient.computeIfAbsent(ownerOf(ex, id), c -> new ArrayList<>()).add(id);
        List<ObjectNode> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        byClient.forEach((client, theirs) -> {
            Map<String, ObjectNode> found = find(queue, client, theirs);
            results.addAll(found.values());
            for (String id : theirs) if (!found.containsKey(id)) missing.add(id);
        });
        List<String> pending = missing.isEmpty() ? List.of() : lists.stored(queue, missing);
        List<String> unknown =
                missing.stream().filter(id -> !pending.contains(id)).toList();
        ex.json(200, Map.of("results", results, "pending", pending, "unknown", unknown));
    }

    private void poll(Exchange ex) {
        List<Inbox> inboxes = inboxes(ex);
        Duration wait = ex.duration("wait", Duration.ZERO, maxWait);
        int max = ex.integer("max", 100, 1, ReplyPump.MAX_BATCH);
        ReplyLists.Popped now = lists.popNow(inboxes, max);
        if (now != null || wait.isZero()) {
            List<ObjectNode> results = now == null ? List.of() : views.read(now.inbox(), now.replies());
            ex.json(200, Map.of("client", inboxes.get(0).client(), "results", results));
            return;
        }
        new LongPoll(ex, inboxes, views, pump).start(wait, timer);
    }

    private void stream(Exchange ex) {
        new EventStream(ex, inboxes(ex), views, pump).start(timer);
    }

    /** The caller's reply lists of the queues it names, each checked against its token. */
    private static List<Inbox> inboxes(Exchange ex) {
        String client = ex.principal().requireClient();
        String queues = ex.query("queues");
        if (queues == null || queues.isBlank())
            throw ApiException.badRequest("name the queues whose results to take: ?queues=a,b");
        List<Inbox> inboxes = new ArrayList<>();
        for (String q : queues.split(",")) {
            String queue = q.strip();
            try {
                Keys.checkQueue(queue);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            ex.principal().readQueue(queue);
            Inbox inbox = new Inbox(queue, client);
            if (!inboxes.contains(inbox)) inboxes.add(inbox);
        }
        if (inboxes.size() > 100) throw ApiException.badRequest("name at most 100 queues");
        return inboxes;
    }

    /** The client a task id names; a 403 when it is not the caller's own (the cluster token reads any). */
    private static String ownerOf(Exchange ex, String id) {
        String client = TaskMessage.clientOf(id);
        if (client == null) throw ApiException.badRequest("'" + id + "' is not a task id (<client>-<sequence>)");
        Principal p = ex.principal();
        if (!p.cluster() && !client.equals(p.client())) {
            throw ApiException.forbidden(
                    "client:" + client,
                    "task " + id + " belongs to client " + client + ", not to this token's " + p.client());
        }
        return client;
    }

    private Map<String, ObjectNode> find(String queue, String client, List<String> ids) {
        long now = System.currentTimeMillis() / 60_000;
        Map<String, String> stored = lists.results(queue, ids, now - resultWindow.toMinutes() - 1, now + 1);
        Map<String, ObjectNode> found = new LinkedHashMap<>();
        stored.forEach((id, s) -> {
            ObjectNode v = views.view(queue, client, s);
            if (v != null) found.put(id, v);
        });
        return found;
    }
}
