package io.wiregate.it.app;

import java.util.Map;

import jakarta.inject.Inject;
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

/** Replies, broadcasts, validation and errors; carries {@link Audited}, so the bound interceptors run here. */
@Audited
@Gateway(value = "/echo", heartbeatTimeoutMs = 0)
public class EchoGateway {

    /** The {@code validated} payload. */
    public record Order(@NotBlank @Size(max = 10) String text, @NotNull @PositiveOrZero Integer count) {
    }

    @Inject
    AuditLog audit;

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

    @OnEvent("validated")
    @Emit("validated")
    Map<String, Boolean> validated(@Valid Order order) {
        return Map.of("ok", true);
    }

    @OnEvent("boom")
    void boom() {
        throw new IllegalStateException("SECRET-DETAIL of the handler");
    }

    @OnEvent("void")
    void nothing() {
        // only an ack when the frame has an id
    }

    /** The result passes through the CDI interceptor {@link UpperCaseInterceptor}: the handler is a contextual call. */
    @OnEvent("upper")
    @Emit("upper")
    @UpperCase
    String upper(String text) {
        return text;
    }

    /** Whatever the packet interceptors made of the data. */
    @OnEvent("trace")
    @Emit("trace")
    JsonValue trace(JsonValue data) {
        return data;
    }

    @OnEvent("audit")
    @Emit("audit")
    Map<String, Integer> audit() {
        return Map.of("enter", audit.enters(), "exit", audit.exits());
    }

    @OnEvent("room")
    @Broadcast(value = "room", roomFrom = "room")
    JsonValue room(JsonObject payload) {
        return payload.getOrDefault("data", JsonValue.NULL);
    }
}
