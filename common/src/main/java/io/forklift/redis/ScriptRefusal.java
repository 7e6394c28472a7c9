package io.forklift.redis;

import io.forklift.ForkliftException;

/**
 * A shared object's script refused a call with one of its error codes (NOOBJECT, WRONGKIND,
 * FENCED, TOOMANY, RANGE, OVERFLOW, NOTNUMBER, READONLY, WRITEONLY, CLOSED, BROKEN), before it
 * changed anything. The manager layer turns each into the exception its caller expects.
 */
public final class ScriptRefusal extends ForkliftException {
    private static final java.util.Set<String> CODES = java.util.Set.of(
            "NOOBJECT",
            "WRONGKIND",
            "FENCED",
            "TOOMANY",
            "RANGE",
            "OVERFLOW",
            "NOTNUMBER",
            "READONLY",
            "WRITEONLY",
            "CLOSED",
            "BROKEN",
            "NOTHELD",
            "OVERBOUND");

    private final String code;
    private final String detail;

    ScriptRefusal(String code, String detail, Throwable cause) {
        super(code + (detail.isEmpty() ? "" : " " + detail), cause);
        this.code = code;
        this.detail = detail;
    }

    /** The error code, e.g. {@code WRONGKIND}. */
    public String code() {
        return code;
    }

    /** What follows the code, e.g. the kind the object is; empty when nothing does. */
    public String detail() {
        return detail;
    }

    /** The refusal in a Redis error message, or null when the message carries none of the codes. */
    static ScriptRefusal parse(String message, Throwable cause) {
        if (message == null) return null;
        // error() raised inside a Lua function appends " script: <sha>, on @user_script:<line>."
        int script = message.indexOf(" script: ");
        String text = (script >= 0 ? message.substring(0, script) : message).strip();
        // Redis prefixes a one-word error reply with "ERR ".
        if (text.startsWith("ERR ")) text = text.substring(4);
        int space = text.indexOf(' ');
        String code = space < 0 ? text : text.substring(0, space);
        if (!CODES.contains(code)) return null;
        return new ScriptRefusal(code, space < 0 ? "" : text.substring(space + 1), cause);
    }
}
