package io.wiregate.conformance;

import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;

/**
 * {@code /echo} of docs/conformance.md: no authentication. Heartbeats are not required here (the kit keeps idle
 * {@code /echo} clients open for long stretches); {@code wiregate.echo.*} options set its limits.
 */
@Gateway(value = "/echo", heartbeatTimeoutMs = 0)
public class EchoGateway {

    /** The {@code validated} payload. */
    public record Validated(@NotBlank @Size(max = 10) String text, @NotNull @PositiveOrZero Integer count) {
    }

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

    @OnEvent("shoutOthers")
    @Broadcast(value = "shout", includeSender = false)
    JsonValue shoutOthers(JsonValue data) {
        return data;
    }

    @OnEvent("validated")
    @Emit("validated")
    Map<String, Boolean> validated(@Valid Validated payload) {
        return Map.of("ok", true);
    }

    @OnEvent("boom")
    void boom() {
        throw new IllegalStateException("boom: SECRET-DETAIL from the handler");
    }

    @OnEvent("room")
    @Broadcast(value = "room", roomFrom = "room")
    JsonValue room(JsonObject payload) {
        return payload.getOrDefault("data", JsonValue.NULL);
    }

    @OnEvent("void")
    void nothing(JsonValue data) {
        // answered with an ack when the frame has an id
    }
}
