package io.wiregate;

import jakarta.json.JsonValue;

/**
 * One inbound frame as a {@link PacketInterceptor} sees it: the event, its payload (replaceable), and the
 * connection it came from.
 */
public interface Packet {

    /** The connection the frame came from. */
    Peer peer();

    /** The event name. */
    String event();

    /** The payload, {@link JsonValue#NULL} when absent. */
    JsonValue data();

    /** Replaces the payload that later interceptors and the handler see. */
    void data(JsonValue replacement);

    /**
     * Refuses the frame: the client gets an {@code error} of code {@code forbidden} with this message (and the
     * frame's id). The interceptor should then return without calling {@link Chain#proceed()}.
     */
    void refuse(String message);
}
