package io.wiregate.redisson;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.awaitility.Awaitility;

import io.wiregate.client.WiregateClient;
import io.wiregate.test.Gateways;
import io.wiregate.tyrus.WiregateServer;

/**
 * A wiregate-client connected to a node, and the markers ({@code data.m}) of the events it received: {@code t}
 * ({@link NodeGateway}'s deliveries), {@code fromEmitter}, and the {@code fine} and {@code bad} messages published
 * straight into Redis.
 */
final class Member implements AutoCloseable {

    private static final List<String> EVENTS = List.of("t", "fromEmitter", "fine", "bad");

    final WiregateClient client;
    private final String name;
    private final List<String> markers = new CopyOnWriteArrayList<>();

    private Member(WiregateClient client, String name) {
        this.client = client;
        this.name = name;
        for (String event : EVENTS) {
            client.on(event, JsonValue.class, data -> {
                if (data instanceof JsonObject o && o.get("m") instanceof JsonString m) {
                    markers.add(m.getString());
                }
            });
        }
    }

    /** Connects to {@code path} on {@code node}, authenticated as {@code user} when not null, once connected. */
    static Member connect(WiregateServer node, String path, String user) {
        WiregateClient.Builder builder = WiregateClient.builder(URI.create(node.uri() + path)).noReconnect()
                .requestTimeout(Gateways.TIMEOUT);
        if (user != null) {
            builder.auth(Map.of("user", user));
        }
        Member member = new Member(builder.connect(), path + (user == null ? "" : " as " + user));
        Gateways.awaitConnected(member.client);
        return member;
    }

    /** The client id of the connection. */
    String id() {
        return client.id();
    }

    /**
     * Asks the node for a delivery ({@link NodeGateway.Send}) and waits for its answer.
     *
     * @throws AssertionError unless the answer is an {@code ack} (an answer without data)
     */
    void send(JsonObject send) {
        JsonValue reply = Gateways.await(client.request("send", send, JsonValue.class));
        if (reply != null) {
            throw new AssertionError(this + ": the answer to send is not an ack: " + reply);
        }
    }

    /** How many events carrying {@code marker} arrived. */
    long count(String marker) {
        return markers.stream().filter(marker::equals).count();
    }

    /** Waits until an event carrying {@code marker} arrived. */
    void awaitMarker(String marker) {
        Awaitility.await(this + ": marker " + marker).atMost(Gateways.TIMEOUT)
                .pollInterval(Duration.ofMillis(10)).until(() -> count(marker) > 0);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
