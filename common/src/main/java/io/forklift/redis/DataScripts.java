package io.forklift.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lua transitions of shared objects other than queues and pipes as typed calls: opening and
 * deleting any object, and the writes of dicts, namespaces, lists, values, arrays and events. The
 * only code that knows their KEYS and ARGV order and reply shapes. Writes take a {@link Fence}
 * (null for none).
 */
public final class DataScripts {
    /** How an object's initial values are written when it is created. */
    public enum Initial {
        NONE,
        LIST,
        STRING
    }

    /**
     * An object to create or open.
     *
     * @param seedState whether to seed its state list (a bounded queue's room, a joinable queue's done)
     * @param settings  stored in its meta hash on creation only
     * @param values    written on creation only, as {@code initial} says
     */
    public record Open(
            String kind, Initial initial, boolean seedState, Map<String, String> settings, List<String> values) {}

    /** The object as stored: whether this call created it, and its meta hash (kind and settings). */
    public record Opened(boolean created, Map<String, String> meta) {}

    public ScriptCall<Opened> open(ObjectKeys o, Open open) {
        List<String> args = new ArrayList<>();
        args.add(open.kind());
        args.add(open.initial() == Initial.NONE ? "" : open.initial().name().toLowerCase(java.util.Locale.ROOT));
        args.add(open.seedState() ? "1" : "0");
        args.add(Integer.toString(open.settings().size()));
        open.settings().forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        args.addAll(open.values());
        String data = open.initial() == Initial.STRING ? o.value() : o.list();
        String state = open.kind().equals("joinable") ? o.done() : o.room();
        return new ScriptCall<>(Script.OBJECT_OPEN, List.of(o.meta(), data, state), args, r -> {
            List<?> flat = (List<?>) r;
            Map<String, String> meta = new LinkedHashMap<>();
            for (int i = 1; i + 1 < flat.size(); i += 2) meta.put((String) flat.get(i), (String) flat.get(i + 1));
            return new Opened((Long) flat.get(0) == 1L, meta);
        });
    }

    /** Deletes an object and every key it has; replies the kind it had, or null when there was none. */
    public ScriptCall<String> delete(ObjectKeys o) {
        return new ScriptCall<>(Script.OBJECT_DELETE, o.all(), List.of(o.takingPrefix()), r -> (String) r);
    }

    /** Empties a dict, namespace ({@code hash}) or list. */
    public ScriptCall<Long> clear(ObjectKeys o, String kind, Fence fence) {
        String data = kind.equals("list") ? o.list() : o.hash();
        return new ScriptCall<>(
                Script.OBJECT_CLEAR, List.of(o.meta(), data, o.fences()), fenced(fence, kind), Long.class::cast);
    }

    /** How a dict write decides: always, only if absent, only if present, only if equal to an expected value. */
    public enum PutMode {
        ALWAYS,
        ABSENT,
        PRESENT,
        EQUAL
    }

    /** Writes one entry; replies the previous value (null if none), or for {@link PutMode#EQUAL} "1"/"0". */
    public ScriptCall<String> dictPut(
            ObjectKeys o, String kind, Fence fence, PutMode mode, String expected, String key, String value) {
        List<String> args = fenced(fence, kind);
        args.addAll(
                List.of(mode.name().toLowerCase(java.util.Locale.ROOT), expected == null ? "" : expected, key, value));
        return new ScriptCall<>(Script.DICT_PUT, List.of(o.meta(), o.hash(), o.fences()), args, DataScripts::text);
    }

    /** Writes several entries (key, value, key, value…); replies how many. */
    public ScriptCall<String> dictPutAll(ObjectKeys o, String kind, Fence fence, List<String> pairs) {
        List<String> args = fenced(fence, kind);
        args.addAll(List.of("always", ""));
        args.addAll(pairs);
        return new ScriptCall<>(Script.DICT_PUT, List.of(o.meta(), o.hash(), o.fences()), args, DataScripts::text);
    }

    /** Removes a key (if {@code expected} is non-null, only when its value equals it); replies the old value or "1"/"0". */
    public ScriptCall<String> dictRemove(ObjectKeys o, String kind, Fence fence, String key, String expected) {
        List<String> args = fenced(fence, kind);
        args.addAll(List.of(key, expected == null ? "" : "equal", expected == null ? "" : expected));
        return new ScriptCall<>(Script.DICT_REMOVE, List.of(o.meta(), o.hash(), o.fences()), args, DataScripts::text);
    }

    /** Appends values ({@code index} null) or inserts them before {@code index}; replies the new size. */
    public ScriptCall<Long> listPush(ObjectKeys o, Fence fence, Integer index, List<String> values) {
        List<String> args = new ArrayList<>();
        Fence.add(args, fence);
        args.add(index == null ? "" : index.toString());
        args.addAll(values);
        return new ScriptCall<>(Script.LIST_PUSH, dataKeys(o, o.list()), args, Long.class::cast);
    }

    /** Replaces the element at {@code index} of a list or array; replies the previous one. */
    public ScriptCall<String> listSet(ObjectKeys o, String kind, Fence fence, int index, String value) {
        List<String> args = fenced(fence, kind);
        args.addAll(List.of(Integer.toString(index), value));
        return new ScriptCall<>(Script.LIST_SET, dataKeys(o, o.list()), args, DataScripts::text);
    }

    /** Removes the element at {@code index}; replies it. */
    public ScriptCall<String> listRemoveAt(ObjectKeys o, Fence fence, int index) {
        return listRemove(o, fence, "index", Integer.toString(index));
    }

    /** Removes the first element equal to {@code value}; replies "1" if one was removed, else "0". */
    public ScriptCall<String> listRemoveValue(ObjectKeys o, Fence fence, String value) {
        return listRemove(o, fence, "value", value);
    }

    private ScriptCall<String> listRemove(ObjectKeys o, Fence fence, String mode, String what) {
        List<String> args = new ArrayList<>();
        Fence.add(args, fence);
        args.addAll(List.of(mode, what));
        return new ScriptCall<>(Script.LIST_REMOVE, dataKeys(o, o.list()), args, DataScripts::text);
    }

    /** Reverses a list in place; replies its size. */
    public ScriptCall<Long> listReverse(ObjectKeys o, Fence fence) {
        List<String> args = new ArrayList<>();
        Fence.add(args, fence);
        return new ScriptCall<>(Script.LIST_REVERSE, dataKeys(o, o.list()), args, Long.class::cast);
    }

    /** Sets a value ({@code expected} null) or compares and sets; replies the previous value, or "1"/"0". */
    public ScriptCall<String> valueSet(ObjectKeys o, Fence fence, String expected, String value) {
        List<String> args = new ArrayList<>();
        Fence.add(args, fence);
        args.addAll(List.of(expected == null ? "set" : "equal", expected == null ? "" : expected, value));
        return new ScriptCall<>(Script.VALUE_SET, dataKeys(o, o.value()), args, DataScripts::text);
    }

    /** Adds {@code delta} (a whole number when {@code integral}); replies the new value as text. */
    public ScriptCall<String> valueAdd(ObjectKeys o, Fence fence, String delta, boolean integral) {
        List<String> args = new ArrayList<>();
        Fence.add(args, fence);
        args.addAll(List.of(delta, integral ? "int" : "float"));
        return new ScriptCall<>(Script.VALUE_ADD, dataKeys(o, o.value()), args, DataScripts::text);
    }

    /** Adds {@code delta} to element {@code index}, refused outside [min, max]; replies the new value. */
    public ScriptCall<String> arrayAdd(
            ObjectKeys o, Fence fence, int index, String delta, String min, String max, boolean integral) {
        List<String> args = new ArrayList<>();
        Fence.add(args, fence);
        args.addAll(List.of(Integer.toString(index), delta, min, max, integral ? "int" : "float"));
        return new ScriptCall<>(Script.ARRAY_ADD, dataKeys(o, o.list()), args, DataScripts::text);
    }

    /** Sets ({@code on}) or clears an event. */
    public ScriptCall<Long> eventSet(ObjectKeys o, boolean on) {
        return new ScriptCall<>(
                Script.EVENT_SET, List.of(o.meta(), o.flag()), List.of(on ? "1" : "0"), Long.class::cast);
    }

    private static List<String> dataKeys(ObjectKeys o, String data) {
        return List.of(o.meta(), data, o.fences());
    }

    private static List<String> fenced(Fence fence, String kind) {
        List<String> args = new ArrayList<>();
        Fence.add(args, fence);
        args.add(kind);
        return args;
    }

    /** A bulk or integer reply as text; null for a nil reply. */
    private static String text(Object reply) {
        if (reply == null) return null;
        return reply instanceof Long l ? l.toString() : (String) reply;
    }
}
