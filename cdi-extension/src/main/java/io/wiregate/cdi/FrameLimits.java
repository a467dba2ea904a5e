package io.wiregate.cdi;

import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.ErrorCode;

/**
 * The first step of a frame's life: its size, and the connection's inbound rate. Containers differ in whether (and
 * with which code) they enforce the session's buffer size, so Wiregate checks it itself.
 */
final class FrameLimits {

    private final int maxMessageBytes;

    FrameLimits(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Whether a text frame fits; if not, the connection is closing with 1009. */
    boolean textFits(Connection c, String text) {
        if (exceedsUtf8(text, maxMessageBytes)) {
            c.closeWith(CloseCodes.TOO_BIG, "message too big");
            return false;
        }
        return true;
    }

    /** Whether a binary frame of {@code size} bytes fits; if not, the connection is closing with 1009. */
    boolean binaryFits(Connection c, int size) {
        if (size > maxMessageBytes) {
            c.closeWith(CloseCodes.TOO_BIG, "message too big");
            return false;
        }
        return true;
    }

    /**
     * Applies the inbound rate limit: false after refusing the frame ({@code rate_limited}, answering {@code id}) or
     * closing the abuser (1008).
     */
    static boolean withinRate(Connection c, String id) {
        switch (c.rateCheck()) {
            case ACCEPT:
                return true;
            case REFUSE:
                Replies.error(c, ErrorCode.RATE_LIMITED, "too many messages: slow down", null, id);
                return false;
            default:
                c.closeWith(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
                return false;
        }
    }

    /** Whether {@code text} takes more than {@code max} bytes in UTF-8, without encoding it. */
    static boolean exceedsUtf8(String text, int max) {
        int n = text.length();
        if (n <= max / 3) {
            return false;
        }
        if (n > max) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                bytes++;
            } else if (ch < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(ch)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > max;
    }
}
