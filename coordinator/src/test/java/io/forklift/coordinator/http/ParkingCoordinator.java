package io.forklift.coordinator.http;

import io.forklift.ForkliftOptions;
import io.forklift.daemon.LocalAuthkey;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.Redis;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A coordinator's HTTP API alone in a JVM of its own, for tests that kill it: prints {@code url
 * <url> <token>} once serving, then {@code waiting <n>} each time the number of parked calls
 * changes. Arguments: Redis URI, key prefix, a folder for the authkey.
 */
public final class ParkingCoordinator {
    public static void main(String[] args) throws Exception {
        String uri = args[0], prefix = args[1];
        LocalAuthkey key = LocalAuthkey.create(Path.of(args[2]));
        Redis redis = Redis.connect(uri, prefix, Duration.ofSeconds(2), 8);
        ObjectStore store =
                ObjectStore.connect(uri, prefix, Duration.ofSeconds(2), ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES);
        Api api = new Api(redis, "parking", key.authkey(), Duration.ofHours(1), Duration.ofMinutes(2), store);
        HttpServer server = HttpServer.start(api, HttpSettings.local(0));
        System.out.println("url " + server.url() + " " + api.tokens().clusterToken());
        System.out.flush();
        int shown = -1;
        while (true) {
            int now = api.objectsWaiting();
            if (now != shown) {
                System.out.println("waiting " + now);
                System.out.flush();
                shown = now;
            }
            Thread.sleep(50);
        }
    }
}
