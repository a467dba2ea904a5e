package io.wiregate.cdi;

import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.Frames;

/**
 * The events every gateway answers itself, in any state (docs/protocol.md section 3): {@code heartbeat} and
 * {@code disconnect}.
 */
final class SystemEvents {

    private SystemEvents() {
    }

    /** Handles {@code frame} if it is a system event; false if it is not one. */
    static boolean handle(Connection c, Envelope frame) {
        switch (frame.event()) {
            case "heartbeat" -> {
                // Before connected nothing but errors may reach the client (docs/protocol.md section 3).
                if (frame.hasId() && c.isConnected()) {
                    c.send(Frames.ack(frame.id()));
                }
                return true;
            }
            case "disconnect" -> {
                c.closeWith(CloseCodes.NORMAL, "client disconnected");
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
