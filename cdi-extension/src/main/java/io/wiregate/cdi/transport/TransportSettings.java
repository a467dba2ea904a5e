package io.wiregate.cdi.transport;

import io.wiregate.protocol.internal.Settings;

/**
 * The settings every transport reads, once, when Wiregate starts in a container.
 *
 * @param sendBuffer     {@code wiregate.send-buffer} (524288): characters (portable) or bytes (raw frames) a
 *                       connection may have in flight, as a socket's send buffer holds a burst
 * @param rawFrames      {@code wiregate.raw-frames} (true): write pre-encoded frames where the container allows it
 * @param closeTimeoutMs {@code wiregate.close-timeout-ms} (30000): how long a client may take to complete a close
 *                       before its TCP connection is dropped
 */
public record TransportSettings(int sendBuffer, boolean rawFrames, long closeTimeoutMs) {

    /** Default of {@code wiregate.send-buffer}. */
    public static final int DEFAULT_SEND_BUFFER = 512 * 1024;
    /** Default of {@code wiregate.close-timeout-ms}. */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

    /**
     * @throws IllegalArgumentException if a value is out of range
     */
    public TransportSettings {
        if (sendBuffer < 1) {
            throw new IllegalArgumentException("wiregate.send-buffer=" + sendBuffer + " must be at least 1");
        }
        if (closeTimeoutMs < 1) {
            throw new IllegalArgumentException("wiregate.close-timeout-ms=" + closeTimeoutMs + " must be at least 1");
        }
    }

    /**
     * The settings from MicroProfile Config or system properties, with their defaults.
     *
     * @throws IllegalArgumentException if a value is set but not a number in range
     */
    public static TransportSettings fromConfig() {
        long sendBuffer = Settings.getLong("wiregate.send-buffer").orElse((long) DEFAULT_SEND_BUFFER);
        return new TransportSettings((int) Math.max(1, Math.min(Integer.MAX_VALUE, sendBuffer)),
                Settings.get("wiregate.raw-frames").map(Boolean::parseBoolean).orElse(true),
                Settings.getLong("wiregate.close-timeout-ms").orElse(DEFAULT_CLOSE_TIMEOUT_MS));
    }
}
