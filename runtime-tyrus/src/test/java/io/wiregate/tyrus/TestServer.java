package io.wiregate.tyrus;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import jakarta.enterprise.inject.se.SeContainer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.testing.RawWebSocket;

/**
 * The standalone server of one protocol test class, started on a free port before its first test and closed
 * after its last, and the clients each test opens, closed after that test. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestServer server = new TestServer(EchoGateway.class, SomeGuard.class);
 * }</pre>
 */
final class TestServer implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private final Class<?>[] beanClasses;
    private String staticResources;
    private StandaloneRuntime.Server server;
    private Clients clients;

    TestServer(Class<?>... beanClasses) {
        this.beanClasses = beanClasses.clone();
    }

    /** Also serves the class path folder {@code resources} over plain HTTP, as {@code wiregate.static} does. */
    TestServer serving(String resources) {
        this.staticResources = resources;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = Servers.serving(staticResources, beanClasses);
        clients = new Clients(server);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clients.close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    int port() {
        return server.port();
    }

    String uri() {
        return server.uri();
    }

    /** The address of {@code path} (and query) on this server. */
    URI uri(String path) {
        return URI.create(server.uri() + path);
    }

    SeContainer cdi() {
        return server.cdi();
    }

    /** Connects to {@code path}; the client is closed after the test. */
    RawWebSocket open(String path) {
        return clients.open(path);
    }

    /** Connects to {@code path} with extra handshake headers; the client is closed after the test. */
    RawWebSocket open(String path, Map<String, String> headers) {
        return clients.open(path, headers);
    }

    /** Connects to {@code path} and waits for {@code connected}; the client is closed after the test. */
    RawWebSocket connected(String path) {
        return clients.connected(path);
    }

    /** Closes a client opened elsewhere after the test. */
    RawWebSocket track(RawWebSocket c) {
        return clients.track(c);
    }

    /** The HTTP status of the answer to a WebSocket upgrade of {@code path} (101 when upgraded). */
    int handshakeStatus(String path) throws IOException {
        return RawWebSocket.handshakeStatus(uri(path));
    }

    /** The HTTP status of the answer to a WebSocket upgrade of {@code path} with extra headers. */
    int handshakeStatus(String path, Map<String, String> headers) throws IOException {
        return RawWebSocket.handshakeStatus(uri(path), headers);
    }
}
