package io.wiregate.tyrus;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.Wire;

/** The clients one test opened on one server; closed after each test. */
final class Clients implements AutoCloseable {

    private final StandaloneRuntime.Server server;
    private final List<RawWebSocket> open = new CopyOnWriteArrayList<>();

    Clients(StandaloneRuntime.Server server) {
        this.server = server;
    }

    /** Connects to {@code path} of the server. */
    RawWebSocket open(String path) {
        return open(path, Map.of());
    }

    /** Connects to {@code path} of the server with extra handshake headers. */
    RawWebSocket open(String path, Map<String, String> headers) {
        return track(RawWebSocket.connect(URI.create(server.uri() + path), headers));
    }

    /** Connects and waits for {@code connected}, returning the client. */
    RawWebSocket connected(String path) {
        RawWebSocket c = open(path);
        c.next(Wire.isEvent("connected"));
        return c;
    }

    /** Keeps track of a client opened elsewhere. */
    RawWebSocket track(RawWebSocket c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() {
        for (RawWebSocket c : open) {
            c.close();
        }
        open.clear();
    }
}
