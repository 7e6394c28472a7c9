package io.forklift.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Deletes a queue ({@code forklift queue delete}): its task keys atomically, refused unless forced
 * while it holds tasks ready, leased or delayed ({@code queue_delete.lua}); then every other key
 * under the queue's hash tag (done bitmaps, result hashes, reply lists, any a later version adds),
 * found with SCAN on the node of the queue's slot; then its names in the registry and the active index.
 */
public final class QueueRemoval {
    private static final int SCAN_COUNT = 1000;

    private final Redis redis;
    private final Keys keys;
    private final HousekeepingScripts scripts;

    public QueueRemoval(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
        this.scripts = new HousekeepingScripts(keys);
    }

    /** What a delete did: the tasks the queue held, whether it was deleted, and how many keys of it went. */
    public record Outcome(HousekeepingScripts.Deleted found, long keysRemoved) {}

    public Outcome delete(String queue, boolean force) {
        Keys.checkQueue(queue);
        HousekeepingScripts.Deleted found = redis.run(scripts.deleteQueue(queue, force));
        if (!found.deleted()) return new Outcome(found, 0);
        long removed = unlinkMatching(keys.tagPrefix(queue));
        redis.call(j -> j.srem(keys.queues(), queue));
        redis.call(j -> j.srem(keys.activeQueues(), queue));
        return new Outcome(found, removed);
    }

    /** Unlinks every key starting with {@code prefix}; all are in the queue's slot, so on one node. */
    private long unlinkMatching(String prefix) {
        ScanParams params = new ScanParams().match(glob(prefix) + "*").count(SCAN_COUNT);
        return redis.call(u -> {
            long n = 0;
            try (Connection c = redis.connectionFor(prefix)) {
                Jedis j = new Jedis(c);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = j.scan(cursor, params);
                    if (!page.getResult().isEmpty())
                        n += j.unlink(page.getResult().toArray(String[]::new));
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            } catch (RuntimeException e) {
                redis.connectionFailed(e);
                throw e;
            }
            return n;
        });
    }

    /** {@code text} with the characters SCAN's MATCH treats as a pattern escaped. */
    static String glob(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
