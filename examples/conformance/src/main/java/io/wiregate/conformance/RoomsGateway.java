package io.wiregate.conformance;

import jakarta.inject.Inject;
import jakarta.json.JsonValue;

import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.OnOpen;
import io.wiregate.Peer;

/** {@code /rooms/{roomId}} of docs/conformance.md: each client joins the room of its path. */
@Gateway(value = "/rooms/{roomId}", heartbeatTimeoutMs = 0)
public class RoomsGateway {

    /** What {@code say} delivers. */
    public record Said(String roomId, JsonValue data) {
    }

    @Inject
    Broadcaster<RoomsGateway> rooms;

    @OnOpen
    void joinPathRoom(Peer peer) {
        peer.join(peer.pathParameter("roomId"));
    }

    @OnEvent("say")
    void say(JsonValue data, Peer peer) {
        String roomId = peer.pathParameter("roomId");
        rooms.toRoom(roomId).emit("said", new Said(roomId, data));
    }
}
