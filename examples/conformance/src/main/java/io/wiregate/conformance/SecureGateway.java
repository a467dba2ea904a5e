package io.wiregate.conformance;

import java.util.List;

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
 * {@code /secure} of docs/conformance.md: in-band authentication with {@code {"token": "good-USER"}}; server-side
 * deliveries to a user, a room, a client and everyone. Rooms starting with {@code private-} are refused by
 * {@link PrivateRoomGuard}. Options {@code wiregate.secure.auth-timeout-ms} and
 * {@code wiregate.secure.heartbeat-timeout-ms}.
 */
@Secured
@Gateway(value = "/secure", auth = Auth.MESSAGE, heartbeatTimeoutMs = 30000)
public class SecureGateway {

    static final String EVENT = "[A-Za-z0-9_.:/-]{1,128}";

    /** Who the caller is. */
    public record WhoAmI(String userId, String clientId) {
    }

    /** {@code toUser}. */
    public record ToUser(@NotNull String userId, @NotNull @Pattern(regexp = EVENT) String event, JsonValue data) {
    }

    /** {@code toRoom}. */
    public record ToRoom(@NotNull String room, @NotNull @Pattern(regexp = EVENT) String event, JsonValue data,
                         List<String> exclude) {
    }

    /** {@code toClient}. */
    public record ToClient(@NotNull String clientId, @NotNull @Pattern(regexp = EVENT) String event, JsonValue data) {
    }

    /** {@code toAll}. */
    public record ToAll(@NotNull @Pattern(regexp = EVENT) String event, JsonValue data) {
    }

    @Inject
    Broadcaster<SecureGateway> secure;

    @Authenticate
    Identity authenticate(JsonValue credentials) {
        if (credentials instanceof JsonObject o && o.get("token") instanceof JsonString token) {
            return Tokens.identityOf(token.getString());
        }
        return null;
    }

    @OnEvent("whoami")
    @Emit("whoami")
    WhoAmI whoami(Peer peer) {
        return new WhoAmI(peer.userId(), peer.id());
    }

    @OnEvent("toUser")
    void toUser(@Valid ToUser m) {
        secure.toUser(m.userId()).emit(m.event(), m.data());
    }

    @OnEvent("toRoom")
    void toRoom(@Valid ToRoom m) {
        secure.toRoom(m.room()).except(m.exclude() == null ? List.of() : m.exclude()).emit(m.event(), m.data());
    }

    @OnEvent("toClient")
    void toClient(@Valid ToClient m) {
        secure.toClient(m.clientId()).emit(m.event(), m.data());
    }

    @OnEvent("toAll")
    void toAll(@Valid ToAll m) {
        secure.toAll().emit(m.event(), m.data());
    }
}
