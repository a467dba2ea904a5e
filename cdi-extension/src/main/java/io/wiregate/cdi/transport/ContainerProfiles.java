package io.wiregate.cdi.transport;

import java.util.logging.Logger;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;

/**
 * Chooses the {@link ContainerProfile} of a servlet container's WebSocket implementation: the one place where
 * Wiregate tells containers apart by name.
 *
 * <ul>
 *   <li>Open Liberty: one write at a time. Its asynchronous endpoint fails an overlapping send through its handler
 *       on another thread ("write not allowed"), too late to tell from a real failure while keeping the order.</li>
 *   <li>Any other container (WildFly's Undertow, Payara's Tyrus, ...): the portable transport with a window of
 *       {@code wiregate.send-buffer} characters, which still detects a container refusing overlapping sends.</li>
 * </ul>
 * No servlet container gets a raw-frame transport or a handshake refusal with a status: there the servlet filter
 * refuses handshakes before they reach the WebSocket container.
 */
public final class ContainerProfiles {

    private static final Logger LOG = Logger.getLogger(ContainerProfiles.class.getName());

    private ContainerProfiles() {
    }

    /** The profile for the WebSocket {@code container} of a servlet container. */
    public static ContainerProfile forContainer(ServerContainer container) {
        String type = container.getClass().getName();
        ContainerProfile profile = type.startsWith("com.ibm.ws.wsoc.") || type.startsWith("io.openliberty.wsoc.")
                ? new ServletProfile("open-liberty", true)
                : new ServletProfile("portable", false);
        LOG.fine(() -> "Wiregate uses the " + profile.name() + " container profile for " + type);
        return profile;
    }

    /** The portable profile, for containers Wiregate knows nothing about. */
    public static ContainerProfile portable() {
        return new ServletProfile("portable", false);
    }

    /** A servlet container's profile: the portable transport, windowed or one write at a time. */
    private record ServletProfile(String name, boolean oneAtATime) implements ContainerProfile {

        @Override
        public Transport transportFor(Session session, TransportSettings settings, Runnable onFrame) {
            return oneAtATime ? Transports.oneAtATime(session) : Transports.text(session, settings.sendBuffer(), null);
        }

        @Override
        public boolean refuseHandshake(int status, String reason, HandshakeResponse response) {
            return false;
        }
    }
}
