package io.forklift.testkit;

import io.forklift.embedded.EmbeddedRedis;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Gives a test a real Redis: a Testcontainers {@code redis:7} where a Docker engine answers, otherwise
 * a {@code redis-server} started from the binary that the build downloads as a Maven package.
 * One server serves the whole test run; each test class gets its own key prefix instead of a flush.
 *
 * <p>Inject {@link TestRedis} into a constructor, a lifecycle method or a test method.
 * {@code FORKLIFT_TEST_REDIS=embedded} skips the Docker probe.
 */
public final class RedisExtension implements ParameterResolver {
    private static final Logger log = LoggerFactory.getLogger(RedisExtension.class);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestRedis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Server server = context.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> startServer(), Server.class);
        String owner = context.getTestClass().map(Class::getSimpleName).orElse("test");
        String prefix = context.getStore(NS)
                .getOrComputeIfAbsent(
                        "prefix",
                        k -> "t:" + owner + ":" + UUID.randomUUID().toString().substring(0, 8) + ":",
                        String.class);
        return new TestRedis(server.uri(), prefix, server.embedded);
    }

    private static Server startServer() {
        if (!"embedded".equals(System.getenv("FORKLIFT_TEST_REDIS")) && dockerAnswers()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7.0")
                    .withCommand(
                            "redis-server",
                            "--appendonly",
                            "yes",
                            "--appendfsync",
                            "always",
                            "--maxmemory-policy",
                            "noeviction")
                    .withExposedPorts(6379);
            container.start();
            log.info("tests use Redis in container {}", container.getContainerId());
            return new Server(null, container);
        }
        try {
            EmbeddedRedis redis = EmbeddedRedis.start();
            log.info("tests use redis-server pid {} at {}", redis.pid(), redis.uri());
            return new Server(redis, null);
        } catch (Exception e) {
            throw new IllegalStateException("could not start a Redis for the tests: " + e.getMessage(), e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable noDocker) {
            return false;
        }
    }

    /** Stopped by JUnit when the root store closes at the end of the run. */
    private record Server(EmbeddedRedis embedded, GenericContainer<?> container)
            implements ExtensionContext.Store.CloseableResource {
        String uri() {
            return embedded != null
                    ? embedded.uri()
                    : "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
        }

        @Override
        public void close() throws Exception {
            if (embedded != null) embedded.close();
            if (container != null) container.stop();
        }
    }
}
