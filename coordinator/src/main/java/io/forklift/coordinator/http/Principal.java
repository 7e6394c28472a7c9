package io.forklift.coordinator.http;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;

/**
 * Who a request comes from, as its bearer token says: the cluster (the authkey-derived token: every
 * queue and object, minting tokens) or a scoped token (its queues and objects, as globs such as
 * {@code crawl} or {@code shop/*}; read-only or not; its client id). Every check throws a 403
 * {@link ApiException} naming the scope that is missing.
 *
 * @param client the client id whose tasks and results this caller's are; null for the cluster token
 *               until a request names one ({@code Forklift-Client} header)
 */
public record Principal(boolean cluster, String client, List<String> queues, List<String> objects, boolean readOnly) {
    /** An API served without an authkey ({@code --http-insecure}): everything is allowed. */
    public static Principal unchecked(String client) {
        return new Principal(true, client, List.of("*"), List.of("*"), false);
    }

    public Principal withClient(String client) {
        return new Principal(cluster, client, queues, objects, readOnly);
    }

    public void readQueue(String queue) {
        if (!matches(queues, queue)) throw ApiException.forbidden("queue:" + queue, noScope("queue '" + queue + "'"));
    }

    public void writeQueue(String queue) {
        readQueue(queue);
        if (readOnly)
            throw ApiException.forbidden("write", "this token is read-only; it cannot change queue '" + queue + "'");
    }

    public void readObject(String name) {
        if (!matches(objects, name)) throw ApiException.forbidden("object:" + name, noScope("object '" + name + "'"));
    }

    public void writeObject(String name) {
        readObject(name);
        if (readOnly)
            throw ApiException.forbidden("write", "this token is read-only; it cannot change object '" + name + "'");
    }

    public void requireCluster() {
        if (!cluster) throw ApiException.forbidden("cluster", "only the cluster token may do this");
    }

    /** The client id of this caller; a 400 when the cluster token names none. */
    public String requireClient() {
        if (client == null) {
            throw ApiException.badRequest("name the client with the header Forklift-Client "
                    + "(POST /v1/clients issues one), or use a scoped token, which carries its own");
        }
        return client;
    }

    private String noScope(String what) {
        return "this token does not cover " + what + " (it covers queues " + queues + ", objects " + objects + ")";
    }

    /** Whether a name matches one of the globs ({@code *} any run of characters but '/', {@code **} any). */
    static boolean matches(List<String> globs, String name) {
        for (String glob : globs) {
            if (glob.equals("*") || glob.equals("**") || glob.equals(name)) return true;
            try {
                if (FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(name))) return true;
            } catch (RuntimeException notAPathOrGlob) {
                // a name or glob the matcher cannot read matches nothing
            }
        }
        return false;
    }
}
