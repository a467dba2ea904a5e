package io.wiregate.bench.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The transport's floor: {@link RawBenchEndpoint} without reading JSON. The text of every frame goes back to its
 * sender as it came, except two frames the load generator writes byte for byte the same way every time, which are
 * told apart by a plain string comparison:
 * <ul>
 * <li>a frame that starts with {@code {"event":"fanout"} goes, asynchronously, to every other open session (as
 * {@link RawBenchEndpoint} does);</li>
 * <li>the generator's {@code {"event":"heartbeat"}} is ignored (the other servers do not answer it either).</li>
 * </ul>
 * So an echo request costs Tyrus's frame decoding, one {@code startsWith} and one {@code equals} on the text, and
 * Tyrus's send: the server CPU per echo round trip of this endpoint is what the transport costs, and another
 * server's figure minus this one is what its own pipeline adds (issue 14). The echo request
 * {@code {"event":"echo","data":..,"id":..}} is itself a valid reply, so the driver's echo scenario needs no change.
 */
@ServerEndpoint("/bench")
public class RawVerbatimBenchEndpoint {

    /** The start of every fanout frame the generator writes ({@code Payloads.fanout}). */
    static final String FANOUT_PREFIX = "{\"event\":\"fanout\"";
    /** The generator's keep-alive frame ({@code Payloads.HEARTBEAT}), exactly. */
    static final String HEARTBEAT = "{\"event\":\"heartbeat\"}";

    private static final Set<Session> SESSIONS = ConcurrentHashMap.newKeySet();

    @OnOpen
    public void open(Session session) {
        SESSIONS.add(session);
    }

    @OnClose
    public void close(Session session) {
        SESSIONS.remove(session);
    }

    @OnMessage
    public void message(Session session, String text) {
        if (text.startsWith(FANOUT_PREFIX)) {
            for (Session other : SESSIONS) {
                if (other != session && other.isOpen()) {
                    other.getAsyncRemote().sendText(text);
                }
            }
        } else if (!text.equals(HEARTBEAT)) {
            session.getAsyncRemote().sendText(text);
        }
    }
}
