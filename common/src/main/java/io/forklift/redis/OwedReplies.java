package io.forklift.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.wire.Json;
import io.forklift.wire.Owed;
import io.forklift.wire.RemoteError;
import java.util.ArrayList;
import java.util.List;

/** Reads the failure replies a script returns as owed: (task id, entry JSON) pairs from {@code {q}:unreplied}. */
final class OwedReplies {
    /** The JSON fields of an unreplied entry. */
    private record Stored(String client, RemoteError error, String worker, int attempt) {}

    private OwedReplies() {}

    /** An entry that cannot be read (written by hand into the hash) is skipped: nobody is owed anything by it. */
    static List<Owed> read(List<?> pairs) {
        List<Owed> out = new ArrayList<>(pairs.size() / 2);
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            try {
                Stored s = Json.MAPPER.readValue((String) pairs.get(i + 1), Stored.class);
                if (s.client() != null)
                    out.add(new Owed((String) pairs.get(i), s.client(), s.error(), s.worker(), s.attempt()));
            } catch (JsonProcessingException unreadable) {
                // skipped, see above
            }
        }
        return out;
    }
}
