package io.wiregate.bench.server;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The raw side of the benchmark on the application servers ({@code target/wiregate-benchmarks-raw.war}):
 * {@link RawBenchEndpoint} ported to a WAR that runs unchanged on WildFly, Payara Micro and Open Liberty, on each
 * server's own WebSocket, as a developer writes it with the Jakarta WebSocket API alone. Same job, same frames:
 * {@code echo} sends the frame back as it came, {@code fanout} sends the same text to every other open session.
 * <p>
 * The one change from {@link RawBenchEndpoint}: a session sends one text at a time, the next from the previous
 * one's completion. The API lets a container refuse a send while another is in progress on the same session
 * ({@code RemoteEndpoint.Async}: "may throw an IllegalStateException"), and Open Liberty does: with
 * {@link RawBenchEndpoint}'s sends, which Tyrus and Undertow queue, Liberty lost two thirds of a fanout and every
 * echo client stalled. So a portable endpoint keeps, per session, the texts waiting behind the one in flight
 * (unbounded, as Tyrus's own queue is; the benchmark's window bounds it).
 */
@ServerEndpoint("/bench")
public class PortableRawBenchEndpoint {

    private static final Map<Session, Outbox> SESSIONS = new ConcurrentHashMap<>();

    @OnOpen
    public void open(Session session) {
        SESSIONS.put(session, new Outbox(session.getAsyncRemote()));
    }

    @OnClose
    public void close(Session session) {
        SESSIONS.remove(session);
    }

    @OnMessage
    public void message(Session session, String text) {
        String event = BenchEnvelope.event(text);
        if ("echo".equals(event)) {
            Outbox own = SESSIONS.get(session);
            if (own != null) {
                own.send(text);
            }
        } else if ("fanout".equals(event)) {
            for (Map.Entry<Session, Outbox> other : SESSIONS.entrySet()) {
                if (other.getKey() != session && other.getKey().isOpen()) {
                    other.getValue().send(text);
                }
            }
        }
        // anything else (a heartbeat) is ignored
    }

    /** One session's sends, one in flight at a time, the others in order behind it. Thread-safe. */
    static final class Outbox implements SendHandler {
        private final RemoteEndpoint.Async remote;
        private final Queue<String> waiting = new ArrayDeque<>();
        private boolean sending;

        Outbox(RemoteEndpoint.Async remote) {
            this.remote = remote;
        }

        void send(String text) {
            synchronized (this) {
                if (sending) {
                    waiting.add(text);
                    return;
                }
                sending = true;
            }
            start(text);
        }

        @Override
        public void onResult(SendResult result) {
            String next;
            synchronized (this) {
                if (!result.isOK()) {
                    waiting.clear(); // the session is failing: what waits would fail too
                }
                next = waiting.poll();
                if (next == null) {
                    sending = false;
                    return;
                }
            }
            start(next);
        }

        private void start(String text) {
            try {
                remote.sendText(text, this);
            } catch (RuntimeException e) {
                // the session closed meanwhile: nothing more goes out on it
                synchronized (this) {
                    waiting.clear();
                    sending = false;
                }
            }
        }
    }
}
