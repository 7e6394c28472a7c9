package io.forklift.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Lua transition, read from {@code /io/forklift/lua/<name>.lua} with its includes resolved, and
 * called by the SHA-1 of that resolved source. A line {@code --@include name} is replaced by
 * {@code /io/forklift/lua/includes/<name>.lua} (once per script, however often it is named), so Lua
 * that several scripts share is written once, as BullMQ's {@code commands/includes/}.
 */
public record Script(String name, String source, String sha) {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^--@include (\\w+)\\s*$");

    public static final Script SUBMIT = load("submit");
    public static final Script CLAIM = load("claim");
    public static final Script COMPLETE = load("complete");
    public static final Script REVOKE = load("revoke");
    public static final Script RENEW = load("renew");
    public static final Script RELEASE = load("release");
    public static final Script REQUEUE_EXPIRED = load("requeue_expired");
    public static final Script LEADER = load("leader");
    public static final Script DEAD_RETRY = load("dead_retry");
    public static final Script PROMOTE_DELAYED = load("promote_delayed");
    public static final Script PRUNE_QUEUE = load("prune_queue");
    public static final Script POOL_FORGET = load("pool_forget");
    public static final Script QUEUE_DELETE = load("queue_delete");
    public static final Script DELIVER = load("deliver");
    public static final Script PREFLIGHT = load("preflight");
    public static final Script OBJECT_OPEN = load("object_open");
    public static final Script OBJECT_DELETE = load("object_delete");
    public static final Script OBJECT_CLEAR = load("object_clear");
    public static final Script QUEUE_PUT = load("queue_put");
    public static final Script QUEUE_TAKE = load("queue_take");
    public static final Script QUEUE_ACK = load("queue_ack");
    public static final Script QUEUE_TASK_DONE = load("queue_task_done");
    public static final Script PIPE_HOLD = load("pipe_hold");
    public static final Script PIPE_SEND = load("pipe_send");
    public static final Script PIPE_RECV = load("pipe_recv");
    public static final Script PIPE_RETURN = load("pipe_return");
    public static final Script DICT_PUT = load("dict_put");
    public static final Script DICT_REMOVE = load("dict_remove");
    public static final Script LIST_PUSH = load("list_push");
    public static final Script LIST_SET = load("list_set");
    public static final Script LIST_REMOVE = load("list_remove");
    public static final Script LIST_REVERSE = load("list_reverse");
    public static final Script VALUE_SET = load("value_set");
    public static final Script VALUE_ADD = load("value_add");
    public static final Script ARRAY_ADD = load("array_add");
    public static final Script EVENT_SET = load("event_set");
    public static final Script PROCESS_END = load("process_end");
    public static final Script LOCK_ACQUIRE = load("lock_acquire");
    public static final Script LOCK_RELEASE = load("lock_release");
    public static final Script LOCK_RENEW = load("lock_renew");
    public static final Script LOCK_CANCEL = load("lock_cancel");
    public static final Script LOCK_GUARD = load("lock_guard");
    public static final Script FENCE_PUBLISH = load("fence_publish");
    public static final Script COND_WAIT = load("cond_wait");
    public static final Script COND_NOTIFY = load("cond_notify");
    public static final Script BARRIER_WAIT = load("barrier_wait");
    public static final Script BARRIER_BREAK = load("barrier_break");
    public static final Script BARRIER_RENEW = load("barrier_renew");

    /** Reads and resolves a script; public for tests that check every file under {@code lua/}. */
    public static Script load(String name) {
        String source = resolve(read(name + ".lua"), new LinkedHashSet<>());
        return new Script(name, source, sha1(source));
    }

    private static String resolve(String source, Set<String> included) {
        Matcher m = INCLUDE.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String include = m.group(1);
            String body = included.add(include) ? resolve(read("includes/" + include + ".lua"), included) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(body.stripTrailing()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String file) {
        String path = "/io/forklift/lua/" + file;
        try (InputStream in = Script.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
