package io.wiregate.client;

import java.util.List;

import io.wiregate.protocol.Violation;

/**
 * A request, join, leave or emit that failed. {@link #code()} is either the server's error code (docs/protocol.md
 * section 5: {@code validation}, {@code forbidden}, {@code unknown_event}, {@code internal}, ...) or one of the
 * client's own: {@link #TIMEOUT}, {@link #DISCONNECTED}, {@link #CLOSED}, {@link #BUFFER_FULL}. The same codes as
 * wiregate.js's {@code WiregateError}.
 *
 * <p>Unchecked: {@link WiregateClient#emit} throws it, and the futures of {@link WiregateClient#request} complete
 * exceptionally with it.
 */
public class WiregateException extends RuntimeException {

    /** No answer within the request's timeout. */
    public static final String TIMEOUT = "timeout";
    /** The connection dropped after the frame was sent and before its answer came. */
    public static final String DISCONNECTED = "disconnected";
    /** The client was closed, by {@link WiregateClient#close()} or by a close that does not allow reconnecting. */
    public static final String CLOSED = "closed";
    /** {@code bufferSize} frames already wait for a connection. */
    public static final String BUFFER_FULL = "buffer_full";

    /** The error code. */
    private final String code;
    /** The violations of a {@code validation} error ({@link Violation} is not serializable). */
    private final transient List<Violation> violations;

    /**
     * An error with a code and a message, without violations.
     *
     * @param code    the error code
     * @param message what happened, for a human
     */
    public WiregateException(String code, String message) {
        this(code, message, List.of());
    }

    /**
     * An error with a code, a message and the violations of a {@code validation} error.
     *
     * @param code       the error code
     * @param message    what happened, for a human
     * @param violations the violations; null means none
     */
    public WiregateException(String code, String message, List<Violation> violations) {
        super(message);
        this.code = code;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
    }

    /**
     * The error code.
     *
     * @return the server's code (docs/protocol.md section 5) or the client's own (the constants of this class)
     */
    public String code() {
        return code;
    }

    /**
     * The violations of a {@code validation} error.
     *
     * @return one per property that failed ({@code path} {@code ""} for the payload as a whole); empty for every
     *         other error
     */
    public List<Violation> violations() {
        return violations == null ? List.of() : violations; // null after deserialization
    }

    @Override
    public String toString() {
        return "WiregateException[" + code + "]: " + getMessage();
    }
}
