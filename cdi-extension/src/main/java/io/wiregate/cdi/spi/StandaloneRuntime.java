package io.wiregate.cdi.spi;

/**
 * A standalone runtime (Weld SE and a server of its own), found through {@link java.util.ServiceLoader} so that an
 * application with several on its class path picks one with {@code wiregate.runtime} ({@link StandaloneMain}).
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public interface StandaloneRuntime {

    /** The name {@code wiregate.runtime} selects it by, such as {@code tyrus} or {@code netty}. */
    String name();

    /**
     * Boots CDI with class path discovery, registers every gateway and starts listening on the configured host
     * and port ({@code wiregate.host}, {@code wiregate.port}).
     *
     * @param staticResources a class path folder to serve over HTTP, or null
     * @throws IllegalStateException if the deployment is invalid or the port cannot be bound
     */
    Server start(String staticResources);

    /** A started runtime. */
    interface Server extends AutoCloseable {

        /** {@code ws://HOST:PORT}. */
        String uri();

        /** Closes every client with 1001, then stops the server and CDI. Idempotent. */
        @Override
        void close();
    }
}
