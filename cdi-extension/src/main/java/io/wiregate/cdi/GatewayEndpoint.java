package io.wiregate.cdi;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

import io.wiregate.Identity;
import io.wiregate.cdi.transport.ContainerProfile;
import io.wiregate.cdi.transport.Transport;
import io.wiregate.cdi.transport.TransportSettings;

/**
 * The Jakarta WebSocket endpoint of one connection: forwards the container's callbacks to its gateway. Public because
 * containers call its methods reflectively (Tyrus refuses a package-private endpoint class).
 */
public final class GatewayEndpoint extends Endpoint {

    /** Session user property under which a handshake guard leaves the {@link Identity}. */
    static final String IDENTITY = "io.wiregate.identity";
    /** Session user property marking a handshake refused where the container could not answer with a status. */
    static final String REFUSED = "io.wiregate.refused";

    private final GatewayRuntime gateway;
    private final ContainerProfile profile;
    private final TransportSettings settings;
    private volatile Connection connection;

    GatewayEndpoint(GatewayRuntime gateway, ContainerProfile profile, TransportSettings settings) {
        this.gateway = gateway;
        this.profile = profile;
        this.settings = settings;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        if (session.getUserProperties().get(REFUSED) != null) { // docs/protocol.md section 1: close 4003 before any frame
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4003), "handshake refused"));
            } catch (java.io.IOException | RuntimeException e) {
                // the client is gone already
            }
            return;
        }
        Object identity = session.getUserProperties().get(IDENTITY);
        Transport transport = profile.transportFor(session, settings, this::frameArrived);
        Connection c = gateway.connection(transport, session.getPathParameters(), settings.closeTimeoutMs());
        connection = c; // before open: a refused connection may be reported closed while open runs
        gateway.open(c, session, identity instanceof Identity i ? i : null);
    }

    /** The container saw a frame of the client's (pings too): it restarts the heartbeat timer. */
    private void frameArrived() {
        Connection c = connection;
        if (c != null) {
            c.touch();
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        Connection c = connection;
        if (c != null) {
            gateway.closed(c, closeReason);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        gateway.failed(connection, error);
    }
}
