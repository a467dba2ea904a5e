package io.wiregate.cdi.transport;

import jakarta.websocket.Session;

/**
 * Internal SPI: the transports a {@link ContainerProfile} hands out. Each writes a connection's frames without ever
 * blocking a thread on its socket.
 */
public final class Transports {

    private Transports() {
    }

    /**
     * The portable transport: one text message per write through {@code session.getAsyncRemote()}, with up to
     * {@code windowChars} characters in flight (a container that refuses overlapping sends is detected, and gets one
     * at a time).
     *
     * @param windowChars characters of messages in flight past which no other write starts; 1: one at a time
     * @param abort       drops the TCP connection at once, or null where the container has no way to
     * @throws IllegalArgumentException if {@code windowChars} is below 1
     */
    public static Transport text(Session session, int windowChars, Runnable abort) {
        return new TextTransport(session, session.getAsyncRemote(), windowChars, abort);
    }

    /**
     * The one-write-at-a-time transport, for containers that refuse an asynchronous send while another is in flight
     * and report it too late to tell from a real failure (Open Liberty).
     */
    public static Transport oneAtATime(Session session) {
        return new TextTransport(session, session.getAsyncRemote(), 1, null);
    }

    /**
     * The raw-frame transport: frames encoded once per delivery, several per write, through {@code writer}; the
     * close frame still goes through the session, so that the container runs the close handshake.
     *
     * @param windowBytes bytes in flight past which no other write starts; 1: one at a time
     * @param abort       drops the TCP connection at once, or null
     * @throws IllegalArgumentException if {@code windowBytes} is below 1
     */
    public static Transport raw(Session session, RawWriter writer, int windowBytes, Runnable abort) {
        return new RawTransport(session, writer, windowBytes, abort);
    }
}
