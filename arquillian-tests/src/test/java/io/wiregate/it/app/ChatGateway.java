package io.wiregate.it.app;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;

/** In-band authentication ({@code {"token": "good-USER"}}), rooms and users. */
@Members
@Gateway(value = "/chat", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0)
public class ChatGateway {

    /** {@code toUser} and {@code toRoom}: where and what. */
    public record Note(@NotBlank String to, @NotBlank String text) {
    }

    @Inject
    Broadcaster<ChatGateway> chat;

    @Authenticate
    Identity authenticate(JsonValue credentials) {
        if (credentials instanceof JsonObject o && o.get("token") instanceof JsonString token
                && token.getString().startsWith("good-") && token.getString().length() > 5) {
            return Identity.of(token.getString().substring(5));
        }
        return null;
    }

    @OnEvent("whoami")
    @Emit("whoami")
    Map<String, String> whoami(Peer peer) {
        return Map.of("userId", peer.userId(), "clientId", peer.id());
    }

    @OnEvent("toUser")
    void toUser(@Valid Note note, Peer peer) {
        chat.toUser(note.to()).emit("note", Map.of("from", peer.userId(), "text", note.text()));
    }

    @OnEvent("toRoom")
    void toRoom(@Valid Note note, Peer peer) {
        chat.toRoom(note.to()).except(peer.id()).emit("note", Map.of("from", peer.userId(), "text", note.text()));
    }
}
