package io.forklift.testkit;

import io.forklift.embedded.EmbeddedRedis;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test a real Redis: a container started through Testcontainers from a locally built image
 * (see {@link ContainerRedis}) where a Docker engine answers and has that image, otherwise a
 * {@code redis-server} started from the binary that the build downloads as a Maven package. One
 * server serves the whole test run; each test class gets its own key prefix instead of a flush.
 *
 * <p>Inject {@link TestRedis} into a constructor, a lifecycle method or a test method.
 * {@code FORKLIFT_TEST_REDIS=embedded} skips the Docker probe; {@code FORKLIFT_TEST_REDIS=container}
 * (which {@code .ci/run} sets once its engine and image are up) makes a missing container an error
 * instead of a fallback, so the container path cannot be skipped unnoticed. {@code cluster} (as the
 * environment variable or the system property {@code forklift.test.redis}) gives every test a Redis
 * Cluster of 3 masters and 3 replicas ({@link EmbeddedCluster}), the URI naming one node.
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
        String mode = System.getProperty("forklift.test.redis", System.getenv("FORKLIFT_TEST_REDIS"));
        if ("cluster".equals(mode)) {
            try {
                EmbeddedCluster cluster = EmbeddedCluster.start(3);
                log.info("tests use a Redis Cluster of 3 masters and 3 replicas at {}", cluster.uri());
                return new Server(null, null, cluster);
            } catch (Exception e) {
                throw new IllegalStateException("could not start a Redis Cluster for the tests: " + e.getMessage(), e);
            }
        }
        String image = ContainerRedis.image();
        String unavailable =
                "embedded".equals(mode) ? "FORKLIFT_TEST_REDIS=embedded" : ContainerRedis.unavailable(image);
        if (unavailable == null) {
            ContainerRedis container = ContainerRedis.start(image);
            log.info("tests use Redis in container {} from image {} at {}", container.id(), image, container.uri());
            return new Server(null, container, null);
        }
        if ("container".equals(mode)) {
            throw new IllegalStateException("FORKLIFT_TEST_REDIS=container, but " + unavailable);
        }
        try {
            EmbeddedRedis redis = EmbeddedRedis.start();
            log.info("tests use redis-server pid {} at {} ({})", redis.pid(), redis.uri(), unavailable);
            return new Server(redis, null, null);
        } catch (Exception e) {
            throw new IllegalStateException("could not start a Redis for the tests: " + e.getMessage(), e);
        }
    }

    /** Stopped by JUnit when the root store closes at the end of the run. */
    private record Server(EmbeddedRedis embedded, ContainerRedis container, EmbeddedCluster cluster)
            implements ExtensionContext.Store.CloseableResource {
        String uri() {
            if (cluster != null) return cluster.uri();
            return embedded != null ? embedded.uri() : container.uri();
        }

        @Override
        public void close() throws Exception {
            if (embedded != null) embedded.close();
            if (container != null) container.close();
            if (cluster != null) cluster.close();
        }
    }
}
