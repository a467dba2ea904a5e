package io.wiregate.protocol;

/** The close codes of docs/protocol.md section 6, as sent in a close frame. */
public final class CloseCodes {
    /** Normal close, also after a client's {@code disconnect}. */
    public static final int NORMAL = 1000;
    /** Server shutting down or application undeployed. */
    public static final int GOING_AWAY = 1001;
    /** Policy violation, for example repeated rate-limit abuse or a refused connection. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message larger than the gateway's maximum size. */
    public static final int TOO_BIG = 1009;
    /** Unexpected server error in the connection itself. */
    public static final int SERVER_ERROR = 1011;
    /**
     * Try again later (since 1.4): the server cannot connect the client now, for example because the cluster's
     * shared recovery history is unreachable; the client reconnects with its usual backoff.
     */
    public static final int TRY_AGAIN_LATER = 1013;
    /** No {@code authenticate} within the auth timeout, or authentication not finished within three times it. */
    public static final int AUTH_TIMEOUT = 4001;
    /** Nothing received within the heartbeat timeout. */
    public static final int HEARTBEAT_TIMEOUT = 4002;
    /** Authentication failed: the authenticator refused or threw. */
    public static final int AUTH_FAILED = 4003;
    /** Encryption required but not negotiated. */
    public static final int ENCRYPTION_REQUIRED = 4004;
    /** Slow consumer: the client's outbound queue overflowed its bound. */
    public static final int SLOW_CONSUMER = 4005;

    private CloseCodes() {
    }
}
