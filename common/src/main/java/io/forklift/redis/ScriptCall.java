package io.forklift.redis;

import java.util.List;
import java.util.function.Function;

/**
 * One call of a Lua transition: its KEYS and ARGV in the order the script's header gives, and how
 * to read its reply. Only the typed script layer in this package builds one, so nothing else knows
 * a script's argument positions; callers run it with {@link Redis#run} or in a {@link ScriptBatch}.
 *
 * @param <T> the typed reply
 */
public final class ScriptCall<T> {
    private final Script script;
    private final List<String> keys;
    private final List<String> args;
    private final Function<Object, T> reader;

    ScriptCall(Script script, List<String> keys, List<String> args, Function<Object, T> reader) {
        this.script = script;
        this.keys = keys;
        this.args = args;
        this.reader = reader;
    }

    public Script script() {
        return script;
    }

    List<String> keys() {
        return keys;
    }

    List<String> args() {
        return args;
    }

    T read(Object reply) {
        return reader.apply(reply);
    }
}
