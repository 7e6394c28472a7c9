package io.forklift.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.ForkliftOptions;
import io.forklift.daemon.options.AuthkeyOptions;
import io.forklift.daemon.options.RedisOptions;
import io.forklift.redis.Redis;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code forklift dead list|retry|purge --queue Q}: inspect and act on a queue's dead letters. */
@Command(
        name = "dead",
        mixinStandardHelpOptions = true,
        description = "List, retry or purge the dead-lettered tasks of a queue.")
public final class DeadCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redis;

    @Mixin
    AuthkeyOptions authkey;

    @Parameters(index = "0", description = "list, retry or purge")
    String action;

    @Option(names = "--queue", required = true, description = "The queue")
    String queue;

    @Option(
            names = "--limit",
            defaultValue = "100",
            description = "Most records to list or retry. Default: ${DEFAULT-VALUE}")
    int limit;

    @Override
    public Integer call() {
        try (Redis conn = redis.connect(1)) {
            DeadLetters dead = new DeadLetters(conn, queue);
            switch (action) {
                case "list" -> {
                    for (JsonNode r : dead.list(limit)) {
                        System.out.printf(
                                "%-28s %-14s attempt %-3s %s%n",
                                r.path("id").asText("?"),
                                r.path("reason").asText("?"),
                                r.path("attempt").asText("?"),
                                r.path("error").path("message").asText(r.isTextual() ? r.asText() : ""));
                    }
                    System.out.printf("%d dead-lettered in queue '%s'%n", dead.size(), queue);
                }
                case "retry" ->
                    System.out.printf(
                            "requeued %d dead-lettered tasks of queue '%s'%n",
                            dead.retry(limit, authkey.authkey(), ForkliftOptions.DEFAULT_MESSAGE_TTL), queue);
                case "purge" -> System.out.printf("purged %d dead-lettered tasks of queue '%s'%n", dead.purge(), queue);
                default ->
                    throw new IllegalArgumentException("unknown action '" + action + "'; use list, retry or purge");
            }
        }
        return 0;
    }
}
