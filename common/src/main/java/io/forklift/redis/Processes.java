package io.forklift.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Processes' state in Redis, as plain commands plus {@code process_end.lua}: the registry entry
 * ({@code {_processes}:proc:<id>}), the exit list joiners block on, the output stream of each
 * starter, its liveness lease, and the signal channel. The only code that knows these keys' fields.
 */
public final class Processes {
    /** The most lines one starter's output stream holds; a starter that reads slower loses the oldest. */
    public static final long OUTPUT_CAP = 100_000;
    /** How many of the newest Processes' ids the recent list keeps. */
    public static final int RECENT = 200;

    private static final Duration OUTPUT_TTL = Duration.ofDays(1);
    private final Redis redis;
    private final Keys keys;

    public Processes(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /** One line a Process printed: its id, its kind ({@code o} stdout, {@code e} stderr, {@code end}), its text. */
    public record Line(String processId, String kind, String text) {}

    /** A line read back, with its stream id (for trimming). */
    public record Printed(String streamId, Line line) {}

    /**
     * Writes a new Process's registry entry, before its task is stored; it lives {@code ttl} unless
     * it ends sooner. Its id heads the list of recent Processes, which keeps the newest {@link #RECENT}.
     */
    public void register(String id, Map<String, String> fields, Duration ttl) {
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                p.hset(keys.process(id), fields);
                p.pexpire(keys.process(id), ttl.toMillis());
                p.lpush(keys.processesRecent(), id);
                p.ltrim(keys.processesRecent(), 0, RECENT - 1);
                p.sync();
            }
            return null;
        });
    }

    /** A Process's id and registry entry. */
    public record Entry(String id, Map<String, String> fields) {}

    /** The registry entries of the newest {@code limit} Processes started, newest first; expired ones left out. */
    public List<Entry> recent(int limit) {
        return redis.call(j -> {
            List<String> ids = j.lrange(keys.processesRecent(), 0, Math.min(limit, RECENT) - 1);
            List<Response<Map<String, String>>> got = new ArrayList<>();
            try (AbstractPipeline p = j.pipelined()) {
                for (String id : ids) got.add(p.hgetAll(keys.process(id)));
                p.sync();
            }
            List<Entry> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!got.get(i).get().isEmpty())
                    out.add(new Entry(ids.get(i), got.get(i).get()));
            }
            return out;
        });
    }

    /** The registry entry; empty when unknown or expired. */
    public Map<String, String> read(String id) {
        return redis.call(j -> j.hgetAll(keys.process(id)));
    }

    /**
     * A worker's child took the Process: records where it runs and returns the signal a client asked
     * for meanwhile (terminate or kill before it ran), or 0.
     */
    public int running(String id, long pid, String host, String worker) {
        String signal = redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                p.hset(
                        keys.process(id),
                        Map.of("state", "running", "pid", Long.toString(pid), "host", host, "worker", worker));
                Response<String> s = p.hget(keys.process(id), "signal");
                p.sync();
                return s.get();
            }
        });
        return signal == null ? 0 : Integer.parseInt(signal);
    }

    /** Asks for {@code signal} to be sent to a Process: stored (for a worker that takes it later) and published. */
    public void signal(String id, int signal) {
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                p.hset(keys.process(id), "signal", Integer.toString(signal));
                p.publish(keys.processSignals(), signal + " " + id);
                p.sync();
            }
            return null;
        });
    }

    /** Records the end (the first one wins) and wakes the joiners; true if this call recorded it. */
    public boolean end(String id, int exitCode, String error, Duration ttl) {
        ScriptCall<Long> call = new ScriptCall<>(
                Script.PROCESS_END,
                List.of(keys.process(id), keys.processExit(id)),
                List.of(Integer.toString(exitCode), error == null ? "" : error, Long.toString(ttl.toMillis())),
                Long.class::cast);
        return redis.run(call) == 1L;
    }

    /**
     * Appends lines to the starter's output stream in one round trip; the stream is capped and
     * expires. The same round trip names the stream on the ready channel, so HTTP readers parked on
     * it (the coordinator's lines long poll) read them at once.
     */
    public void print(String clientId, List<Line> lines) {
        if (lines.isEmpty()) return;
        String key = keys.processOutput(clientId);
        XAddParams capped = XAddParams.xAddParams().maxLen(OUTPUT_CAP).approximateTrimming();
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                for (Line l : lines) {
                    Map<String, String> entry = new LinkedHashMap<>();
                    entry.put("p", l.processId());
                    entry.put("s", l.kind());
                    entry.put("l", l.text());
                    p.xadd(key, capped, entry);
                }
                p.pexpire(key, OUTPUT_TTL.toMillis());
                p.publish(keys.readyChannel(), ReadyChannel.message(key, 1));
                p.sync();
            }
            return null;
        });
    }

    /**
     * Up to {@code count} lines after {@code afterId} ("0-0" for all), waiting up to {@code block} for
     * the first (the connection's read timeout must exceed it).
     */
    public List<Printed> readOutput(String clientId, String afterId, int count, Duration block) {
        String key = keys.processOutput(clientId);
        XReadParams params = XReadParams.xReadParams().count(count).block((int) block.toMillis());
        List<Map.Entry<String, List<StreamEntry>>> got =
                redis.call(j -> j.xread(params, Map.of(key, new StreamEntryID(afterId))));
        List<StreamEntry> entries = new ArrayList<>();
        if (got != null) got.forEach(stream -> entries.addAll(stream.getValue()));
        return printed(entries);
    }

    /** Up to {@code count} lines after {@code afterId}, without waiting: one XREAD with no BLOCK. */
    public List<Printed> readOutput(String clientId, String afterId, int count) {
        String key = keys.processOutput(clientId);
        XReadParams params = XReadParams.xReadParams().count(count);
        List<Map.Entry<String, List<StreamEntry>>> got =
                redis.call(j -> j.xread(params, Map.of(key, new StreamEntryID(afterId))));
        List<StreamEntry> entries = new ArrayList<>();
        if (got != null) got.forEach(stream -> entries.addAll(stream.getValue()));
        return printed(entries);
    }

    private static List<Printed> printed(List<StreamEntry> entries) {
        List<Printed> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            Map<String, String> f = e.getFields();
            out.add(new Printed(e.getID().toString(), new Line(f.get("p"), f.get("s"), f.get("l"))));
        }
        return out;
    }

    /** Drops the lines up to and including {@code lastId}: they were printed. */
    public void trimOutput(String clientId, String lastId) {
        StreamEntryID last = new StreamEntryID(lastId);
        StreamEntryID next = new StreamEntryID(last.getTime(), last.getSequence() + 1);
        redis.call(j ->
                j.xtrim(keys.processOutput(clientId), XTrimParams.xTrimParams().minId(next.toString())));
    }

    /** Takes or renews a starter's liveness lease. */
    public void holdOwner(String clientId, Duration lease) {
        redis.call(j ->
                j.set(keys.processOwner(clientId), "1", SetParams.setParams().px(lease.toMillis())));
    }

    /** Gives the lease up at a clean exit. */
    public void dropOwner(String clientId) {
        redis.call(j -> j.del(keys.processOwner(clientId)));
    }

    /** Which of {@code clientIds} still hold their liveness lease. */
    public Set<String> ownersAlive(Collection<String> clientIds) {
        List<String> ids = List.copyOf(clientIds);
        return redis.call(j -> {
            List<Response<Boolean>> found = new ArrayList<>();
            try (AbstractPipeline p = j.pipelined()) {
                for (String c : ids) found.add(p.exists(keys.processOwner(c)));
                p.sync();
            }
            Set<String> alive = new TreeSet<>();
            for (int i = 0; i < ids.size(); i++) if (found.get(i).get()) alive.add(ids.get(i));
            return alive;
        });
    }
}
