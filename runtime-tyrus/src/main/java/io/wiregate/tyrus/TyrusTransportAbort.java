package io.wiregate.tyrus;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.Session;

import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.spi.Writer;

import io.wiregate.cdi.session.TransportAbort;

/**
 * How a Tyrus (Grizzly) connection ends, resolved while its session is open: Tyrus's writer is put behind a
 * {@link LingeringClose.LingeringWriter}, so that every close completes the close handshake before TCP is
 * closed, and the aborter drops the Grizzly connection at once (a client that never answers its close). If
 * Tyrus changes shape, it logs once and offers nothing.
 */
public final class TyrusTransportAbort implements TransportAbort {

    private static final Logger LOG = Logger.getLogger(TyrusTransportAbort.class.getName());
    private static volatile boolean warned;

    @Override
    public Runnable aborterFor(Session session) {
        try {
            ProtocolHandler handler = TyrusInternals.protocolHandlerOf(session);
            Writer writer = TyrusInternals.writerOf(handler);
            if (writer instanceof LingeringClose.LingeringWriter lingering) {
                return lingering::abort;
            }
            org.glassfish.grizzly.Connection<?> connection = TyrusInternals.grizzlyConnectionOf(writer);
            LingeringClose.LingeringWriter lingering = LingeringClose.wrap(writer, connection);
            if (lingering == null) {
                return connection::terminateSilently; // not accepted by Wiregate's own listener
            }
            handler.setWriter(lingering);
            return lingering::abort;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "cannot drop Tyrus connections that ignore their close: Tyrus internals differ", e);
            }
            return null;
        }
    }
}
