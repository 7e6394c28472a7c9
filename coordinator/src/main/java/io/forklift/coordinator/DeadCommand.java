package io.forklift.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.ForkliftOptions;
import io.forklift.redis.Redis;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code forklift dead list|retry|purge --queue Q}: inspect and act on a queue's dead letters. */
@Command(
        name = "dead",
        mixinStandardHelpOptions = true,
        description = "List, retry or purge the dead-lettered tasks of a queue.")
public final class DeadCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "list, retry or purge")
    String action;

    @Option(names = "--queue", required = true, description = "The queue")
    String queue;

    @Option(
            names = "--limit",
            defaultValue = "100",
            description = "Most records to list or retry. Default: ${DEFAULT-VALUE}")
    int limit;

    @Option(
            names = "--redis",
            defaultValue = "${env:FORKLIFT_REDIS:-redis://127.0.0.1:6379}",
            description = "Redis URI. Default: ${DEFAULT-VALUE}")
    String redisUri;

    @Option(
            names = "--prefix",
            defaultValue = ForkliftOptions.DEFAULT_PREFIX,
            description = "Key prefix of the cluster. Default: ${DEFAULT-VALUE}")
    String prefix;

    @Override
    public Integer call() {
        try (Redis redis = Redis.connect(redisUri, prefix, Duration.ofSeconds(2), 1)) {
            DeadLetters dead = new DeadLetters(redis, queue);
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
                    System.out.printf("requeued %d dead-lettered tasks of queue '%s'%n", dead.retry(limit), queue);
                case "purge" -> System.out.printf("purged %d dead-lettered tasks of queue '%s'%n", dead.purge(), queue);
                default ->
                    throw new IllegalArgumentException("unknown action '" + action + "'; use list, retry or purge");
            }
        }
        return 0;
    }
}
