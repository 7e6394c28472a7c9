package io.forklift;

import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the replies a client pops: checks each one's signature (with an authkey) and reads its JSON,
 * counting the refused ones; a reply too large or too deeply nested to read fails its task.
 */
final class ReplyOpener {
    private static final Logger log = LoggerFactory.getLogger(ReplyOpener.class);

    private final Authkey authkey;
    private final String clientId;
    private final BiConsumer<String, Throwable> failTask;
    private final AtomicLong refused = new AtomicLong();

    /** Opens replies for client {@code clientId}; {@code failTask} fails the task of an unreadable one. */
    ReplyOpener(Authkey authkey, String clientId, BiConsumer<String, Throwable> failTask) {
        this.authkey = authkey;
        this.clientId = clientId;
        this.failTask = failTask;
    }

    /** Replies refused by their signature so far. */
    long refused() {
        return refused.get();
    }

    /**
     * A reply as stored, checked: with an authkey, one not signed for this client (pushed by hand,
     * altered, meant for another client) is refused and counted; null for a reply that is refused
     * or unreadable.
     */
    Reply open(String stored) {
        String json;
        try {
            json = Reply.open(authkey, clientId, stored);
        } catch (Authkey.BadSignatureException e) {
            refused.incrementAndGet();
            log.warn(
                    "refused a reply ({} bytes): {}; the task's real result still counts",
                    stored.length(),
                    e.getMessage());
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, Reply.class);
        } catch (Exception e) {
            String id = idOf(json);
            log.error("an unreadable reply ({} bytes) for task {}: {}", json.length(), id, e.getMessage());
            if (id != null) {
                failTask.accept(
                        id,
                        RemoteTaskException.of(
                                id,
                                RemoteError.of(
                                        ResultTooLargeException.class,
                                        "the result of task "
                                                + id + " could not be read here (" + e.getMessage()
                                                + "): too large or too deeply nested;"
                                                + " return a reference to large data instead")));
            }
            return null;
        }
    }

    /** The task id a reply names, read before whatever made it unreadable; null when even that fails. */
    private static String idOf(String json) {
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return null;
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if ("id".equals(field))
                    return value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
            }
        } catch (Exception unreadable) {
            // the id comes first in every reply Forklift writes; past it, give up
        }
        return null;
    }
}
