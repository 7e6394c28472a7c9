package io.forklift.worker.child;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.wire.RemoteError;

/**
 * Child to worker: how a task ended. The first frame a child sends is a hello, a result with
 * {@code id} null and its pid in {@code result}.
 */
public record RunResult(String id, boolean ok, JsonNode result, RemoteError error) {
}
