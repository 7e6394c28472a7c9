package io.forklift.testkit;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis for the tests in a container, started through Testcontainers from an image already on the
 * engine: it is never pulled (no registry answers here; {@code docker/local-images.sh redis} builds
 * {@link #DEFAULT_IMAGE} from Debian's package). It runs on a network of its own, since the engine
 * that {@code docker/engine.sh} starts has no default bridge. With that engine Ryuk is off (its
 * exports set {@code TESTCONTAINERS_RYUK_DISABLED}), so the caller must {@link #close()} it.
 */
final class ContainerRedis implements AutoCloseable {
    static final String DEFAULT_IMAGE = "forklift-local/redis:bookworm";
    private static final int PORT = 6379;

    private final Network network;
    private final GenericContainer<?> container;

    private ContainerRedis(Network network, GenericContainer<?> container) {
        this.network = network;
        this.container = container;
    }

    /** The image the tests run: {@code FORKLIFT_TEST_REDIS_IMAGE}, or {@link #DEFAULT_IMAGE}. */
    static String image() {
        String image = System.getenv("FORKLIFT_TEST_REDIS_IMAGE");
        return image == null || image.isBlank() ? DEFAULT_IMAGE : image;
    }

    /** Why the tests cannot have a Redis in a container, or null when they can. */
    static String unavailable(String image) {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return "no Docker engine answers" + where();
            }
        } catch (Throwable noDocker) {
            return "no Docker engine answers" + where() + ": " + noDocker.getMessage();
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return null;
        } catch (NotFoundException missing) {
            return "the engine" + where() + " has no image " + image
                    + " and pulls none; build it with docker/local-images.sh redis";
        }
    }

    /** Starts the container and waits until Redis accepts connections; throws if it cannot. */
    static ContainerRedis start(String image) {
        Network network = Network.newNetwork();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withNetwork(network)
                .withCommand(
                        "redis-server",
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "always",
                        "--maxmemory-policy",
                        "noeviction",
                        "--protected-mode",
                        "no")
                .withExposedPorts(PORT)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            network.close();
            throw e;
        }
        return new ContainerRedis(network, container);
    }

    String uri() {
        return "redis://" + container.getHost() + ":" + container.getMappedPort(PORT);
    }

    String id() {
        return container.getContainerId();
    }

    @Override
    public void close() {
        container.stop();
        network.close();
    }

    private static String where() {
        String host = System.getenv("DOCKER_HOST");
        return host == null ? " (DOCKER_HOST is not set)" : " at " + host;
    }
}
