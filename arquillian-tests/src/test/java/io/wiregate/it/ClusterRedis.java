package io.wiregate.it;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.wiregate.testing.RedisServer;

/**
 * The redis-server of the cluster tests, one per test JVM (that is, per application server): started on a free
 * loopback port by the first {@code @Deployment} method that needs its address (they run before deploying), and
 * killed when the whole test run ends, after Arquillian has undeployed every WAR that uses it. A test class that
 * uses it registers this extension.
 */
final class ClusterRedis implements BeforeAllCallback {

    private static RedisServer server;

    /** The running server, started on first use. */
    static synchronized RedisServer server() {
        if (server == null) {
            try {
                server = RedisServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start redis-server", e);
            }
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root context closes last, after every class (and so every undeploy); AutoCloseable values of its store
        // are closed then.
        context.getRoot().getStore(ExtensionContext.Namespace.create(ClusterRedis.class))
                .getOrComputeIfAbsent("redis-server", key -> (AutoCloseable) ClusterRedis::stop);
    }

    private static synchronized void stop() throws InterruptedException {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
