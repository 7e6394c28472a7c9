package io.forklift.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * A shared pipe's Lua transitions as typed calls: holds on its ends (bind, renew, release), send,
 * and receive. The only code that knows their KEYS and ARGV order and reply shapes. A side is
 * {@code left} or {@code right}; a hold is {@code <side>/<holder>}.
 */
public final class PipeScripts {
    /** What a receive found: a message, the end of the stream, or how long to wait before looking again. */
    public sealed interface Received {}

    /** A message; {@code message} is null when the call only looked (poll). */
    public record Message(String message) implements Received {}

    /** The other end is closed and the inbox is empty. */
    public record EndOfStream() implements Received {}

    /** Nothing yet; block at most {@code millis} on the inbox and wake list, then look again. */
    public record Wait(long millis) implements Received {}

    public enum HoldOp {
        BIND,
        RENEW,
        RELEASE
    }

    /** Binds, renews or releases holds. Renew replies the holds that were gone (the end was lost). */
    public ScriptCall<List<String>> hold(ObjectKeys o, HoldOp op, List<String> holds) {
        List<String> args = new ArrayList<>(1 + holds.size());
        args.add(op.name().toLowerCase(java.util.Locale.ROOT));
        args.addAll(holds);
        return new ScriptCall<>(
                Script.PIPE_HOLD,
                List.of(o.meta(), o.holds(), o.wake("left"), o.wake("right")),
                args,
                r -> r instanceof List<?> ? QueueScripts.strings(r) : List.of());
    }

    /** Sends messages from {@code side} to the other end; replies how many. */
    public ScriptCall<Long> send(ObjectKeys o, String side, String hold, List<String> messages) {
        String other = other(side);
        List<String> args = new ArrayList<>(2 + messages.size());
        args.add(side);
        args.add(hold);
        args.addAll(messages);
        return new ScriptCall<>(
                Script.PIPE_SEND,
                List.of(o.meta(), o.holds(), o.inbox(other), o.wake(other), o.wake(side)),
                args,
                Long.class::cast);
    }

    /** Receives at {@code side}: takes the oldest message when {@code take}, else only looks. */
    public ScriptCall<Received> recv(ObjectKeys o, String side, String hold, boolean take) {
        return new ScriptCall<>(
                Script.PIPE_RECV,
                List.of(o.meta(), o.holds(), o.inbox(side), o.wake(side)),
                List.of(side, hold, take ? "1" : "0"),
                PipeScripts::received);
    }

    /**
     * Puts {@code message} (tagged, as {@link #recv} gave it) back at the head of {@code side}'s
     * inbox: it was taken for a caller that went away. Replies false when the pipe is gone.
     */
    public ScriptCall<Boolean> giveBack(ObjectKeys o, String side, String message) {
        return new ScriptCall<>(
                Script.PIPE_RETURN,
                List.of(o.meta(), o.inbox(side), o.wake(side)),
                List.of(message),
                r -> (Long) r == 1L);
    }

    private static Received received(Object reply) {
        List<?> r = (List<?>) reply;
        return switch ((String) r.get(0)) {
            case "msg" -> new Message(r.size() > 1 ? (String) r.get(1) : null);
            case "eof" -> new EndOfStream();
            default -> new Wait((Long) r.get(1));
        };
    }

    public static String other(String side) {
        return side.equals("left") ? "right" : "left";
    }
}
