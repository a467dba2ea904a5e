package io.wiregate;

/**
 * Thrown by an {@link OnEvent} handler to refuse the frame: the client gets an {@code error} of code
 * {@code forbidden} carrying this exception's message (and the frame's id). Unlike any other exception, its
 * message reaches the client, so it must say nothing the client may not know.
 */
public class ForbiddenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A refusal whose message is sent to the client. */
    public ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
