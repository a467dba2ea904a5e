package io.wiregate.bench.server;

import jakarta.json.JsonValue;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.NonBlocking;
import io.wiregate.OnEvent;
import io.wiregate.Peer;

/**
 * {@link BenchGateway} with encryption (docs/protocol.md section 12): every client is sealed, so every delivery is
 * encrypted once per recipient instead of shared. Any {@code authenticate} is accepted (the load generator sends only
 * its public key). The driver's kind {@code wiregate-netty-sealed} connects here.
 */
@NonBlocking
@Gateway(value = "/bench-sealed", auth = Auth.MESSAGE, encryption = true)
public class SealedBenchGateway {

    @Authenticate
    Identity authenticate(JsonValue credentials, Peer peer) {
        return Identity.of(peer.id());
    }

    @OnEvent("echo")
    @Emit("echo")
    JsonValue echo(JsonValue data) {
        return data;
    }

    @OnEvent("fanout")
    @Broadcast(value = "fanout", includeSender = false)
    JsonValue fanout(JsonValue data) {
        return data;
    }
}
