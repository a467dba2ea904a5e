package io.wiregate.protocol;

/** The error codes of docs/protocol.md section 5, as they appear on the wire. */
public enum ErrorCode {
    /** Not JSON, not an object, no {@code event}, or {@code event} or {@code id} of the wrong type or out of bounds. */
    BAD_FRAME("bad_frame"),
    /** No handler for the event in this namespace. */
    UNKNOWN_EVENT("unknown_event"),
    /** The payload does not bind to the handler's type, or fails its constraints. */
    VALIDATION("validation"),
    /** An application event before authentication completed. */
    UNAUTHORIZED("unauthorized"),
    /** A packet interceptor or room guard refused the frame. */
    FORBIDDEN("forbidden"),
    /** The client exceeded its inbound message rate. */
    RATE_LIMITED("rate_limited"),
    /** A binary frame to a gateway without a binary handler. */
    UNSUPPORTED("unsupported"),
    /** The handler failed; the message says nothing of why. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as sent to clients. */
    public String wire() {
        return wire;
    }
}
