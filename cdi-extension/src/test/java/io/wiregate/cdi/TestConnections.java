package io.wiregate.cdi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import io.wiregate.Identity;
import io.wiregate.cdi.transport.FakeAsyncRemote;
import io.wiregate.cdi.transport.FakeSession;
import io.wiregate.cdi.transport.Transports;

/** Builds {@link Connection}s over fake sessions. */
public final class TestConnections {

    private final ClientRegistry registry;
    private final ScheduledExecutorService timers;
    private final String namespace;

    public TestConnections(String namespace, ClientRegistry registry, ScheduledExecutorService timers) {
        this.namespace = namespace;
        this.registry = registry;
        this.timers = timers;
    }

    /** A connection registered but not connected, whose sends complete inline. */
    public Connection registered(String id) {
        return registered(id, new FakeSession(id, FakeAsyncRemote.inline()), 1024);
    }

    /** A connection registered but not connected. */
    public Connection registered(String id, FakeSession session, int queueBound) {
        Connection c = new Connection(id, namespace, Transports.text(session.session(), 1, null), Map.of(), registry,
                String::valueOf, timers, queueBound, Connection.State.AWAITING_AUTH, null, 30_000);
        registry.add(c);
        return c;
    }

    /** A connected, anonymous connection. */
    public Connection connected(String id) {
        return connected(id, null, new FakeSession(id, FakeAsyncRemote.inline()), 1024);
    }

    /** A connected connection of a user. */
    public Connection connected(String id, String userId) {
        return connected(id, userId, new FakeSession(id, FakeAsyncRemote.inline()), 1024);
    }

    /** A connected connection, of a user when {@code userId} is not null. */
    public Connection connected(String id, String userId, FakeSession session, int queueBound) {
        Connection c = registered(id, session, queueBound);
        if (userId != null) {
            c.authenticated(Identity.of(userId));
        }
        if (!c.markConnected(List.of())) {
            throw new AssertionError("could not connect " + id);
        }
        return c;
    }
}
