package io.wiregate.cdi.spi;

import java.util.Map;

import io.wiregate.HandshakeRequest;
import io.wiregate.cdi.HandshakeCheck;
import io.wiregate.cdi.transport.Transport;
import io.wiregate.cdi.transport.TransportSettings;

/**
 * One gateway as a runtime without Jakarta WebSocket serves it (the standalone runtime on Netty): the runtime owns
 * the socket, the HTTP upgrade and the WebSocket framing, and hands the gateway the handshake to check and then the
 * connection's messages. Obtained from {@link GatewayHost#route}.
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public interface HostedGateway {

    /** The path the gateway is served at (the global prefix included), possibly a URI template such as {@code /rooms/{id}}. */
    String path();

    /**
     * The gateway's handshake guard, before any upgrade: the {@code Origin} check (403), then, for a gateway that
     * authenticates on the handshake, its authenticator (401), run in a request scope.
     */
    HandshakeCheck.Verdict check(HandshakeRequest request);

    /**
     * Whether the gateway is {@link io.wiregate.NonBlocking}: its connections' messages may be handled on the
     * thread that read them.
     */
    boolean nonBlocking();

    /** The largest message, in bytes, the gateway accepts; a larger one closes the connection with 1009. */
    int maxMessageBytes();

    /**
     * A WebSocket the runtime just upgraded for this gateway: its connection, not yet open. The runtime keeps it,
     * then calls {@link GatewayConnection#open}: a close may be reported while {@code open} runs.
     *
     * @param transport      where the connection's frames go
     * @param pathParameters the values of the path template's parameters (decoded)
     * @param settings       the transport settings the runtime started with
     */
    GatewayConnection connect(Transport transport, Map<String, String> pathParameters, TransportSettings settings);
}
