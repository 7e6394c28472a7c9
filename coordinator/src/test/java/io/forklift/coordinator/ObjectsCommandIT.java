package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.redis.ObjectReads;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code forklift objects [--manager M]}: every shared object with its kind, size and idle time. */
@ExtendWith(RedisExtension.class)
class ObjectsCommandIT {
    @Test
    void listsEachObjectOfOneManagerOrOfAll(TestRedis redis) {
        String prefix = redis.prefix("objects");
        try (Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(prefix))) {
            fl.manager("shop").queue("urls").add("u");
            fl.manager("shop").dict("d").put("a", 1);
            fl.manager("other").pipe("p", true).left().isClosed();
        }
        ObjectsCommand one = new ObjectsCommand();
        assertEquals(0, new CommandLine(one).execute("--redis", redis.uri(), "--prefix", prefix, "--manager", "shop"));
        assertEquals(
                List.of("shop/d dict 1", "shop/urls queue 1"),
                one.listed.stream()
                        .map(o -> o.manager() + "/" + o.name() + " " + o.kind() + " " + o.size())
                        .toList());
        for (ObjectReads.Listed o : one.listed) assertTrue(o.idleSeconds() >= 0 && o.idleSeconds() < 60, o.toString());
        ObjectsCommand all = new ObjectsCommand();
        assertEquals(0, new CommandLine(all).execute("--redis", redis.uri(), "--prefix", prefix, "--json"));
        assertEquals(
                List.of("other", "shop", "shop"),
                all.listed.stream().map(ObjectReads.Listed::manager).toList());
    }
}
