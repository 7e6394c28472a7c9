package io.forklift;

import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.redis.Script;
import io.forklift.redis.ScriptCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client's submit thread: takes task messages from an outbox and stores them with
 * {@code submit.lua}, as many as have gathered per round trip, so submitting N tasks in a loop costs
 * about N / batch round trips. A batch Redis refuses fails each of its tasks' results.
 */
final class Submitter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);
    private static final int MAX_BATCH = 1000;

    /** One task waiting to be stored. */
    record Outgoing(String queue, String id, String json) {
    }

    private final Redis redis;
    private final ReplyRouter router;
    private final LinkedBlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();
    private volatile boolean stopping;

    Submitter(Redis redis, ReplyRouter router) {
        this.redis = redis;
        this.router = router;
    }

    void send(Outgoing task) {
        if (stopping) throw new IllegalStateException("this Forklift client is closed");
        outbox.add(task);
    }

    /** Stops after storing what is already in the outbox. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                Outgoing first = outbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) return;
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, MAX_BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("submitting {} tasks failed", batch.size(), e);
                for (Outgoing t : batch) router.fail(t.id(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private void store(List<Outgoing> batch) {
        Map<String, List<Outgoing>> byQueue = new LinkedHashMap<>();
        for (Outgoing t : batch) byQueue.computeIfAbsent(t.queue(), q -> new ArrayList<>()).add(t);
        Keys keys = redis.keys();
        List<ScriptCall> calls = new ArrayList<>(byQueue.size());
        for (Map.Entry<String, List<Outgoing>> e : byQueue.entrySet()) {
            String queue = e.getKey();
            List<String> args = new ArrayList<>(2 * e.getValue().size());
            for (Outgoing t : e.getValue()) {
                args.add(t.id());
                args.add(t.json());
            }
            calls.add(new ScriptCall(Script.SUBMIT, List.of(keys.ready(queue), keys.msgs(queue), keys.wake(queue)), args));
        }
        redis.runAll(calls);
    }
}
