package io.wiregate.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.wiregate.tyrus.WiregateServer;

/**
 * A real standalone Wiregate server (Tyrus + Weld SE, 127.0.0.1, a free port) with every test gateway, started
 * before a test class and closed after it, and the clients each test makes, closed after that test. It can be
 * stopped and started again on the same port, for reconnect tests. Register it as a static field.
 */
final class TestServer implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private WiregateServer server;
    private int port;
    private final List<WiregateClient> clients = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        clients.forEach(WiregateClient::close);
        clients.clear();
        TestGateways.slowRelease.countDown();
        if (server == null) {
            start(); // a test stopped it
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts the server: on a free port the first time, then on the same port again. */
    synchronized void start() {
        server = WiregateServer.builder().host("127.0.0.1").port(port).beanClasses(TestGateways.ALL).start();
        port = server.port();
    }

    /** Closes the server (every client gets 1001). */
    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The address of a gateway path on this server. */
    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /** A builder for a client of {@code path}; {@link #track} the client it connects. */
    WiregateClient.Builder builder(String path) {
        return WiregateClient.builder(uri(path));
    }

    /** Closes {@code client} after the test. */
    synchronized WiregateClient track(WiregateClient client) {
        clients.add(client);
        return client;
    }

    /** A client of {@code path} with the default options (and fast reconnects), closed after the test. */
    WiregateClient connect(String path) {
        return track(builder(path).reconnect(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(200)).connect());
    }
}
