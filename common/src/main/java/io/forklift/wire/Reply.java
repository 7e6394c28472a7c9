package io.forklift.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a worker pushes to the submitter's reply list when a task ends.
 *
 * @param id      the task id
 * @param ok      true when {@code result} holds the task's return value
 * @param result  the return value (an array of values for a chunk); null when not ok
 * @param error   why the task failed; null when ok
 * @param worker  the worker daemon that ran it
 * @param host    the host of that worker
 * @param pid     the child process that ran it (0 when no child ran it, e.g. an unknown task)
 * @param attempt the attempt that produced this reply
 */
public record Reply(
        String id, boolean ok, JsonNode result, RemoteError error, String worker, String host, long pid, int attempt) {
    public static Reply success(String id, JsonNode result, String worker, String host, long pid, int attempt) {
        return new Reply(id, true, result, null, worker, host, pid, attempt);
    }

    /**
     * The JSON of a reply as stored: verified as signed for {@code client} when {@code authkey} is
     * not null (throwing {@link Authkey.BadSignatureException} when it is not), else unwrapped as is.
     */
    public static String open(Authkey authkey, String client, String stored) {
        return authkey == null
                ? Authkey.unwrap(stored)
                : authkey.verify(Authkey.REPLY, client, stored, System.currentTimeMillis())
                        .payload();
    }

    public static Reply failure(String id, RemoteError error, String worker, String host, long pid, int attempt) {
        return new Reply(id, false, null, error, worker, host, pid, attempt);
    }
}
