package io.wiregate.conformance;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.Member;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.Presence;

/**
 * {@code /presence} of docs/conformance.md: presence with client events (docs/protocol.md section 11) behind a
 * handshake guard ({@code ?token=good-USER}, else HTTP 401); {@code who} answers from the server's
 * {@code Broadcaster.presence}, and {@code serverJoin} / {@code serverLeave} change rooms from a handler.
 */
@Gateway(value = "/presence", auth = Auth.HANDSHAKE, presence = Presence.CLIENTS)
public class PresenceGateway {

    /** {@code who}, {@code serverJoin} and {@code serverLeave}. */
    public record RoomName(@NotNull String room) {
    }

    @Inject
    Broadcaster<PresenceGateway> gateway;

    @Authenticate
    Identity authenticate(HandshakeRequest request) {
        return Tokens.identityOf(request.queryParameter("token"));
    }

    @OnEvent("who")
    void who(Peer peer, @Valid RoomName m) {
        answerWho(peer, m.room(), gateway.presence(m.room()));
    }

    @OnEvent("serverJoin")
    void serverJoin(Peer peer, @Valid RoomName m) {
        peer.join(m.room());
    }

    @OnEvent("serverLeave")
    void serverLeave(Peer peer, @Valid RoomName m) {
        peer.leave(m.room());
    }

    /**
     * Sends {@code peer} the event {@code who} {@code {"room": R, "members": [{"id", "userId"}, ...]}} (sorted by id)
     * once the server's presence answered, or {@code {"room": R, "failed": true}}.
     */
    static void answerWho(Peer peer, String room, CompletionStage<List<Member>> members) {
        members.whenComplete((list, failure) -> {
            if (failure != null) {
                peer.emit("who", Json.createObjectBuilder().add("room", room).add("failed", true).build());
                return;
            }
            JsonArrayBuilder array = Json.createArrayBuilder();
            list.stream().sorted(Comparator.comparing(Member::clientId)).forEach(m -> {
                var o = Json.createObjectBuilder().add("id", m.clientId());
                array.add(m.userId() == null ? o.addNull("userId") : o.add("userId", m.userId()));
            });
            JsonObject answer = Json.createObjectBuilder().add("room", room).add("members", array).build();
            peer.emit("who", answer);
        });
    }
}
