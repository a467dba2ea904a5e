package io.wiregate.tyrus;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import jakarta.websocket.Session;

import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * Reaches Tyrus 2.1's transport under a Jakarta {@link Session}: the session's remote endpoint holds the
 * {@code TyrusWebSocket}, whose protocol handler holds the transport {@code Writer} (for Grizzly, holding the
 * connection). Tyrus has no public API for it; callers fall back to the portable path when this fails.
 */
final class TyrusInternals {

    private TyrusInternals() {
    }

    /** The protocol handler of a Tyrus session: it frames what the session sends and owns its writer. */
    static ProtocolHandler protocolHandlerOf(Session session) throws ReflectiveOperationException {
        Object webSocket = field(session.getAsyncRemote(), "webSocket");
        Method handler = webSocket.getClass().getDeclaredMethod("getProtocolHandler");
        handler.setAccessible(true);
        return (ProtocolHandler) handler.invoke(webSocket);
    }

    /** The transport writer of a protocol handler. */
    static Writer writerOf(ProtocolHandler handler) throws ReflectiveOperationException {
        return (Writer) field(handler, "writer");
    }

    /** The {@code org.glassfish.tyrus.spi.Writer} of a Tyrus session. */
    static Writer writerOf(Session session) throws ReflectiveOperationException {
        return writerOf(protocolHandlerOf(session));
    }

    /** The Grizzly connection under Tyrus's Grizzly writer. */
    static org.glassfish.grizzly.Connection<?> grizzlyConnectionOf(Writer writer) throws ReflectiveOperationException {
        return (org.glassfish.grizzly.Connection<?>) field(writer, "connection");
    }

    static Object field(Object target, String name) throws ReflectiveOperationException {
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
