package io.wiregate.tyrus;

import io.wiregate.cdi.spi.StandaloneMain;

/**
 * {@code java -jar}: starts every gateway found on the class path, prints {@code LISTENING ws://HOST:PORT}
 * once they all accept connections, and on SIGTERM closes every client with 1001 and exits.
 * Options are system properties: {@code wiregate.host} (127.0.0.1), {@code wiregate.port} (8025, 0 for a free
 * port), {@code wiregate.static} (a class path folder served over HTTP, for example {@code static/}), and
 * {@code wiregate.runtime} to start another runtime on the class path ({@code netty}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        StandaloneMain.run(TyrusRuntime.NAME);
    }
}
