package io.wiregate.tyrus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The clients one test opened on one server; closed after each test. */
final class Clients implements AutoCloseable {

    private final WiregateServer server;
    private final List<TestClient> open = new CopyOnWriteArrayList<>();

    Clients(WiregateServer server) {
        this.server = server;
    }

    /** Connects to {@code path} of the server. */
    TestClient open(String path) {
        return open(path, Map.of());
    }

    /** Connects to {@code path} of the server with extra handshake headers. */
    TestClient open(String path, Map<String, String> headers) {
        TestClient c = TestClient.connect(server.uri() + path, headers);
        open.add(c);
        return c;
    }

    /** Connects and waits for {@code connected}, returning the client. */
    TestClient connected(String path) {
        TestClient c = open(path);
        c.next(Wire.isEvent("connected"));
        return c;
    }

    /** Keeps track of a client opened elsewhere. */
    TestClient track(TestClient c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() {
        for (TestClient c : open) {
            c.close();
        }
        open.clear();
    }
}
