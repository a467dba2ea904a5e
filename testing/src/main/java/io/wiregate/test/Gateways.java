package io.wiregate.test;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import jakarta.enterprise.util.TypeLiteral;

import io.wiregate.client.Subscription;
import io.wiregate.client.WiregateClient;
import io.wiregate.client.WiregateException;
import io.wiregate.cdi.spi.StandaloneRuntime;

/**
 * The running gateways of a {@link WiregateTest} class, as a test method's parameter: connect clients to them
 * (closed after each test), and reach the application's beans. Every wait is bounded by {@link #TIMEOUT}.
 */
public final class Gateways {

    /** How long a connection, an answer or an event is awaited before the test fails: 10 s. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final StandaloneRuntime.Server server;
    private final Runnable afterStop;
    private final List<WiregateClient> clients = new CopyOnWriteArrayList<>();

    Gateways(StandaloneRuntime.Server server, Runnable afterStop) {
        this.server = server;
        this.afterStop = afterStop;
    }

    /** The port the gateways listen on, on 127.0.0.1. */
    public int port() {
        return server.port();
    }

    /**
     * The WebSocket address of a gateway path, for example {@code uri("/chat")} or {@code uri("/feed?user=ada")}.
     *
     * @throws IllegalArgumentException if {@code pathAndQuery} does not start with {@code /} or is not a valid URI
     */
    public URI uri(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("a gateway path starts with /: " + pathAndQuery);
        }
        return URI.create(server.uri() + pathAndQuery);
    }

    /**
     * A client connected to {@code pathAndQuery}, once the gateway has sent {@code connected}: for gateways without
     * in-band authentication (handshake credentials go in the query). It does not reconnect, and sends heartbeats
     * as a real client does.
     *
     * @throws AssertionError if it is not connected within {@link #TIMEOUT}
     */
    public WiregateClient connect(String pathAndQuery) {
        return connect(pathAndQuery, UnaryOperator.identity());
    }

    /**
     * A client of a gateway with in-band authentication ({@code Auth.MESSAGE}), authenticated with
     * {@code credentials} (the data of its {@code authenticate} frame), once the gateway has sent {@code connected}.
     *
     * @throws AssertionError if it is not connected within {@link #TIMEOUT}, for example because the gateway refused
     *                        the credentials (4003)
     */
    public WiregateClient connectAs(String pathAndQuery, Object credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return connect(pathAndQuery, builder -> builder.auth(credentials));
    }

    /**
     * A client configured by {@code options} on top of this class's defaults (no reconnect, requests time out after
     * {@link #TIMEOUT}), once connected: to test reconnects, heartbeats, buffers.
     *
     * @throws AssertionError if it is not connected within {@link #TIMEOUT}
     */
    public WiregateClient connect(String pathAndQuery, UnaryOperator<WiregateClient.Builder> options) {
        return awaitConnected(start(pathAndQuery, options));
    }

    /**
     * Waits until {@code client} is connected (the gateway sent {@code connected}), at most {@link #TIMEOUT}; for
     * clients built outside a {@link WiregateTest}, such as those of a test that starts its own servers.
     *
     * @return {@code client}
     * @throws AssertionError if the connection closes first (the message gives the close code) or the wait times out
     */
    public static WiregateClient awaitConnected(WiregateClient client) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        try (Subscription ready = client.onConnected(c -> connected.complete(null));
                Subscription closed = client.onDisconnected(d -> connected.completeExceptionally(
                        new AssertionError(client + " closed with " + d.code() + " " + d.reason())))) {
            if (client.state() == WiregateClient.State.CONNECTED) {
                connected.complete(null);
            }
            await(connected);
        }
        return client;
    }

    /**
     * A client that connects in the background, without waiting for {@code connected}: to see a refusal or what
     * happens before authentication.
     */
    public WiregateClient start(String pathAndQuery, UnaryOperator<WiregateClient.Builder> options) {
        WiregateClient client = options.apply(WiregateClient.builder(uri(pathAndQuery)).noReconnect()
                .requestTimeout(TIMEOUT)).connect();
        clients.add(client);
        return client;
    }

    /**
     * The application's bean of this type (and qualifiers), for example a service the test drives or checks.
     *
     * @throws jakarta.enterprise.inject.UnsatisfiedResolutionException if there is none
     * @throws jakarta.enterprise.inject.AmbiguousResolutionException   if there are several
     */
    public <T> T bean(Class<T> type, Annotation... qualifiers) {
        return server.cdi().select(type, qualifiers).get();
    }

    /** The application's bean of a parameterized type, for example {@code new TypeLiteral<Broadcaster<Feed>>() {}}. */
    public <T> T bean(TypeLiteral<T> type, Annotation... qualifiers) {
        return server.cdi().select(type, qualifiers).get();
    }

    /**
     * The result of a client's {@code request}, {@code join} or {@code leave}, waiting at most {@link #TIMEOUT}.
     *
     * @throws WiregateException the server's error (or the client's: {@code timeout}, {@code disconnected}, ...)
     * @throws AssertionError    if nothing completes it within {@link #TIMEOUT}
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("not completed within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    void closeClients() {
        for (WiregateClient c : clients) {
            c.close();
        }
        clients.clear();
    }

    void stop() {
        try {
            closeClients();
            server.close();
        } finally {
            afterStop.run();
        }
    }
}
