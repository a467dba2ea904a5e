package io.wiregate.cdi.transport;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;

/**
 * Chooses the {@link ContainerProfile} of a servlet container's WebSocket implementation: the one place where
 * Wiregate tells containers apart by name.
 *
 * <ul>
 *   <li>Tyrus (Payara): the raw-frame transport over Tyrus's writer ({@link TyrusSessions}), a delivery encoded once
 *       for all its recipients, as standalone; the portable transport for a session that negotiated extensions, with
 *       {@code wiregate.raw-frames=false}, or if Tyrus is not as expected.</li>
 *   <li>Undertow (WildFly): text messages written to Undertow's channel from the payload encoded once per delivery
 *       ({@link UndertowTransport}); Undertow's API takes a payload, not a frame, so each channel still frames it.</li>
 *   <li>Open Liberty: one write at a time. Its asynchronous endpoint fails an overlapping send through its handler
 *       on another thread ("write not allowed"), too late to tell from a real failure while keeping the order.</li>
 *   <li>Any other container: the portable transport with a window of
 *       {@code wiregate.send-buffer} characters, which still detects a container refusing overlapping sends.</li>
 * </ul>
 * No servlet container gets a handshake refusal with a status: there the servlet filter refuses handshakes before
 * they reach the WebSocket container. None can drop a connection at once, nor report a client's pings.
 */
public final class ContainerProfiles {

    private static final Logger LOG = Logger.getLogger(ContainerProfiles.class.getName());

    private ContainerProfiles() {
    }

    /** The profile for the WebSocket {@code container} of a servlet container. */
    public static ContainerProfile forContainer(ServerContainer container) {
        String type = container.getClass().getName();
        ContainerProfile profile;
        if (type.startsWith("org.glassfish.tyrus.")) {
            profile = new TyrusServletProfile();
        } else if (type.startsWith("io.undertow.")) {
            profile = new UndertowProfile();
        } else if (type.startsWith("com.ibm.ws.wsoc.") || type.startsWith("io.openliberty.wsoc.")) {
            profile = new PortableProfile("open-liberty", true);
        } else {
            profile = portable();
        }
        LOG.info(() -> "Wiregate uses the " + profile.name() + " container profile (" + type + ")");
        return profile;
    }

    /** The portable profile, for containers Wiregate knows nothing about. */
    public static ContainerProfile portable() {
        return new PortableProfile("portable", false);
    }

    /** The portable transport, windowed or one write at a time. */
    private record PortableProfile(String name, boolean oneAtATime) implements ContainerProfile {

        @Override
        public Transport transportFor(Session session, TransportSettings settings, Runnable onFrame) {
            return oneAtATime ? Transports.oneAtATime(session) : Transports.text(session, settings.sendBuffer(), null);
        }

        @Override
        public boolean refuseHandshake(int status, String reason, HandshakeResponse response) {
            return false;
        }
    }

    /** Tyrus in a servlet container (Payara): raw frames through Tyrus's writer. */
    private static final class TyrusServletProfile implements ContainerProfile {

        private volatile boolean warned;

        @Override
        public String name() {
            return "tyrus-servlet";
        }

        @Override
        public Transport transportFor(Session session, TransportSettings settings, Runnable onFrame) {
            if (settings.rawFrames() && TyrusSessions.isTyrus(session) && session.getNegotiatedExtensions().isEmpty()) {
                try {
                    RawWriter writer = TyrusSessions.rawWriter(TyrusSessions.writerOf(TyrusSessions.protocolHandlerOf(session)));
                    return Transports.raw(session, writer, settings.sendBuffer(), null);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    if (!warned) {
                        warned = true;
                        LOG.log(Level.WARNING, "Tyrus internals differ: frames take the portable path", e);
                    }
                }
            }
            return Transports.text(session, settings.sendBuffer(), null);
        }

        @Override
        public boolean refuseHandshake(int status, String reason, HandshakeResponse response) {
            return false;
        }
    }

    /** Undertow in a servlet container (WildFly): the payload encoded once per delivery. */
    private static final class UndertowProfile implements ContainerProfile {

        private volatile boolean warned;

        @Override
        public String name() {
            return "undertow";
        }

        @Override
        public Transport transportFor(Session session, TransportSettings settings, Runnable onFrame) {
            if (settings.rawFrames() && session.getNegotiatedExtensions().isEmpty()) {
                try {
                    Transport transport = UndertowTransport.of(session, settings.sendBuffer());
                    if (transport != null) {
                        return transport;
                    }
                } catch (RuntimeException | LinkageError e) {
                    if (!warned) {
                        warned = true;
                        LOG.log(Level.WARNING, "Undertow's WebSocket API differs: frames take the portable path", e);
                    }
                }
            }
            return Transports.text(session, settings.sendBuffer(), null);
        }

        @Override
        public boolean refuseHandshake(int status, String reason, HandshakeResponse response) {
            return false;
        }
    }
}
