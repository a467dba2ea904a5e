package io.wiregate.tyrus;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.Session;

import io.wiregate.cdi.session.TransportAbort;

/**
 * Drops a Tyrus (Grizzly) connection at once. Tyrus has no public call for it, so this walks Tyrus 2.1's
 * internals: the session's remote endpoint holds the {@code TyrusWebSocket}, whose protocol handler holds the
 * Grizzly writer, whose connection is terminated. If Tyrus changes shape, it logs once and reports false.
 */
public final class TyrusTransportAbort implements TransportAbort {

    private static final Logger LOG = Logger.getLogger(TyrusTransportAbort.class.getName());
    private static volatile boolean warned;

    @Override
    public boolean abort(Session session) {
        try {
            Object remote = session.getAsyncRemote();
            Object webSocket = field(remote, "webSocket");
            Method handler = webSocket.getClass().getDeclaredMethod("getProtocolHandler");
            handler.setAccessible(true);
            Object protocolHandler = handler.invoke(webSocket);
            Object writer = field(protocolHandler, "writer");
            Object connection = field(writer, "connection");
            connection.getClass().getMethod("terminateSilently").invoke(connection);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "cannot drop a Tyrus connection that ignores its close: Tyrus internals differ", e);
            }
            return false;
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }
}
