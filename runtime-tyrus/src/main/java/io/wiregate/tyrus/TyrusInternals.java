package io.wiregate.tyrus;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import jakarta.websocket.Session;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.Writer;

/**
 * Every reach into Tyrus 2.1 where it has no public API, and nothing else: {@code TyrusInternalsTest} fails
 * loudly when a Tyrus upgrade breaks one of them.
 * <ul>
 *   <li>the transport under a Jakarta {@link Session}: the session's remote endpoint holds the
 *       {@code TyrusWebSocket}, whose protocol handler holds the transport {@link Writer} (for Grizzly, holding the
 *       connection);</li>
 *   <li>Tyrus's Grizzly WebSocket add-on, whose constructor is package-private, for a listener Wiregate builds
 *       itself (Tyrus's own server binds 0.0.0.0).</li>
 * </ul>
 * Callers of the session methods fall back to the portable path when they fail.
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

    /** The Grizzly connection under Tyrus's Grizzly writer. */
    static org.glassfish.grizzly.Connection<?> grizzlyConnectionOf(Writer writer) throws ReflectiveOperationException {
        return (org.glassfish.grizzly.Connection<?>) field(writer, "connection");
    }

    /**
     * Tyrus's WebSocket add-on for a Grizzly listener, serving {@code container}'s endpoints at the root.
     *
     * @throws IllegalStateException if this Tyrus has no such add-on or constructor
     */
    static AddOn webSocketAddOn(ServerContainer container) {
        try {
            Constructor<WebSocketAddOn> constructor =
                    WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(container, "");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Tyrus has no WebSocketAddOn(ServerContainer, String): "
                    + "Wiregate's standalone runtime needs Tyrus 2.1", e);
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
