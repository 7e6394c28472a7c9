package io.forklift;

import io.forklift.wire.RemoteError;

/**
 * The task's lease ran out as many times as housekeeping allows ({@code forklift coordinator
 * --max-attempts}): each worker that took it died, hung or lost Redis before finishing. It was
 * dead-lettered; {@code forklift dead retry} runs it again.
 */
public class LeaseExpiredException extends RemoteTaskException {
    public LeaseExpiredException(String taskId, RemoteError error) {
        super(taskId, error);
    }
}
