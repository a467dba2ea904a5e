package io.wiregate.tyrus;

import java.lang.reflect.Constructor;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.Writer;

import io.wiregate.cdi.transport.TyrusSessions;

/**
 * Every reach into Tyrus 2.1's Grizzly container where it has no public API, and nothing else (the reach from a
 * session to its writer is {@link TyrusSessions}', shared with Payara): {@code TyrusInternalsTest} fails loudly when
 * a Tyrus upgrade breaks one of them.
 * <ul>
 *   <li>the Grizzly connection under Tyrus's Grizzly {@link Writer};</li>
 *   <li>Tyrus's Grizzly WebSocket add-on, whose constructor is package-private, for a listener Wiregate builds
 *       itself (Tyrus's own server binds 0.0.0.0).</li>
 * </ul>
 */
final class TyrusInternals {

    private TyrusInternals() {
    }

    /** The Grizzly connection under Tyrus's Grizzly writer. */
    static org.glassfish.grizzly.Connection<?> grizzlyConnectionOf(Writer writer) throws ReflectiveOperationException {
        return (org.glassfish.grizzly.Connection<?>) TyrusSessions.field(writer, "connection");
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
}
