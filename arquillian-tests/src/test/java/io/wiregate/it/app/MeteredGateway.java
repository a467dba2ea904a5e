package io.wiregate.it.app;

import jakarta.json.JsonValue;

import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;

/** An echo and a broadcast, whose figures MetricsIT reads in the server's own metrics. */
@Gateway(value = "/metered", heartbeatTimeoutMs = 0)
public class MeteredGateway {

    @OnEvent("echo")
    @Emit("echo")
    JsonValue echo(JsonValue data) {
        return data;
    }

    @OnEvent("shout")
    @Broadcast("shout")
    JsonValue shout(JsonValue data) {
        return data;
    }
}
