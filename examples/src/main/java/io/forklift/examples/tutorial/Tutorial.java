package io.forklift.examples.tutorial;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;

/** What the tutorial examples share: their queue and how a {@code main} connects. */
public final class Tutorial {
    /** The queue the examples submit to; a worker must serve it ({@code forklift local} does). */
    public static final String QUEUE = "tutorial";

    private Tutorial() {}

    /** Connects to {@code args[0]}, else {@code $FORKLIFT_REDIS}, else a Redis on localhost; {@code args[1]} is a key prefix. */
    public static Forklift connect(String[] args) {
        String env = System.getenv("FORKLIFT_REDIS");
        String uri = args.length > 0 ? args[0] : env != null ? env : "redis://127.0.0.1:6379";
        ForkliftOptions options = ForkliftOptions.of(uri);
        return Forklift.connect(args.length > 1 ? options.withPrefix(args[1]) : options);
    }
}
