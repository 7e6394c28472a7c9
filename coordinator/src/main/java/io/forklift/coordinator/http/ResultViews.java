package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forklift.TaskRelay;
import io.forklift.redis.ReplyLists.Inbox;
import io.forklift.wire.Json;
import io.forklift.wire.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies as the API shows them: {@code {"id", "queue", "ok", "result" | "error", "worker", "host",
 * "pid", "attempt"}}, each verified as signed for its client first; one that is not (pushed by hand,
 * altered) is left out, logged and counted, as a Java client refuses it.
 */
final class ResultViews {
    private static final Logger log = LoggerFactory.getLogger(ResultViews.class);
    private final TaskRelay relay;
    private final AtomicLong refused = new AtomicLong();

    ResultViews(TaskRelay relay) {
        this.relay = relay;
    }

    long refused() {
        return refused.get();
    }

    /** The views of replies popped from {@code inbox}, in order, the refused ones left out. */
    List<ObjectNode> read(Inbox inbox, List<String> stored) {
        List<ObjectNode> views = new ArrayList<>(stored.size());
        for (String s : stored) {
            ObjectNode v = view(inbox.queue(), inbox.client(), s);
            if (v != null) views.add(v);
        }
        return views;
    }

    /** One stored reply of {@code client}'s task in {@code queue} as shown; null when refused. */
    ObjectNode view(String queue, String client, String stored) {
        Reply r;
        try {
            r = relay.read(client, stored);
        } catch (RuntimeException e) {
            refused.incrementAndGet();
            log.warn(
                    "refused a reply for client {} in queue {} ({} bytes): {}",
                    client,
                    queue,
                    stored.length(),
                    e.getMessage());
            return null;
        }
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("id", r.id());
        v.put("queue", queue);
        v.put("ok", r.ok());
        if (r.ok()) v.set("result", r.result() == null ? Json.MAPPER.nullNode() : r.result());
        else v.set("error", Json.MAPPER.valueToTree(r.error()));
        v.put("worker", r.worker());
        v.put("host", r.host());
        v.put("pid", r.pid());
        v.put("attempt", r.attempt());
        return v;
    }
}
