package io.forklift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.redis.ClientSequences;
import io.forklift.redis.Keys;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.TaskScripts;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import io.forklift.wire.ProcessSpec;
import io.forklift.wire.Reply;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Submits tasks by name with JSON arguments on behalf of clients that are not Java programs (the
 * coordinator's HTTP API), and reads the replies meant for them. A task stored here is exactly what
 * {@link Forklift} stores: the same message, signed with the same authkey for its queue, with an id
 * {@code <client>-<sequence in base 36>} whose sequence comes from Redis ({@code seq:<client>}),
 * so any number of gateways can act for the same client. Its reply goes to that client's reply list,
 * signed for it, and stays in the queue's results hashes for the workers' result TTL.
 *
 * <p>Thread-safe and stateless apart from a cache of queues already registered. Every call is one
 * or two Redis round trips on the caller's thread.
 */
public final class TaskRelay {
    private static final Pattern CLIENT_ID = Pattern.compile("[0-9a-z]{1,64}");
    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9_$.\\-]{1,200}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Longer than a client's done bitmap (the message TTL) and the default result TTL (1 h) live. */
    private static final Duration SEQUENCE_MARGIN = Duration.ofDays(7);

    private final Redis redis;
    private final ForkliftOptions options;
    private final TaskScripts scripts;
    private final ClientSequences sequences;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    /** {@code options} gives the authkey, the payload limit and the message TTL; its Redis URI is not used. */
    public TaskRelay(Redis redis, ForkliftOptions options) {
        this.redis = redis;
        this.options = options;
        this.scripts = new TaskScripts(redis.keys());
        this.sequences = new ClientSequences(redis);
    }

    /**
     * One task to submit: the registered task name, its one argument (any JSON), a hard time limit
     * (zero for none) and its retry policy (null for none).
     */
    public record Request(String task, JsonNode arg, Duration timeout, RetryPolicy retry) {
        public Request {
            if (task == null || !TASK_NAME.matcher(task).matches()) {
                throw new IllegalArgumentException("task must be a registered task name (a class's binary name, "
                        + "1-200 letters, digits, '.', '_', '$' or '-'), got "
                        + (task == null ? "none" : "'" + abbreviate(task) + "'"));
            }
            if (timeout == null) timeout = Duration.ZERO;
            if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative");
            if (retry == null) retry = RetryPolicy.NONE;
        }
    }

    /** A fresh client id: {@code h} and 20 random base-36 digits, never one a Java client makes (13 at most). */
    public static String newClientId() {
        StringBuilder id = new StringBuilder("h");
        for (int i = 0; i < 20; i++) id.append(Character.forDigit(RANDOM.nextInt(36), 36));
        return id.toString();
    }

    /** Throws naming the rule if {@code client} cannot be a client id. */
    public static String checkClient(String client) {
        if (client == null || !CLIENT_ID.matcher(client).matches()) {
            throw new IllegalArgumentException("a client id is 1-64 lower-case letters and digits, got "
                    + (client == null ? "none" : "'" + abbreviate(client) + "'"));
        }
        return client;
    }

    /**
     * Stores {@code tasks} in {@code queue} for {@code client}, in order, in one round trip after the
     * sequence numbers are reserved; returns their ids. Throws {@link PayloadTooLargeException} or
     * {@link IllegalArgumentException} before anything is stored when one of them cannot be.
     */
    public List<String> submit(String queue, String client, List<Request> tasks) {
        return store(queue, client, tasks, null, id -> {});
    }

    /**
     * Stores a Process's task ({@code fl.process(...)}, by name) for {@code client} on the cluster's
     * process queue; {@code register} gets its id before it is stored, to write its registry entry
     * first, as a Java client's ProcessHub does. Returns its id.
     */
    public String startProcess(String client, Request task, ProcessSpec spec, Consumer<String> register) {
        return store(Keys.PROCESS_QUEUE, client, List.of(task), spec, register).get(0);
    }

    private List<String> store(
            String queue, String client, List<Request> tasks, ProcessSpec spec, Consumer<String> beforeStore) {
        Keys.checkQueue(queue);
        checkClient(client);
        if (tasks.isEmpty()) return List.of();
        List<ArrayNode> args = new ArrayList<>(tasks.size());
        for (Request t : tasks) {
            ArrayNode a = Json.MAPPER.createArrayNode().add(t.arg() == null ? Json.MAPPER.nullNode() : t.arg());
            Json.checkDepth(a, "the arguments of " + t.task());
            args.add(a);
        }
        if (registered.add(queue)) new Queues(redis).register(List.of(queue));
        long first =
                sequences.reserve(client, tasks.size(), options.messageTtl().plus(SEQUENCE_MARGIN));
        List<TaskScripts.Stored> stored = new ArrayList<>(tasks.size());
        List<String> ids = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            Request t = tasks.get(i);
            String id = TaskMessages.id(client, first + i);
            stored.add(new TaskScripts.Stored(
                    id,
                    TaskMessages.write(
                            options, id, queue, t.task(), args.get(i), false, client, t.timeout(), t.retry(), spec)));
            ids.add(id);
        }
        ids.forEach(beforeStore);
        redis.run(scripts.submit(queue, false, stored));
        return ids;
    }

    /**
     * A reply as stored, verified for {@code client} with the authkey (when there is one) and read.
     * Throws {@link Authkey.BadSignatureException} for one not signed for this client, and
     * {@link IllegalArgumentException} for one that cannot be read.
     */
    public Reply read(String client, String stored) {
        String json = Reply.open(options.authkey(), client, stored);
        try {
            return Json.MAPPER.readValue(json, Reply.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("an unreadable reply (" + json.length() + " bytes): " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "… (" + s.length() + " characters)";
    }
}
