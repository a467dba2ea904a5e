package io.wiregate.tyrus;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;

import org.glassfish.tyrus.core.HandshakeException;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.spi.Writer;

import io.wiregate.cdi.transport.ContainerProfile;
import io.wiregate.cdi.transport.Transport;
import io.wiregate.cdi.transport.TransportSettings;
import io.wiregate.cdi.transport.Transports;
import io.wiregate.cdi.transport.TyrusSessions;

/**
 * The standalone runtime's container: Tyrus on Wiregate's own Grizzly listener.
 * <ul>
 *   <li>Transport: pre-encoded frames written straight to Tyrus's transport writer (a delivery encoded once for
 *       all recipients, a client's queued frames in one write), unless {@code wiregate.raw-frames=false} or the
 *       session negotiated extensions (which would transform frames): then the portable path. Tyrus's writer sits
 *       behind a {@link LingeringClose.LingeringWriter}, so that every close completes the close handshake, and a
 *       client that never answers its close can be dropped.</li>
 *   <li>Frame activity: every read on the connection (pings included) runs the connection's hook, through
 *       {@link LingeringClose}'s filter.</li>
 *   <li>Handshake refusal: a {@link HandshakeException} leaving {@code modifyHandshake} becomes an HTTP response
 *       with that status, before any upgrade.</li>
 * </ul>
 * If Tyrus's internals are not as expected ({@link TyrusSessions}, {@link TyrusInternals}), it logs once and gives the
 * portable transport.
 */
final class TyrusProfile implements ContainerProfile {

    private static final Logger LOG = Logger.getLogger(TyrusProfile.class.getName());
    private static volatile boolean warned;

    @Override
    public String name() {
        return "tyrus-standalone";
    }

    @Override
    public Transport transportFor(Session session, TransportSettings settings, Runnable onFrame) {
        LingeringClose.LingeringWriter writer;
        try {
            writer = lingeringWriterOf(session);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "Tyrus internals differ: frames take the portable path, and clients that "
                        + "ignore their close are not dropped", e);
            }
            return Transports.text(session, settings.sendBuffer(), null);
        }
        writer.onRead(onFrame);
        if (!settings.rawFrames() || !session.getNegotiatedExtensions().isEmpty()) {
            return Transports.text(session, settings.sendBuffer(), writer::abort);
        }
        return Transports.raw(session, TyrusSessions.rawWriter(writer), settings.sendBuffer(), writer::abort);
    }

    /** Puts Tyrus's writer of {@code session} behind a lingering writer, once. */
    private static LingeringClose.LingeringWriter lingeringWriterOf(Session session) throws ReflectiveOperationException {
        ProtocolHandler handler = TyrusSessions.protocolHandlerOf(session);
        Writer writer = TyrusSessions.writerOf(handler);
        if (writer instanceof LingeringClose.LingeringWriter lingering) {
            return lingering;
        }
        LingeringClose.LingeringWriter lingering = LingeringClose.wrap(writer, TyrusInternals.grizzlyConnectionOf(writer));
        if (lingering == null) {
            throw new IllegalStateException("connection not accepted by Wiregate's listener");
        }
        handler.setWriter(lingering);
        return lingering;
    }

    @Override
    public boolean refuseHandshake(int status, String reason, HandshakeResponse response) {
        throw TyrusProfile.<RuntimeException>sneaky(new HandshakeException(status, reason));
    }

    /** Throws a checked exception through a method that cannot declare it (the Jakarta configurator's). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
