package io.wiregate.it;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import io.wiregate.client.Disconnected;
import io.wiregate.client.WiregateClient;
import io.wiregate.test.Gateways;

/**
 * wiregate-client connections from the test JVM to the deployed gateways: they do not reconnect, and every wait is
 * bounded by {@link #WAIT} (wiregate-test's {@link Gateways#await} and {@code Events}).
 */
final class Clients {

    static final Duration WAIT = Gateways.TIMEOUT;

    private Clients() {
    }

    /** A client of {@code uri}, once the gateway has sent {@code connected}. */
    static WiregateClient connect(URI uri) {
        return connect(uri, UnaryOperator.identity());
    }

    /**
     * A client of {@code uri} configured by {@code options} (credentials, headers), once the gateway has sent
     * {@code connected}.
     *
     * @throws AssertionError if it is not connected within {@link #WAIT}
     */
    static WiregateClient connect(URI uri, UnaryOperator<WiregateClient.Builder> options) {
        WiregateClient client = start(uri, options);
        try {
            return Gateways.awaitConnected(client);
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** A client of {@code uri} that connects in the background: to see a refusal. */
    static WiregateClient start(URI uri, UnaryOperator<WiregateClient.Builder> options) {
        return options.apply(WiregateClient.builder(uri).noReconnect().requestTimeout(WAIT).connectTimeout(WAIT)).connect();
    }

    /** The next end of {@code client}'s connection (the server's close code and reason); register before it can happen. */
    static CompletableFuture<Disconnected> disconnected(WiregateClient client) {
        CompletableFuture<Disconnected> disconnected = new CompletableFuture<>();
        client.onDisconnected(disconnected::complete);
        return disconnected;
    }
}
