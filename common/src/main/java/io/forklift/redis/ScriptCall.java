package io.forklift.redis;

import java.util.List;

/** One call of a Lua transition, for running several in one round trip with {@link Redis#runAll}. */
public record ScriptCall(Script script, List<String> keys, List<String> args) {}
