package io.wiregate.cdi;

import java.util.List;

import io.wiregate.Gateway;
import io.wiregate.protocol.internal.Settings;

/**
 * The resolved limits of one gateway. For each key, the first that is set wins:
 * {@code wiregate.<gateway-name>.<key>} in configuration, the {@link Gateway} annotation,
 * {@code wiregate.<key>} in configuration, the built-in default.
 *
 * @param maxMessageBytes    largest inbound message; above it, close 1009
 * @param outboundQueue      outbound queue bound in messages; above it, close 4005
 * @param authTimeoutMs      time to authenticate in-band; then close 4001
 * @param heartbeatTimeoutMs silence after which the connection closes with 4002; 0 disables
 * @param pingIntervalMs     silence after which the server sends a WebSocket ping (and again after as long); 0
 *                           disables
 * @param defaultRooms       rooms every connected client joins
 * @param allowedOrigins     browser origins allowed to connect; {@code *} allows any; empty allows the request's own
 *                           host and port only
 * @param inboundRate        inbound frames per second per connection; 0: unlimited
 * @param inboundBurst       inbound frames accepted at once above the rate
 * @param recoveryWindowMs   how long a closed session stays resumable (docs/protocol.md section 9); 0: recovery is
 *                           off
 * @param recoveryMaxEvents  the most recoverable events the gateway's history keeps
 * @param presence           what the gateway tracks of who is in its rooms (docs/protocol.md section 11)
 * @param encryption         whether every frame after {@code connected} is sealed (docs/protocol.md section 12)
 */
record GatewayLimits(int maxMessageBytes, int outboundQueue, long authTimeoutMs, long heartbeatTimeoutMs,
                     long pingIntervalMs, List<String> defaultRooms, List<String> allowedOrigins, long inboundRate,
                     long inboundBurst, long recoveryWindowMs, int recoveryMaxEvents, io.wiregate.Presence presence,
                     boolean encryption) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65536;
    public static final int DEFAULT_OUTBOUND_QUEUE = 1024;
    public static final long DEFAULT_AUTH_TIMEOUT_MS = 5000;
    public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 60000;
    /** Below the heartbeat timeout with room to spare, as Socket.IO's default ping interval. */
    public static final long DEFAULT_PING_INTERVAL_MS = 25000;
    public static final long DEFAULT_RECOVERY_WINDOW_MS = 120_000;
    public static final int DEFAULT_RECOVERY_MAX_EVENTS = 10_000;

    public GatewayLimits {
        defaultRooms = List.copyOf(defaultRooms);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * Resolves the limits of a gateway from its annotation and the configuration.
     *
     * @throws IllegalArgumentException if a configured value is not a number or out of range
     */
    public static GatewayLimits resolve(String gatewayName, Gateway annotation) {
        int maxBytes = (int) pick(gatewayName, "max-message-bytes", annotation.maxMessageBytes(), DEFAULT_MAX_MESSAGE_BYTES, 16, Integer.MAX_VALUE);
        int queue = (int) pick(gatewayName, "outbound-queue", annotation.outboundQueue(), DEFAULT_OUTBOUND_QUEUE, 1, 1 << 24);
        long auth = pick(gatewayName, "auth-timeout-ms", annotation.authTimeoutMs(), DEFAULT_AUTH_TIMEOUT_MS, 1, Long.MAX_VALUE / 4);
        long heartbeat = pick(gatewayName, "heartbeat-timeout-ms", annotation.heartbeatTimeoutMs(), DEFAULT_HEARTBEAT_TIMEOUT_MS, 0, Long.MAX_VALUE / 4);
        long ping = pick(gatewayName, "ping-interval-ms", annotation.pingIntervalMs(), DEFAULT_PING_INTERVAL_MS, 0, Long.MAX_VALUE / 4);
        long rate = pick(gatewayName, "inbound-rate", annotation.inboundRate(), 0, 0, 1_000_000);
        long burst = pick(gatewayName, "inbound-burst", annotation.inboundBurst(), Math.max(1, rate), 1, 1_000_000);
        List<String> rooms = list(gatewayName, "default-rooms", annotation.defaultRooms());
        List<String> origins = list(gatewayName, "allowed-origins", annotation.allowedOrigins());
        boolean recovery = flag(gatewayName, "recovery", annotation.recovery());
        long window = pick(gatewayName, "recovery-window-ms", annotation.recoveryWindowMs(), DEFAULT_RECOVERY_WINDOW_MS, 1, Long.MAX_VALUE / 4);
        int maxEvents = (int) pick(gatewayName, "recovery-max-events", annotation.recoveryMaxEvents(), DEFAULT_RECOVERY_MAX_EVENTS, 1, 10_000_000);
        io.wiregate.Presence presence = Settings.get("wiregate." + gatewayName + ".presence")
                .map(v -> presence(gatewayName, v)).orElse(annotation.presence());
        boolean encryption = flag(gatewayName, "encryption", annotation.encryption());
        return new GatewayLimits(maxBytes, queue, auth, heartbeat, ping, rooms, origins, rate, burst,
                recovery ? window : 0, maxEvents, presence, encryption);
    }

    /** Whether connection state recovery is on. */
    boolean recovery() {
        return recoveryWindowMs > 0;
    }

    private static io.wiregate.Presence presence(String gatewayName, String value) {
        try {
            return io.wiregate.Presence.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Configuration of presence for gateway '" + gatewayName + "' is '" + value
                    + "': it must be off, tracked, clients or users (key wiregate." + gatewayName + ".presence)");
        }
    }

    private static boolean flag(String gatewayName, String key, boolean annotated) {
        String specific = "wiregate." + gatewayName + "." + key;
        return Settings.get(specific).map(v -> switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("Configuration of " + key + " for gateway '" + gatewayName
                    + "' is '" + v + "': it must be true or false (key " + specific + ")");
        }).orElse(annotated);
    }

    private static List<String> list(String gatewayName, String key, String[] annotated) {
        return Settings.get("wiregate." + gatewayName + "." + key)
                .map(v -> List.of(v.split("\\s*,\\s*")))
                .orElseGet(() -> annotated.length > 0 ? List.of(annotated)
                        : Settings.get("wiregate." + key).map(v -> List.of(v.split("\\s*,\\s*"))).orElse(List.of()));
    }

    private static long pick(String gatewayName, String key, long annotated, long builtIn, long min, long max) {
        String specific = "wiregate." + gatewayName + "." + key;
        long value = Settings.getLong(specific)
                .orElseGet(() -> annotated >= 0 ? annotated : Settings.getLong("wiregate." + key).orElse(builtIn));
        if (value < min || value > max) {
            throw new IllegalArgumentException("Configuration of " + key + " for gateway '" + gatewayName + "' is "
                    + value + ": it must be between " + min + " and " + max + " (key " + specific + ")");
        }
        return value;
    }
}
