package io.forklift.coordinator.http;

import io.forklift.coordinator.DeadLetters;
import io.forklift.redis.Redis;
import io.forklift.wire.Authkey;
import java.time.Duration;
import java.util.Map;

/** A queue's dead letters: list them, run them again (verified and signed anew), or purge them, as {@code forklift dead} does. */
final class DeadLetterRoutes implements Router.Resource {
    private final Redis redis;
    private final Authkey authkey;
    private final Duration messageTtl;

    DeadLetterRoutes(Redis redis, Authkey authkey, Duration messageTtl) {
        this.redis = redis;
        this.authkey = authkey;
        this.messageTtl = messageTtl;
    }

    @Override
    public void register(Router r) {
        r.get(
                "/v1/queues/{queue}/dead",
                Access.readQueue("queue"),
                Doc.of("dead letters", "A queue's dead letters, oldest first, with the reason and error of each")
                        .query("limit", "integer", "most records, 1-1000 (default 100)")
                        .returns(200, "DeadLetters"),
                this::list);
        r.post(
                "/v1/queues/{queue}/dead/retry",
                Access.writeQueue("queue"),
                Doc.of(
                                "dead letters",
                                "Run dead letters again, oldest first, attempts reset (with an authkey, each is verified and signed anew)")
                        .query("limit", "integer", "most to retry, 1-100000 (default all, up to 100000)")
                        .query("id", "string", "retry only the dead letter of this task id")
                        .returns(200, "Retried"),
                this::retry);
        r.post(
                "/v1/queues/{queue}/dead/purge",
                Access.writeQueue("queue"),
                Doc.of("dead letters", "Delete every dead letter of the queue").returns(200, "Purged"),
                this::purge);
    }

    private void list(Exchange ex) {
        DeadLetters dead = new DeadLetters(redis, ex.param("queue"));
        int limit = ex.integer("limit", 100, 1, 1000);
        ex.json(200, Map.of("queue", ex.param("queue"), "count", dead.size(), "records", dead.list(limit)));
    }

    private void retry(Exchange ex) {
        int limit = ex.integer("limit", 100_000, 1, 100_000);
        DeadLetters dead = new DeadLetters(redis, ex.param("queue"));
        String id = ex.query("id");
        long n = id == null ? dead.retry(limit, authkey, messageTtl) : dead.retry(id, limit, authkey, messageTtl);
        ex.json(200, Map.of("queue", ex.param("queue"), "retried", n));
    }

    private void purge(Exchange ex) {
        long n = new DeadLetters(redis, ex.param("queue")).purge();
        ex.json(200, Map.of("queue", ex.param("queue"), "purged", n));
    }
}
