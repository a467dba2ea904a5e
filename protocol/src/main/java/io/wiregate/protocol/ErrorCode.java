package io.wiregate.protocol;

/** The error codes of docs/protocol.md section 5, as they appear on the wire. */
public enum ErrorCode {
    BAD_FRAME("bad_frame"),
    UNKNOWN_EVENT("unknown_event"),
    VALIDATION("validation"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    RATE_LIMITED("rate_limited"),
    UNSUPPORTED("unsupported"),
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
