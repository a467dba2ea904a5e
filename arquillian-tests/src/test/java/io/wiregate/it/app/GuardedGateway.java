package io.wiregate.it.app;

import java.util.Map;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;

/** Handshake guard: {@code ?token=good-USER} or header {@code X-Token: good-USER}; origin must be localhost. */
@Gateway(value = "/guarded", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0, allowedOrigins = "http://localhost")
public class GuardedGateway {

    @Authenticate
    Identity authenticate(HandshakeRequest request) {
        String token = request.queryParameter("token");
        if (token == null) {
            token = request.header("X-Token");
        }
        return token != null && token.startsWith("good-") && token.length() > 5 ? Identity.of(token.substring(5)) : null;
    }

    @OnEvent("whoami")
    @Emit("whoami")
    Map<String, String> whoami(Peer peer) {
        return Map.of("userId", peer.userId(), "clientId", peer.id());
    }
}
