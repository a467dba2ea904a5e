package io.wiregate.cdi;

import java.util.List;

import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.Violation;

/** The error answer every step of a frame's life gives (docs/protocol.md section 5). */
final class Replies {

    private Replies() {
    }

    /**
     * Sends {@code c} an {@code error} frame.
     *
     * @param violations the invalid properties, or null
     * @param id         the id of the frame it answers, or null
     */
    static void error(Connection c, ErrorCode code, String message, List<Violation> violations, String id) {
        c.metrics().error(code);
        c.send(Frames.error(code, message, violations, id));
    }
}
