package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Square;
import io.forklift.worker.tasks.WhoAmI;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task jar whose services file names a class the jar lacks costs that one task, not the worker:
 * children still start and run every other task, and the missing one fails with a message naming it.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class BrokenTaskJarIT {
    private static final String QUEUE = "broken-jar";
    private static final String MISSING = "com.example.GoneTask";

    private TestWorker worker;

    @BeforeAll
    void start(TestRedis redis, @TempDir Path tasks) throws Exception {
        servicesOnlyJar(tasks.resolve("broken.jar"), MISSING + "\n");
        worker = TestWorker.start(redis, "broken-jar-it", QUEUE, 1, "--tasks", tasks.toString());
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void theOtherTasksRunAndTheMissingOneFailsNamingItself() throws Exception {
        Pool pool = worker.pool(1);
        assertEquals(25, pool.apply(Square.class, 5));
        long child = pool.apply(WhoAmI.class, 0).pid();

        AsyncResult<JsonNode> missing = pool.applyAsync(MISSING, 1, null, null);
        RemoteTaskException e = assertThrows(RemoteTaskException.class, () -> missing.get(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains(MISSING) && e.getMessage().contains("could not be loaded"), e.getMessage());

        assertEquals(child, pool.apply(WhoAmI.class, 0).pid(), "the child did not survive the missing task");
    }

    /** A jar holding only {@code META-INF/services/io.forklift.Task}. */
    private static void servicesOnlyJar(Path path, String services) throws IOException {
        try (OutputStream file = Files.newOutputStream(path);
                JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("META-INF/services/io.forklift.Task"));
            jar.write(services.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }
}
