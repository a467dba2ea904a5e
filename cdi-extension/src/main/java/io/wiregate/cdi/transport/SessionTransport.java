package io.wiregate.cdi.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/** What every transport does through the Jakarta session: the close frame, the open state, and the abort. */
abstract class SessionTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SessionTransport.class.getName());

    final Session session;
    private final Runnable abort;

    /** @param abort drops the TCP connection, or null where the container has no way to */
    SessionTransport(Session session, Runnable abort) {
        this.session = session;
        this.abort = abort;
    }

    @Override
    public final void close(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), truncate(reason)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing session " + session.getId() + " failed", e);
        }
    }

    @Override
    public final void abort() {
        if (abort != null) {
            abort.run();
        }
    }

    @Override
    public final boolean canAbort() {
        return abort != null;
    }

    @Override
    public final boolean isOpen() {
        return session.isOpen();
    }

    /**
     * @throws IllegalArgumentException if {@code window} is below 1
     */
    static int requireWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window " + window + " < 1");
        }
        return window;
    }

    /** A close reason is at most 123 bytes of UTF-8 (RFC 6455 section 5.5). */
    static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        String r = reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
