package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Shout;
import io.forklift.worker.tasks.ShoutModule;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Jackson module that a task jar lists as a service writes the results of the children, as Jackson's
 * own module search would find it: the worker names the modules to its children instead of each
 * child searching its class path.
 */
@ExtendWith(RedisExtension.class)
@Timeout(120)
class JacksonModuleIT {

    @Test
    void aModuleListedByATaskJarWritesTheChildrensResults(TestRedis redis, @TempDir Path tasks) throws Exception {
        try (OutputStream file = Files.newOutputStream(tasks.resolve("shout-module.jar"));
                JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("META-INF/services/com.fasterxml.jackson.databind.Module"));
            jar.write((ShoutModule.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        try (TestWorker with = TestWorker.start(redis, "module-it", "with-module", 1, "--tasks", tasks.toString());
                TestWorker without = TestWorker.start(redis, "no-module-it", "without-module", 1)) {
            assertEquals("HI", shout(with, "hi").asText());
            JsonNode plain = shout(without, "hi"); // the test can fail: without the module, Loud has nothing to write
            assertTrue(plain.isObject() && plain.isEmpty(), plain.toString());
        }
    }

    private static JsonNode shout(TestWorker worker, String text) throws Exception {
        return worker.pool(1)
                .applyAsync(Shout.class.getName(), text, null, null)
                .get(Duration.ofSeconds(30));
    }
}
