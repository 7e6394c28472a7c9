package io.forklift;

import io.forklift.wire.RemoteError;

/**
 * The task returned a result larger than its worker sends back ({@code forklift worker
 * --max-result}) or than this program can read. Return a reference instead (a URL, a key, a path).
 */
public class ResultTooLargeException extends RemoteTaskException {
    public ResultTooLargeException(String taskId, RemoteError error) {
        super(taskId, error);
    }
}
