package io.forklift.redis;

import java.util.regex.Pattern;

/**
 * Builds every Redis key Forklift uses; the table in {@code lua/KEYS.md} documents them (pattern,
 * type, writer, reader, TTL). Keys of one queue share the hash tag {@code {queue}}.
 */
public final class Keys {
    /**
     * The cluster-wide queue of Processes ({@code fl.process(...)}), which every worker serves unless
     * started with {@code --max-processes 0}. Reserved: a pool on it would hand its tasks to Processes' children.
     */
    public static final String PROCESS_QUEUE = "_processes";

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private final String prefix;

    public Keys(String prefix) {
        if (prefix == null || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("key prefix must not be null or contain braces: " + prefix);
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** Throws, naming the rule, if {@code queue} cannot be a queue name. */
    public static String checkQueue(String queue) {
        if (queue == null || !QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException(
                    "queue name '" + queue + "' must be 1-100 characters of letters, digits, '.', '_' or '-'");
        }
        return queue;
    }

    private String q(String queue) {
        return prefix + "{" + queue + "}:";
    }

    /** What every key of {@code queue} starts with (its hash tag): {@code forklift queue delete} removes them all. */
    public String tagPrefix(String queue) {
        return q(queue);
    }

    public String ready(String queue) {
        return q(queue) + "ready";
    }

    public String msgs(String queue) {
        return q(queue) + "msgs";
    }

    public String attempts(String queue) {
        return q(queue) + "attempts";
    }

    public String owners(String queue) {
        return q(queue) + "owners";
    }

    /** Per worker, the fence token of its newest claiming round trip (see claim.lua). */
    public String fences(String queue) {
        return q(queue) + "fences";
    }

    /** Results of one queue live in one hash per minute, {@code results:<epoch minute>}. */
    public String resultsPrefix(String queue) {
        return q(queue) + "results:";
    }

    /** Per client, a bitmap of the tasks of that client that ended (bit = the id's sequence number): a copy pushed again is refused. */
    public String donePrefix(String queue) {
        return q(queue) + "done:";
    }

    /** Failure replies owed to clients by scripts, until a daemon signs and delivers them. */
    public String unreplied(String queue) {
        return q(queue) + "unreplied";
    }

    public String inflight(String queue) {
        return q(queue) + "inflight";
    }

    /** The tasks holding a slot under the caps (a pool's own, the queue's --max-running): started by a child (or about to be), not ended. */
    public String running(String queue) {
        return q(queue) + "running";
    }

    /** The capped pools whose lane holds tasks, each once; a pool's lane is this key, ':' and the pool id. */
    public String lanes(String queue) {
        return q(queue) + "lanes";
    }

    /** The lane of a capped pool: its tasks waiting to start (fl.pool(q, n), n > 0). */
    public String lane(String queue, String pool) {
        return lanes(queue) + ":" + pool;
    }

    /** Each capped pool's cap, and its signature by the authkey (field {@code <pool>:sig}). */
    public String pools(String queue) {
        return q(queue) + "pools";
    }

    /** Each capped pool's count of tasks holding a slot. */
    public String poolRunning(String queue) {
        return q(queue) + "pool_running";
    }

    /** Task id -> its capped pool, from submit until the task ends. */
    public String poolOf(String queue) {
        return q(queue) + "pool_of";
    }

    public String delayed(String queue) {
        return q(queue) + "delayed";
    }

    public String meta(String queue) {
        return q(queue) + "meta";
    }

    public String wake(String queue) {
        return q(queue) + "wake";
    }

    public String dead(String queue) {
        return q(queue) + "dead";
    }

    public String replyPrefix(String queue) {
        return q(queue) + "reply:";
    }

    public String reply(String queue, String clientId) {
        return replyPrefix(queue) + clientId;
    }

    /**
     * Per client, the newest task sequence number handed out by {@code TaskRelay} (the HTTP API), so
     * any coordinator gives a client's tasks ids of the form {@code <client>-<n in base 36>} that never repeat.
     */
    public String sequence(String clientId) {
        return prefix + "seq:" + clientId;
    }

    /** A coordinator's wake list: a token here ends its reply pump's blocking pop, so it re-reads what it waits for. */
    public String inboxWake(String coordinatorId) {
        return prefix + "inbox-wake:" + coordinatorId;
    }

    public String worker(String workerId) {
        return prefix + "worker:" + workerId;
    }

    public String workers() {
        return prefix + "workers";
    }

    public String queues() {
        return prefix + "queues";
    }

    /** The queues housekeeping and cluster metrics visit each tick: those with work or a worker serving them. */
    public String activeQueues() {
        return prefix + "active-queues";
    }

    /** Scratch keys of one start-up permission check ({@code preflight.lua}), under a random name of their own; they expire at once. */
    public String preflight(String run) {
        return q(run) + "preflight:";
    }

    /** The pub/sub channel on which revoke.lua names each running task it revoked, so its worker stops it at once. */
    public String revokedChannel() {
        return prefix + "revoked";
    }

    /**
     * The pub/sub channel on which scripts name a key that may let waiters through now (a queue's
     * items, a room, done or event flag, a Process's exit list: includes/ready.lua), for the
     * coordinators' HTTP callers parked on it.
     */
    public String readyChannel() {
        return prefix + "ready";
    }

    /**
     * The keys of shared object {@code name} of manager {@code manager}: hash tag
     * {@code {m:<manager>/<name>}}. Both names follow {@link #checkQueue}'s rule, so the tag cannot
     * collide with a queue's.
     */
    public ObjectKeys object(String manager, String name) {
        return new ObjectKeys(prefix + "{m:" + manager + "/" + name + "}:");
    }

    /** A manager's registry: object name -> kind. */
    public String managerObjects(String manager) {
        return prefix + "manager:" + manager;
    }

    /** The names of every manager that has had an object. */
    public String managers() {
        return prefix + "managers";
    }

    /** A Process's registry entry: name, daemon, starter, state, pid, host, worker, exit code, signal asked for. */
    public String process(String processId) {
        return q(PROCESS_QUEUE) + "proc:" + processId;
    }

    /** A state list holding the exit code once a Process has ended; join() blocks on it. */
    public String processExit(String processId) {
        return q(PROCESS_QUEUE) + "exit:" + processId;
    }

    /** A stream of the lines that a client's Processes print, read and trimmed by that client. */
    public String processOutput(String clientId) {
        return q(PROCESS_QUEUE) + "out:" + clientId;
    }

    /** The ids of the newest Processes started, newest first, for the status page. */
    public String processesRecent() {
        return q(PROCESS_QUEUE) + "recent";
    }

    /** A client's liveness lease: while it exists, the client's daemonic Processes may run. */
    public String processOwner(String clientId) {
        return q(PROCESS_QUEUE) + "owner:" + clientId;
    }

    /** The pub/sub channel on which a client asks the worker running a Process to signal it: {@code <signal> <id>}. */
    public String processSignals() {
        return prefix + "process-signals";
    }

    public String leader() {
        return prefix + "coordinator:leader";
    }
}
