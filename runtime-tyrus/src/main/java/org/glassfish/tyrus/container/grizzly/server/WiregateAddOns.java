package org.glassfish.tyrus.container.grizzly.server;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.spi.ServerContainer;

/**
 * Bridge into Tyrus's package: {@link WebSocketAddOn}'s constructor is package-private in Tyrus 2.1, and
 * Wiregate needs the add-on on a Grizzly listener it builds itself (Tyrus's own server binds 0.0.0.0).
 * Works on the class path; Wiregate's standalone runtime does not run on the module path.
 */
public final class WiregateAddOns {

    private WiregateAddOns() {
    }

    /** Tyrus's WebSocket add-on for a Grizzly listener, serving {@code container}'s endpoints at the root. */
    public static AddOn webSocket(ServerContainer container) {
        return new WebSocketAddOn(container, "");
    }
}
