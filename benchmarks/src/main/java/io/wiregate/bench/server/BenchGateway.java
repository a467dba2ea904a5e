package io.wiregate.bench.server;

import jakarta.json.JsonValue;

import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.NonBlocking;
import io.wiregate.OnEvent;

/**
 * The Wiregate side of the benchmark, written as an application would write it: default limits (outbound queue,
 * heartbeat timeout, message size), no authentication.
 * <ul>
 * <li>{@code echo}: the data comes back to the sender as {@code echo}, with the frame's {@code id};</li>
 * <li>{@code fanout}: the data goes to every other client of {@code /bench} as {@code fanout}.</li>
 * </ul>
 * The raw Tyrus counterpart is {@link RawBenchEndpoint}. Both handlers only return their argument, so the gateway
 * is {@link NonBlocking}: on Netty they run on the event loop, as Quarkus's do (Tyrus ignores it).
 */
@NonBlocking
@Gateway("/bench")
public class BenchGateway {

    @OnEvent("echo")
    @Emit("echo")
    JsonValue echo(JsonValue data) {
        return data;
    }

    @OnEvent("fanout")
    @Broadcast(value = "fanout", includeSender = false)
    JsonValue fanout(JsonValue data) {
        return data;
    }
}
