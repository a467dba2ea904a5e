package io.wiregate.bench.vertx;

import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import io.wiregate.bench.watch.ParentWatch;

/**
 * Vert.x core's floor beside raw Netty's: a hand-written Vert.x WebSocket server doing what the raw Netty server does,
 * as a Vert.x user would write it. One HTTP server verticle per event loop (two per core, Vert.x's default) on one
 * port, {@code /bench} only; every text message back to its sender as it came; a fanout message to every other
 * connection with {@code writeTextMessage} (Vert.x frames it per connection and hands it to that connection's event
 * loop); the heartbeat ignored. Vert.x's default transport (NIO), as Quarkus runs it. Prints
 * {@code LISTENING ws://HOST:PORT} once it accepts connections ({@code -Dbench.host}, 127.0.0.1; {@code
 * -Dbench.port}, 0: a free port) and exits when its standard input ends (the benchmark driver went away).
 */
public final class RawVertxServer {

    /** How a fanout message starts (the benchmark's generator writes its envelope in this order). */
    static final String FANOUT_PREFIX = "{\"event\":\"fanout\"";
    static final String HEARTBEAT = "{\"event\":\"heartbeat\"}";

    private RawVertxServer() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.start();
        String host = System.getProperty("bench.host", "127.0.0.1");
        int port = Integer.getInteger("bench.port", 0);
        if (port == 0) {
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
                port = free.getLocalPort(); // the verticles below share one port, so it is chosen first
            }
        }
        Vertx vertx = Vertx.vertx();
        Set<ServerWebSocket> all = ConcurrentHashMap.newKeySet();
        int instances = 2 * Runtime.getRuntime().availableProcessors();
        int bound = port;
        vertx.deployVerticle(() -> new Bench(host, bound, all), new DeploymentOptions().setInstances(instances))
                .await(30, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "raw-vertx-shutdown"));
        System.out.println("LISTENING ws://" + host + ":" + port);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** One event loop's HTTP server. */
    private static final class Bench extends VerticleBase {
        private final String host;
        private final int port;
        private final Set<ServerWebSocket> all;

        Bench(String host, int port, Set<ServerWebSocket> all) {
            this.host = host;
            this.port = port;
            this.all = all;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                    .requestHandler(request -> {
                        if ("/bench".equals(request.path())) {
                            request.toWebSocket().onSuccess(this::accept);
                        } else {
                            request.response().setStatusCode(404).end();
                        }
                    })
                    .listen(port, host);
        }

        private void accept(ServerWebSocket ws) {
            all.add(ws);
            ws.closeHandler(v -> all.remove(ws));
            ws.textMessageHandler(text -> {
                if (text.startsWith(FANOUT_PREFIX)) {
                    for (ServerWebSocket other : all) {
                        if (other != ws) {
                            other.writeTextMessage(text);
                        }
                    }
                } else if (!text.equals(HEARTBEAT)) {
                    ws.writeTextMessage(text);
                }
            });
        }
    }
}
