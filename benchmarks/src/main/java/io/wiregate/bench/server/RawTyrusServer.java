package io.wiregate.bench.server;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.BenchAddOns;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import io.wiregate.bench.watch.ParentWatch;

/**
 * The raw Tyrus benchmark server: {@link RawBenchEndpoint} on Tyrus's Grizzly container, built exactly as
 * Tyrus's stock {@code org.glassfish.tyrus.server.Server} builds it ({@code GrizzlyServerContainer}: one
 * Grizzly {@link HttpServer}, default selector and worker pools, {@link WorkerThreadIOStrategy}, keep-alive
 * idle timeout off, Tyrus's WebSocket add-on, a {@link TyrusWebSocketEngine} with default settings), except
 * that the listener binds 127.0.0.1 rather than 0.0.0.0. Prints {@code LISTENING ws://127.0.0.1:PORT};
 * {@code -Dbench.port} (0, a free port, by default). {@link RawVerbatimTyrusServer} is the same server with
 * {@link RawVerbatimBenchEndpoint}.
 */
public final class RawTyrusServer {

    private RawTyrusServer() {
    }

    public static void main(String[] args) throws Exception {
        serve(RawBenchEndpoint.class);
    }

    /** Serves {@code endpoint} (a {@code @ServerEndpoint} class) until the JVM exits. */
    static void serve(Class<?> endpoint) throws Exception {
        ParentWatch.start();
        String host = System.getProperty("bench.host", "127.0.0.1");
        int port = Integer.getInteger("bench.port", 0);
        Container container = new Container();
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("grizzly", host, port);
        server.addListener(listener);
        listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        listener.registerAddOn(BenchAddOns.webSocket(container));
        container.addEndpoint(endpoint);
        server.start();
        container.start("", listener.getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            container.stop();
            server.shutdownNow();
        }, "raw-shutdown"));
        System.out.println("LISTENING ws://" + host + ":" + listener.getPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Tyrus's server container with a default engine, as {@code GrizzlyServerContainer} makes it. */
    static final class Container extends TyrusServerContainer {
        private final TyrusWebSocketEngine engine;

        Container() {
            super((java.util.Set<Class<?>>) null);
            this.engine = TyrusWebSocketEngine.builder(this).build();
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
        public Map<String, Object> getProperties() {
            return Map.of();
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }
}
