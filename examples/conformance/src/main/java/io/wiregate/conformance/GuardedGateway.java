package io.wiregate.conformance;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;

/**
 * {@code /guarded} of docs/conformance.md: the handshake needs {@code ?token=good-USER} (else HTTP 401), and a
 * present {@code Origin} must be {@code http://localhost} or {@code http://127.0.0.1} (else HTTP 403).
 */
@Gateway(value = "/guarded", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0,
        allowedOrigins = {"http://localhost", "http://127.0.0.1"})
public class GuardedGateway {

    @Authenticate
    Identity authenticate(HandshakeRequest request) {
        return Tokens.identityOf(request.queryParameter("token"));
    }

    @OnEvent("whoami")
    @Emit("whoami")
    SecureGateway.WhoAmI whoami(Peer peer) {
        return new SecureGateway.WhoAmI(peer.userId(), peer.id());
    }
}
