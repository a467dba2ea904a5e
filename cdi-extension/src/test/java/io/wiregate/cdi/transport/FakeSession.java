package io.wiregate.cdi.transport;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * A {@link Session} for tests, a proxy over the interface: it is open until closed, gives out one
 * {@link FakeAsyncRemote}, and records the close reasons it is asked to close with.
 */
public final class FakeSession {

    private final String id;
    private final FakeAsyncRemote remote;
    private final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    private final Session session;

    public FakeSession(String id, FakeAsyncRemote remote) {
        this.id = id;
        this.remote = remote;
        this.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> this.remote;
                    case "isOpen" -> open;
                    case "getId" -> this.id;
                    case "close" -> {
                        closes.add(args != null && args.length == 1 ? (CloseReason) args[0]
                                : new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
                        open = false;
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeSession[" + this.id + "]";
                    default -> {
                        Class<?> r = method.getReturnType();
                        if (r == boolean.class) {
                            yield false;
                        }
                        if (r == int.class) {
                            yield 0;
                        }
                        if (r == long.class) {
                            yield 0L;
                        }
                        yield null;
                    }
                });
    }

    /** The proxy. */
    public Session session() {
        return session;
    }

    /** The remote every send goes to. */
    public FakeAsyncRemote remote() {
        return remote;
    }

    /** The close reasons the session was closed with, in order. */
    public List<CloseReason> closes() {
        return closes;
    }

    /** Simulates the peer going away without a close through this session. */
    public void drop() {
        open = false;
    }
}
