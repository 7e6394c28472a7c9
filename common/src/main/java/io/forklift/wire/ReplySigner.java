package io.forklift.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;

/**
 * How a daemon writes the replies it sends clients: signed with the authkey for the client they are
 * for and valid as long as results are kept, or plain JSON when the cluster runs without an authkey.
 * Workers sign what their children return; workers and coordinators sign the failure replies that
 * scripts owe ({@link Owed}).
 */
public final class ReplySigner {
    private final Authkey authkey;
    private final Duration resultTtl;

    /** {@code authkey} null: replies go unsigned. */
    public ReplySigner(Authkey authkey, Duration resultTtl) {
        this.authkey = authkey;
        this.resultTtl = resultTtl;
    }

    /** The reply as it is stored: {@code replyJson} signed for {@code client}. */
    public String sign(String client, String replyJson) {
        if (authkey == null) return replyJson;
        return authkey.sign(Authkey.REPLY, client, System.currentTimeMillis() + resultTtl.toMillis(), replyJson);
    }

    /** The failure reply a script owed, built and signed. */
    public String owed(Owed owed, String host) {
        Reply failure = Reply.failure(owed.id(), owed.error(), owed.worker(), host, 0, owed.attempt());
        try {
            return sign(owed.client(), Json.MAPPER.writeValueAsString(failure));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a failure reply as JSON", e);
        }
    }
}
