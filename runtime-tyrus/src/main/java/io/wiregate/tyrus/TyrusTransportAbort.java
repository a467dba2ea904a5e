package io.wiregate.tyrus;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.Session;

import io.wiregate.cdi.session.TransportAbort;

/**
 * Drops a Tyrus (Grizzly) connection at once: terminates the Grizzly connection under the session's transport
 * writer (see {@link TyrusInternals}), resolved while the session is open. If Tyrus changes shape, it logs once
 * and offers nothing.
 */
public final class TyrusTransportAbort implements TransportAbort {

    private static final Logger LOG = Logger.getLogger(TyrusTransportAbort.class.getName());
    private static volatile boolean warned;

    @Override
    public Runnable aborterFor(Session session) {
        try {
            Object connection = TyrusInternals.field(TyrusInternals.writerOf(session), "connection");
            java.lang.reflect.Method terminate = connection.getClass().getMethod("terminateSilently");
            return () -> {
                try {
                    terminate.invoke(connection);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.log(Level.FINE, "dropping a connection failed", e);
                }
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "cannot drop Tyrus connections that ignore their close: Tyrus internals differ", e);
            }
            return null;
        }
    }
}
