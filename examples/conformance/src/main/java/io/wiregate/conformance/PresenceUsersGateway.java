package io.wiregate.conformance;

import jakarta.inject.Inject;
import jakarta.validation.Valid;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.Presence;

/**
 * {@code /presence-users} of docs/conformance.md: as {@code /presence}, with user events instead of client events
 * (docs/protocol.md section 11).
 */
@Gateway(value = "/presence-users", auth = Auth.HANDSHAKE, presence = Presence.USERS)
public class PresenceUsersGateway {

    @Inject
    Broadcaster<PresenceUsersGateway> gateway;

    @Authenticate
    Identity authenticate(HandshakeRequest request) {
        return Tokens.identityOf(request.queryParameter("token"));
    }

    @OnEvent("who")
    void who(Peer peer, @Valid PresenceGateway.RoomName m) {
        PresenceGateway.answerWho(peer, m.room(), gateway.presence(m.room()));
    }
}
