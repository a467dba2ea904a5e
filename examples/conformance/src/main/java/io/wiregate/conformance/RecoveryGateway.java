package io.wiregate.conformance;

import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;

/**
 * {@code /recovery} of docs/conformance.md: connection state recovery (docs/protocol.md section 9) behind a
 * handshake guard ({@code ?token=good-USER}, else HTTP 401); deliveries to a user, a room, a client and everyone,
 * and a volatile one to a room. Options {@code wiregate.recovery.recovery-window-ms} and
 * {@code wiregate.recovery.recovery-max-events}.
 */
@Gateway(value = "/recovery", auth = Auth.HANDSHAKE, recovery = true)
public class RecoveryGateway {

    /** {@code toRoom} and {@code volatileToRoom}. */
    public record ToRoom(@NotNull String room, @NotNull @Pattern(regexp = SecureGateway.EVENT) String event, JsonValue data) {
    }

    @Inject
    Broadcaster<RecoveryGateway> recovery;

    @Authenticate
    Identity authenticate(HandshakeRequest request) {
        return Tokens.identityOf(request.queryParameter("token"));
    }

    @OnEvent("echo")
    @Emit("echo")
    JsonValue echo(JsonValue data) {
        return data;
    }

    @OnEvent("toUser")
    void toUser(@Valid SecureGateway.ToUser m) {
        recovery.toUser(m.userId()).emit(m.event(), m.data());
    }

    @OnEvent("toRoom")
    void toRoom(@Valid ToRoom m) {
        recovery.toRoom(m.room()).emit(m.event(), m.data());
    }

    @OnEvent("toClient")
    void toClient(@Valid SecureGateway.ToClient m) {
        recovery.toClient(m.clientId()).emit(m.event(), m.data());
    }

    @OnEvent("toAll")
    void toAll(@Valid SecureGateway.ToAll m) {
        recovery.toAll().emit(m.event(), m.data());
    }

    @OnEvent("volatileToRoom")
    void volatileToRoom(@Valid ToRoom m) {
        recovery.toRoom(m.room()).emitVolatile(m.event(), m.data());
    }
}
