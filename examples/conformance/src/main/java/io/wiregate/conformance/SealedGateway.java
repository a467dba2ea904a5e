package io.wiregate.conformance;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;

/**
 * {@code /sealed} of docs/conformance.md: encryption (docs/protocol.md section 12) on in-band authentication with
 * {@code {"token": "good-USER", "publicKey": KEY}}; an echo, who the caller is, and deliveries to a room.
 */
@Gateway(value = "/sealed", auth = Auth.MESSAGE, encryption = true, heartbeatTimeoutMs = 30000)
public class SealedGateway {

    /** {@code toRoom}. */
    public record ToRoom(@NotNull String room, @NotNull @Pattern(regexp = SecureGateway.EVENT) String event, JsonValue data) {
    }

    @Inject
    Broadcaster<SealedGateway> sealed;

    @Authenticate
    Identity authenticate(JsonValue credentials) {
        if (credentials instanceof JsonObject o && o.get("token") instanceof JsonString token) {
            return Tokens.identityOf(token.getString());
        }
        return null;
    }

    @OnEvent("echo")
    @Emit("echo")
    JsonValue echo(JsonValue data) {
        return data;
    }

    @OnEvent("whoami")
    @Emit("whoami")
    SecureGateway.WhoAmI whoami(Peer peer) {
        return new SecureGateway.WhoAmI(peer.userId(), peer.id());
    }

    @OnEvent("toRoom")
    void toRoom(@Valid ToRoom m) {
        sealed.toRoom(m.room()).emit(m.event(), m.data());
    }
}
