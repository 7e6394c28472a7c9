package io.forklift.worker.child;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** Worker to child: run this task. */
public record RunRequest(String id, int attempt, String queue, String task, ArrayNode args, boolean chunked, String worker) {
}
