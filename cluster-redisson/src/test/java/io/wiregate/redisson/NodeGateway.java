package io.wiregate.redisson;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;

/** {@code /node}: authenticate with {@code {"user": USER}}; server-side deliveries of every target kind. */
@Gateway(value = "/node", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0)
public class NodeGateway {

    /** Any delivery: {@code kind} is client, user, room or all. */
    public record Send(String kind, String target, String event, JsonValue data, List<String> exclude) {
    }

    @Inject
    Broadcaster<NodeGateway> node;

    @Authenticate
    Identity authenticate(JsonValue credentials) {
        return credentials instanceof JsonObject o && o.get("user") instanceof JsonString user
                ? Identity.of(user.getString()) : null;
    }

    @OnEvent("send")
    void send(Send m) {
        List<String> exclude = m.exclude() == null ? List.of() : m.exclude();
        switch (m.kind()) {
            case "client" -> node.toClient(m.target()).except(exclude).emit(m.event(), m.data());
            case "user" -> node.toUser(m.target()).except(exclude).emit(m.event(), m.data());
            case "room" -> node.toRoom(m.target()).except(exclude).emit(m.event(), m.data());
            default -> node.toAll().except(exclude).emit(m.event(), m.data());
        }
    }
}
