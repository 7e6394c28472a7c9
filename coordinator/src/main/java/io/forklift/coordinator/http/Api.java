package io.forklift.coordinator.http;

import io.forklift.ForkliftOptions;
import io.forklift.TaskRelay;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.Redis;
import io.forklift.redis.ReplyLists;
import io.forklift.wire.Authkey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The API's parts wired together: the task relay, the reply pump, the status sampler, and a
 * {@link Router} holding every resource family. {@link #router()} is the extension point: the
 * Manager objects' and processes' endpoints register their own {@link Router.Resource} on it
 * (before the server starts), with routes whose {@link Access} names the object or queue they touch.
 */
public final class Api implements AutoCloseable {
    private final Router router = new Router();
    private final Tokens tokens;
    private final ReplyPump pump;
    private final ResultViews views;
    private final StatusSampler sampler;
    private final ScheduledExecutorService timer;
    private final Parking parking;

    /**
     * @param redis         a connection pool for the API's own use (one connection blocks in the reply pump)
     * @param coordinatorId names this coordinator's wake list
     * @param authkey       the cluster's authkey; null only with {@code --http-insecure}
     * @param resultTtl     how far back results are looked up by id (the workers' {@code --result-ttl})
     */
    public Api(Redis redis, String coordinatorId, Authkey authkey, Duration resultTtl, Duration maxWait) {
        this(redis, coordinatorId, authkey, resultTtl, maxWait, null);
    }

    /**
     * As above, serving the Manager objects of {@code objects} too ({@code /v1/managers/…}); the
     * caller closes {@code objects} after this API.
     */
    public Api(
            Redis redis,
            String coordinatorId,
            Authkey authkey,
            Duration resultTtl,
            Duration maxWait,
            ObjectStore objects) {
        ForkliftOptions options = ForkliftOptions.of("redis://unused")
                .withPrefix(redis.keys().prefix())
                .withAuthkey(authkey);
        TaskRelay relay = new TaskRelay(redis, options);
        ReplyLists lists = new ReplyLists(redis);
        this.tokens = authkey == null ? null : new Tokens(authkey);
        this.views = new ResultViews(relay);
        this.pump = new ReplyPump(lists, redis.keys().inboxWake(coordinatorId));
        this.sampler = new StatusSampler(redis);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "http-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(sampler::sample, 0, StatusSampler.EVERY.toMillis(), TimeUnit.MILLISECONDS);
        this.parking = new Parking(redis, timer);
        ProcessWaits joins = new ProcessWaits(redis, parking);
        for (Router.Resource family : List.of(
                new TaskRoutes(relay),
                new ProcessRoutes(redis, relay, joins, maxWait),
                new ResultRoutes(lists, views, pump, timer, resultTtl, maxWait),
                new StatusRoutes(redis, sampler),
                new DeadLetterRoutes(redis, authkey, options.messageTtl()),
                new TokenRoutes(tokens),
                new PageRoutes(),
                new OpenApiRoutes(router))) {
            router.add(family);
        }
        if (objects != null) router.add(new ObjectRoutes(objects, redis, parking, maxWait));
    }

    /** Where resource families register; see the class comment. */
    public Router router() {
        return router;
    }

    /** Null when the API runs without an authkey. */
    public Tokens tokens() {
        return tokens;
    }

    /** HTTP clients now waiting for results on this coordinator. */
    public int waiting() {
        return pump.waiters();
    }

    /** Manager object calls (queue get, event wait…) blocked now on this coordinator. */
    public int objectsWaiting() {
        return parking.waiting();
    }

    /** Replies refused by their signature (pushed by hand, altered). */
    public long refusedReplies() {
        return views.refused();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pump.close();
        parking.close();
    }
}
