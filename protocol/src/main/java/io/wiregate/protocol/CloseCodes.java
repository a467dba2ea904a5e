package io.wiregate.protocol;

/** The close codes of docs/protocol.md section 6. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TOO_BIG = 1009;
    public static final int SERVER_ERROR = 1011;
    public static final int AUTH_TIMEOUT = 4001;
    public static final int HEARTBEAT_TIMEOUT = 4002;
    public static final int AUTH_FAILED = 4003;
    public static final int ENCRYPTION_REQUIRED = 4004;
    public static final int SLOW_CONSUMER = 4005;

    private CloseCodes() {
    }
}
