package io.forklift.wire;

/**
 * A failure reply a script owes a client: the task was dead-lettered inside a script (too large,
 * its lease ran out too often), which cannot sign, so a daemon holding the authkey builds, signs
 * and delivers it. Stored as JSON in {@code {q}:unreplied} until then.
 */
public record Owed(String id, String client, RemoteError error, String worker, int attempt) {}
