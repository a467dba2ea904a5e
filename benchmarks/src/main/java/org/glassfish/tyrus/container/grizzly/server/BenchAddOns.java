package org.glassfish.tyrus.container.grizzly.server;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.spi.ServerContainer;

/**
 * Bridge into Tyrus's package for the raw Tyrus benchmark server: {@link WebSocketAddOn}'s constructor is
 * package-private in Tyrus 2.1, and the raw server builds its Grizzly listener itself so that it binds
 * 127.0.0.1 (Tyrus's stock {@code Server} binds 0.0.0.0 whatever the host).
 */
public final class BenchAddOns {

    private BenchAddOns() {
    }

    /** Tyrus's WebSocket add-on for a Grizzly listener, serving {@code container}'s endpoints at the root. */
    public static AddOn webSocket(ServerContainer container) {
        return new WebSocketAddOn(container, "");
    }
}
