package io.wiregate.tyrus;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import jakarta.websocket.Session;

/**
 * Reaches Tyrus 2.1's transport under a Jakarta {@link Session}: the session's remote endpoint holds the
 * {@code TyrusWebSocket}, whose protocol handler holds the transport {@code Writer} (for Grizzly, holding the
 * connection). Tyrus has no public API for it; callers fall back to the portable path when this fails.
 */
final class TyrusInternals {

    private TyrusInternals() {
    }

    /** The {@code org.glassfish.tyrus.spi.Writer} of a Tyrus session. */
    static Object writerOf(Session session) throws ReflectiveOperationException {
        Object webSocket = field(session.getAsyncRemote(), "webSocket");
        Method handler = webSocket.getClass().getDeclaredMethod("getProtocolHandler");
        handler.setAccessible(true);
        return field(handler.invoke(webSocket), "writer");
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
