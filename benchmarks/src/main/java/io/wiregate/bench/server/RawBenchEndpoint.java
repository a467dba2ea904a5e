package io.wiregate.bench.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The raw Tyrus side of the benchmark: what a developer writes by hand with the Jakarta WebSocket API to do
 * the job of {@link BenchGateway} with the same frames. It reads the envelope's {@code event} with a streaming
 * JSON-P parser from a factory made once, no tree, no binding ({@link BenchEnvelope}), then:
 * <ul>
 * <li>{@code echo}: sends the frame back as it came ({@code {"event":"echo","data":..,"id":..}} is exactly
 * the reply Wiregate sends);</li>
 * <li>{@code fanout}: sends the same text, asynchronously, to every other open session of the endpoint (the
 * frame {@code {"event":"fanout","data":..}} is exactly what Wiregate delivers).</li>
 * </ul>
 * Sessions are tracked in a concurrent set maintained in {@code @OnOpen}/{@code @OnClose}, the usual idiom
 * (cheaper than {@link Session#getOpenSessions()}, which copies the set on every call). On the application servers
 * the raw side is {@link PortableRawBenchEndpoint}, the same job for any container.
 */
@ServerEndpoint("/bench")
public class RawBenchEndpoint {

    private static final Set<Session> SESSIONS = ConcurrentHashMap.newKeySet();

    /**
     * For experiments only ({@code -Dbench.raw.maxIdleTimeout=-1}): a session idle timeout to set on open. Unset
     * (the default), sessions keep Tyrus's default, as in a hand-written application.
     */
    private static final Long MAX_IDLE_TIMEOUT = Long.getLong("bench.raw.maxIdleTimeout");

    @OnOpen
    public void open(Session session) {
        if (MAX_IDLE_TIMEOUT != null) {
            session.setMaxIdleTimeout(MAX_IDLE_TIMEOUT);
        }
        SESSIONS.add(session);
    }

    @OnClose
    public void close(Session session) {
        SESSIONS.remove(session);
    }

    @OnMessage
    public void message(Session session, String text) {
        String event = BenchEnvelope.event(text);
        if ("echo".equals(event)) {
            session.getAsyncRemote().sendText(text);
        } else if ("fanout".equals(event)) {
            for (Session other : SESSIONS) {
                if (other != session && other.isOpen()) {
                    other.getAsyncRemote().sendText(text);
                }
            }
        }
        // anything else (a heartbeat) is ignored
    }
}
