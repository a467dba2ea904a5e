package io.wiregate.tyrus;

import java.util.concurrent.CountDownLatch;

import io.wiregate.protocol.internal.Settings;

/**
 * {@code java -jar}: starts every gateway found on the class path, prints {@code LISTENING ws://HOST:PORT}
 * once they all accept connections, and on SIGTERM closes every client with 1001 and exits.
 * Options are system properties: {@code wiregate.host} (127.0.0.1), {@code wiregate.port} (8025, 0 for a free
 * port), {@code wiregate.static} (a class path folder served over HTTP, for example {@code static/}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        WiregateServer.Builder builder = WiregateServer.builder();
        Settings.get("wiregate.static").ifPresent(builder::staticResources);
        WiregateServer server;
        try {
            server = builder.start();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wiregate-shutdown"));
        System.out.println("LISTENING " + server.uri());
        System.out.flush();
        // Grizzly's threads are daemons: the main thread keeps the JVM alive until SIGTERM runs the hook.
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
