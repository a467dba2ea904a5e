package io.wiregate.cdi.spi;

import jakarta.enterprise.inject.se.SeContainer;

/**
 * A standalone runtime (Weld SE and a server of its own), found through {@link java.util.ServiceLoader} so that an
 * application with several on its class path picks one with {@code wiregate.runtime} ({@link StandaloneMain}), and
 * so that tests start whichever is chosen.
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public interface StandaloneRuntime {

    /** The name {@code wiregate.runtime} selects it by, such as {@code tyrus} or {@code netty}. */
    String name();

    /**
     * Boots CDI, registers every gateway and starts listening.
     *
     * @throws IllegalStateException if the deployment is invalid or the port cannot be bound
     */
    Server start(Options options);

    /**
     * What to start.
     *
     * @param host            the host to bind, or null for {@code wiregate.host} (127.0.0.1)
     * @param port            the port to bind (0: a free one), or null for {@code wiregate.port} (8025)
     * @param staticResources a class path folder to serve over HTTP, or null
     * @param beanClasses     the only bean classes of the CDI container, or null to discover the class path's
     */
    record Options(String host, Integer port, String staticResources, Class<?>[] beanClasses) {
        /** The configured host and port, class path discovery, no static files. */
        public static Options configured() {
            return new Options(null, null, null, null);
        }
    }

    /** A started runtime. */
    interface Server extends AutoCloseable {

        /** {@code ws://HOST:PORT}. */
        String uri();

        /** The port actually bound. */
        int port();

        /** The CDI container. */
        SeContainer cdi();

        /** Closes every client with 1001, then stops the server and CDI. Idempotent. */
        @Override
        void close();
    }
}
