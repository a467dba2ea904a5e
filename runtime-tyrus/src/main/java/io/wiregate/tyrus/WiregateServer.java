package io.wiregate.tyrus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.CLStaticHttpHandler;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import io.wiregate.cdi.WiregateExtension;
import io.wiregate.cdi.spi.GatewayHost;
import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.cdi.transport.TransportSettings;
import io.wiregate.protocol.internal.Settings;

/**
 * Wiregate standalone: Weld SE discovers the application's gateways, and a Tyrus (Grizzly) server bound to
 * one host serves them. {@link #close()} closes every client with 1001 and stops both.
 *
 * <pre>{@code
 * try (WiregateServer server = WiregateServer.builder().port(0).start()) {
 *     System.out.println(server.uri());
 * }
 * }</pre>
 */
public final class WiregateServer implements StandaloneRuntime.Server {

    /** Frames up to this size get the protocol's 1009 when over a gateway's limit; larger ones Tyrus closes with 1011. */
    static final long INCOMING_BUFFER = 4L * 1024 * 1024;

    private final WeldContainer weld;
    private final GatewayHost gateways;
    private final LoopbackTyrusContainer container;
    private final String host;
    private volatile boolean closed;

    private WiregateServer(WeldContainer weld, GatewayHost gateways, LoopbackTyrusContainer container, String host) {
        this.weld = weld;
        this.gateways = gateways;
        this.container = container;
        this.host = host;
    }

    /** A builder with the configured defaults ({@code wiregate.host}, {@code wiregate.port}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The port actually bound. */
    @Override
    public int port() {
        return container.getPort();
    }

    /** {@code ws://HOST:PORT}. */
    @Override
    public String uri() {
        return "ws://" + host + ":" + port();
    }

    /** The CDI container. */
    @Override
    public WeldContainer cdi() {
        return weld;
    }

    /** Closes every client with 1001 (waiting at most 2 s for them), then stops the server and CDI. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        gateways.shutdown(2000);
        container.stop();
        if (weld.isRunning()) {
            weld.shutdown();
        }
    }

    /** Configures and starts a {@link WiregateServer}. */
    public static final class Builder {
        private String host = Settings.get("wiregate.host").orElse("127.0.0.1");
        private int port = Settings.getLong("wiregate.port").orElse(8025L).intValue();
        private String staticResources;
        private Class<?>[] beanClasses;

        private Builder() {
        }

        /** The host to bind; 127.0.0.1 by default. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port to bind; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serves the class path folder {@code resources} (for example {@code "static/"}) over plain HTTP. */
        public Builder staticResources(String resources) {
            this.staticResources = resources;
            return this;
        }

        /**
         * Starts CDI with only these bean classes instead of scanning the class path for bean archives
         * (for tests).
         */
        public Builder beanClasses(Class<?>... classes) {
            this.beanClasses = classes.clone();
            return this;
        }

        /**
         * Boots CDI, registers every gateway and starts listening.
         *
         * @throws IllegalStateException if the deployment is invalid (the message lists every problem) or the
         *                               port cannot be bound
         */
        public WiregateServer start() {
            Weld weld = new Weld().skipShutdownHook();
            if (beanClasses != null) {
                // Without discovery Weld SE also skips META-INF/services extensions: add Wiregate's by hand.
                weld.disableDiscovery().addBeanClasses(beanClasses).addExtension(new WiregateExtension());
            }
            WeldContainer cdi;
            try {
                cdi = weld.initialize();
            } catch (RuntimeException e) { // Weld's DefinitionException/DeploymentException: Wiregate's WG-* problems
                throw new IllegalStateException("Wiregate could not deploy its gateways: " + e.getMessage(), e);
            }
            LoopbackTyrusContainer container = null;
            try {
                GatewayHost gateways = GatewayHost.of(cdi.getBeanManager());
                TransportSettings settings = TransportSettings.fromConfig();
                List<ServerEndpointConfig> configs = gateways.endpointConfigs(new TyrusProfile(), settings);
                int largest = gateways.largestMessageBytes();
                // Tyrus buffers a whole frame before parsing it and closes with 1011 (not 1009) when a frame exceeds
                // this buffer; the per-session limit (1009) must therefore be the one that trips. The buffer grows
                // per connection only as far as the frames it receives, so a generous bound costs no idle memory.
                container = new LoopbackTyrusContainer((int) Math.min(Integer.MAX_VALUE / 2, Math.max(INCOMING_BUFFER, 2L * largest + 1024)),
                        settings.closeTimeoutMs());
                for (ServerEndpointConfig config : configs) {
                    container.addEndpoint(config);
                }
                HttpHandler http = staticResources == null ? null
                        : new CLStaticHttpHandler(WiregateServer.class.getClassLoader(), "/" + staticResources);
                container.start(host, port, http);
                return new WiregateServer(cdi, gateways, container, host);
            } catch (IOException e) {
                stopQuietly(cdi, container);
                throw new UncheckedIOException("Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            } catch (DeploymentException | RuntimeException e) {
                stopQuietly(cdi, container);
                throw new IllegalStateException("Wiregate could not deploy its gateways: " + e.getMessage(), e);
            }
        }

        private static void stopQuietly(WeldContainer cdi, LoopbackTyrusContainer container) {
            if (container != null) {
                container.stop();
            }
            if (cdi.isRunning()) {
                cdi.shutdown();
            }
        }
    }
}
