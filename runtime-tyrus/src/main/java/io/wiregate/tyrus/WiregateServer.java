package io.wiregate.tyrus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.CLStaticHttpHandler;
import org.glassfish.grizzly.http.server.HttpHandler;

import jakarta.enterprise.inject.se.SeContainer;

import io.wiregate.cdi.spi.GatewayHost;
import io.wiregate.cdi.spi.StandaloneBuilder;
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

    private final SeContainer cdi;
    private final GatewayHost gateways;
    private final LoopbackTyrusContainer container;
    private final String host;
    private volatile boolean closed;

    private WiregateServer(SeContainer cdi, GatewayHost gateways, LoopbackTyrusContainer container, String host) {
        this.cdi = cdi;
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
    public SeContainer cdi() {
        return cdi;
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
        if (cdi.isRunning()) {
            cdi.close();
        }
    }

    /** Configures and starts a {@link WiregateServer}: see {@link StandaloneBuilder} for the options. */
    public static final class Builder extends StandaloneBuilder<Builder> {
        private Builder() {
        }

        /**
         * Boots CDI, registers every gateway and starts listening.
         *
         * @throws IllegalStateException if the deployment is invalid (the message lists every problem) or the
         *                               port cannot be bound
         */
        public WiregateServer start() {
            SeContainer cdi = startCdi();
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
                HttpHandler http = staticResources() == null ? null
                        : new CLStaticHttpHandler(WiregateServer.class.getClassLoader(), "/" + staticResources());
                container.start(host(), port(), http, io.wiregate.cdi.spi.OperationsEndpoint.of(gateways).orElse(null));
                return new WiregateServer(cdi, gateways, container, host());
            } catch (IOException e) {
                stopQuietly(cdi, container);
                throw new UncheckedIOException("Cannot listen on " + host() + ":" + port() + ": " + e.getMessage(), e);
            } catch (DeploymentException | RuntimeException e) {
                stopQuietly(cdi, container);
                throw new IllegalStateException("Wiregate could not deploy its gateways: " + e.getMessage(), e);
            }
        }

        private static void stopQuietly(SeContainer cdi, LoopbackTyrusContainer container) {
            if (container != null) {
                container.stop();
            }
            if (cdi.isRunning()) {
                cdi.close();
            }
        }
    }
}
