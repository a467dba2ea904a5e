package io.wiregate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.wiregate.testing.RedisServer;

/**
 * The redis-servers of the cluster tests, per test JVM (that is, per application server): the shared one, and those a
 * test class keeps to itself because it kills them ({@link #server(String)}). Each is started on a free loopback port
 * by the first {@code @Deployment} method that needs its address (they run before deploying), and killed when the
 * whole test run ends, after Arquillian has undeployed every WAR that uses it. A test class that uses one registers
 * this extension.
 */
final class ClusterRedis implements BeforeAllCallback {

    private static final Map<String, RedisServer> SERVERS = new LinkedHashMap<>();

    /** The shared server, started on first use. */
    static RedisServer server() {
        return server("shared");
    }

    /** The server of that name, started on first use. */
    static synchronized RedisServer server(String name) {
        return SERVERS.computeIfAbsent(name, n -> {
            try {
                return RedisServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start redis-server", e);
            }
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root context closes last, after every class (and so every undeploy); AutoCloseable values of its store
        // are closed then.
        context.getRoot().getStore(ExtensionContext.Namespace.create(ClusterRedis.class))
                .getOrComputeIfAbsent("redis-servers", key -> (AutoCloseable) ClusterRedis::stop);
    }

    private static synchronized void stop() throws InterruptedException {
        for (RedisServer server : SERVERS.values()) {
            server.close();
        }
        SERVERS.clear();
    }
}
