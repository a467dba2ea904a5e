package io.wiregate.it.cluster;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.JsonValue;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcast;
import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;

/**
 * A gateway of a node that joins the Redis cluster bus: clients are users ({@code ?user=NAME}) and rooms come from
 * the built-in {@code join}. Three kinds of server-side deliveries, each published to Redis: a handler routed to a
 * room, a handler routed to every client but the sender, and a {@link Broadcaster} call to a user.
 */
@Gateway(value = "/cluster", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0)
public class ClusterGateway {

    /** What {@code shout} delivers to the room it names. */
    public record Shout(String room, String text) {
    }

    /** What {@code tell} delivers to a user. */
    public record Tell(String to, String text) {
    }

    @Inject
    Broadcaster<ClusterGateway> cluster;

    @Authenticate
    Identity authenticate(HandshakeRequest request) {
        String user = request.queryParameter("user");
        return user == null || user.isBlank() ? null : Identity.of(user);
    }

    @OnEvent("shout")
    @Broadcast(value = "shouted", roomFrom = "room")
    Shout shout(Shout shout) {
        return shout;
    }

    @OnEvent("announce")
    @Broadcast(value = "announced", includeSender = false)
    JsonValue announce(JsonValue data) {
        return data;
    }

    @OnEvent("tell")
    void tell(Tell tell, Peer peer) {
        cluster.toUser(tell.to()).emit("told", Map.of("from", peer.userId(), "text", tell.text()));
    }
}
