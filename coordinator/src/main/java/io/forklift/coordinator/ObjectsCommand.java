package io.forklift.coordinator;

import io.forklift.daemon.options.RedisOptions;
import io.forklift.redis.ObjectReads;
import io.forklift.redis.Redis;
import io.forklift.wire.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code forklift objects}: the Manager's shared objects: name, kind, size and idle time. */
@Command(
        name = "objects",
        mixinStandardHelpOptions = true,
        description = "List the shared objects of one manager, or of all: name, kind, size and idle time.")
public final class ObjectsCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redisOptions;

    @Option(names = "--manager", description = "Only this manager's objects")
    String manager;

    @Option(names = "--json", description = "Print one JSON array")
    boolean json;

    /** What the last run listed, for tests. */
    List<ObjectReads.Listed> listed;

    @Override
    public Integer call() throws Exception {
        try (Redis redis = redisOptions.connect(1)) {
            ObjectReads reads = new ObjectReads(redis);
            listed = new ArrayList<>();
            for (String m : manager != null ? List.of(manager) : List.copyOf(reads.managers())) {
                listed.addAll(reads.list(m));
            }
            PrintStream out = System.out;
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(listed));
                return 0;
            }
            out.printf("%-20s %-24s %-10s %10s %10s%n", "MANAGER", "NAME", "KIND", "SIZE", "IDLE");
            for (ObjectReads.Listed o : listed) {
                out.printf(
                        "%-20s %-24s %-10s %10d %10s%n",
                        o.manager(),
                        o.name(),
                        o.kind(),
                        o.size(),
                        o.idleSeconds() < 0 ? "gone" : o.idleSeconds() + " s");
            }
            if (listed.isEmpty()) out.println("(no shared objects)");
        }
        return 0;
    }
}
