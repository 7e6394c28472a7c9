package io.forklift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import io.forklift.wire.ProcessSpec;
import io.forklift.wire.TaskMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes a task message exactly as it is stored: the JSON of a {@link TaskMessage}, signed with the
 * authkey for its queue when there is one, and checked against the payload limit. The one place
 * that does so, for a Java client's {@link Forklift} and for {@link TaskRelay} alike, so a task
 * submitted over HTTP is byte for byte what a Java client would have stored.
 */
final class TaskMessages {
    private TaskMessages() {}

    /**
     * A task id as workers, claim.lua's replay check and the reply routing read it:
     * {@code <client>-<sequence in base 36>}.
     */
    static String id(String clientId, long sequence) {
        return clientId + "-" + Long.toString(sequence, 36);
    }

    /**
     * The stored form of one task; throws {@link PayloadTooLargeException} over {@code options}'
     * limit and {@link IllegalArgumentException} when the arguments cannot be written as JSON.
     * {@code process} is set for a Process's task, null for a pool task.
     */
    static String write(
            ForkliftOptions options,
            String id,
            String queue,
            String taskName,
            ArrayNode args,
            boolean chunked,
            String clientId,
            Duration taskTimeout,
            RetryPolicy retries,
            ProcessSpec process) {
        long now = System.currentTimeMillis();
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(new TaskMessage(
                    TaskMessage.VERSION,
                    id,
                    queue,
                    taskName,
                    args,
                    chunked,
                    clientId,
                    taskTimeout.toMillis(),
                    retries,
                    now,
                    process));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the arguments of " + taskName + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        Authkey authkey = options.authkey();
        if (authkey != null) {
            json = authkey.sign(Authkey.TASK, queue, now + options.messageTtl().toMillis(), json);
        }
        if (json.length() * 3L > options.maxPayloadBytes()) {
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > options.maxPayloadBytes())
                throw new PayloadTooLargeException(queue, bytes, options.maxPayloadBytes());
        }
        return json;
    }
}
