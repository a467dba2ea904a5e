package io.wiregate.tyrus;

import java.io.IOException;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * A Tyrus server container on a Grizzly HTTP server that binds only the configured host. Tyrus's own
 * {@code Server} binds 0.0.0.0 whatever the host; this one builds the Grizzly listener itself with Tyrus's
 * WebSocket add-on. Requests that are not WebSocket upgrades to a registered path go to the
 * optional HTTP handler, or get 404; a malformed request target gets 400. Error pages state the status only
 * (no server name or version, no stack trace).
 */
final class LoopbackTyrusContainer extends TyrusServerContainer {

    /** How long {@link #stop()} lets clients finish their close handshake. */
    private static final long STOP_LINGER_MS = 2000;

    private final TyrusWebSocketEngine engine;
    private final java.util.concurrent.ScheduledThreadPoolExecutor closeTimer;
    private final LingeringClose lingeringClose;
    private HttpServer server;
    private NetworkListener listener;

    /**
     * @param closeTimeoutMs how long a client may take to answer a close before its TCP connection is dropped
     */
    LoopbackTyrusContainer(int incomingBufferSize, long closeTimeoutMs) {
        super((java.util.Set<Class<?>>) null);
        this.closeTimer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "wiregate-close-timer");
            t.setDaemon(true);
            return t;
        });
        closeTimer.setRemoveOnCancelPolicy(true);
        this.lingeringClose = new LingeringClose(closeTimeoutMs, closeTimer);
        this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
        engine.register(endpointClass, "");
    }

    @Override
    public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
        engine.register(serverEndpointConfig, "");
    }

    @Override
    public java.util.Map<String, Object> getProperties() {
        return java.util.Map.of();
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
        return engine;
    }

    /**
     * Binds {@code host:port} (port 0: a free port) and starts serving.
     *
     * @param httpHandler serves plain HTTP requests with well-formed targets, or null for 404 everywhere
     */
    void start(String host, int port, HttpHandler httpHandler, io.wiregate.cdi.spi.OperationsEndpoint operations)
            throws IOException, DeploymentException {
        server = new HttpServer();
        ServerConfiguration config = server.getServerConfiguration();
        config.setDefaultErrorPageGenerator(new PlainErrorPages());
        config.setHttpServerName("");
        config.setHttpServerVersion("");
        listener = new NetworkListener("wiregate", host, port);
        server.addListener(listener);
        listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        listener.registerAddOn(lingeringClose.addOn());
        listener.registerAddOn(MalformedUpgradeFilter.addOn()); // first: Tyrus's filter goes between it and HTTP
        listener.registerAddOn(TyrusInternals.webSocketAddOn(this));
        // Always one handler at the root: Grizzly then hands it the raw target (its own decoding answers 500).
        config.addHttpHandler(new EdgeHttpHandler(httpHandler, operations), "/");
        server.start();
        super.start("", listener.getPort());
    }

    @Override
    public int getPort() {
        return listener == null ? -1 : listener.getPort();
    }

    @Override
    public void stop() {
        super.stop();
        try {
            lingeringClose.awaitNoneLingering(STOP_LINGER_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (server != null) {
            server.shutdownNow();
        }
        closeTimer.shutdownNow();
    }
}
