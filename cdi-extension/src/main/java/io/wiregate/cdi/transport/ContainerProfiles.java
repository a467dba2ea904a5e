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
            profile = FastPathProfile.tyrusServlet();
        } else if (type.startsWith("io.undertow.")) {
            profile = FastPathProfile.undertow();
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

    /**
     * A servlet container's faster transport where its internals allow it, the portable one elsewhere: for a session
     * that negotiated extensions, with {@code wiregate.raw-frames=false}, for a session not of the expected kind, or
     * if the container is not as expected (warned once).
     */
    private static final class FastPathProfile implements ContainerProfile {

        /** Opens the faster transport of a session, or returns null if the session is not of the expected kind. */
        @FunctionalInterface
        interface FastPath {
            Transport open(Session session, TransportSettings settings) throws ReflectiveOperationException;
        }

        private final String name;
        private final FastPath fastPath;
        private final String differs;
        private volatile boolean warned;

        /** @param differs the warning when the container is not as expected */
        FastPathProfile(String name, FastPath fastPath, String differs) {
            this.name = name;
            this.fastPath = fastPath;
            this.differs = differs;
        }

        /** Tyrus in a servlet container (Payara): raw frames through Tyrus's writer. */
        static FastPathProfile tyrusServlet() {
            return new FastPathProfile("tyrus-servlet", (session, settings) -> {
                if (!TyrusSessions.isTyrus(session)) {
                    return null;
                }
                RawWriter writer = TyrusSessions.rawWriter(
                        TyrusSessions.writerOf(TyrusSessions.protocolHandlerOf(session)));
                return Transports.raw(session, writer, settings.sendBuffer(), null);
            }, "Tyrus internals differ: frames take the portable path");
        }

        /** Undertow in a servlet container (WildFly): the payload encoded once per delivery. */
        static FastPathProfile undertow() {
            return new FastPathProfile("undertow",
                    (session, settings) -> UndertowTransport.of(session, settings.sendBuffer()),
                    "Undertow's WebSocket API differs: frames take the portable path");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Transport transportFor(Session session, TransportSettings settings, Runnable onFrame) {
            if (settings.rawFrames() && session.getNegotiatedExtensions().isEmpty()) {
                try {
                    Transport transport = fastPath.open(session, settings);
                    if (transport != null) {
                        return transport;
                    }
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    if (!warned) {
                        warned = true;
                        LOG.log(Level.WARNING, differs, e);
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
