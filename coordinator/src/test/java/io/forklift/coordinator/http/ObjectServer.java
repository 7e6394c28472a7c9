package io.forklift.coordinator.http;

import io.forklift.ForkliftOptions;
import io.forklift.daemon.LocalAuthkey;
import io.forklift.manager.Manager;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.Redis;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real API server over a real Redis, as the Manager-object ITs use it: its own key prefix, an
 * object store whose Redis timeout the test chooses (a lock's lease must be 3 of them), manager
 * {@code shop}, and a client holding the cluster token.
 */
record ObjectServer(Redis redis, ObjectStore store, Api api, HttpServer server, Manager shop, Http http)
        implements AutoCloseable {
    static ObjectServer start(TestRedis test, Path dir, String name, Duration storeTimeout) throws Exception {
        String prefix = test.prefix(name);
        LocalAuthkey key = LocalAuthkey.create(dir);
        Redis redis = Redis.connect(test.uri(), prefix, Duration.ofSeconds(2), 8);
        ObjectStore store =
                ObjectStore.connect(test.uri(), prefix, storeTimeout, ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES);
        Api api = new Api(redis, name, key.authkey(), Duration.ofHours(1), Duration.ofMinutes(1), store);
        HttpServer server = HttpServer.start(api, HttpSettings.local(0));
        Http http = Http.to(server.url(), api.tokens().clusterToken());
        return new ObjectServer(redis, store, api, server, store.manager("shop"), http);
    }

    @Override
    public void close() {
        server.close();
        api.close();
        store.close();
        redis.close();
    }
}
