package io.wiregate.cdi;

import java.util.List;

import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.Violation;

/**
 * Turns a frame into its handler's arguments: the payload bound with JSON-B, then checked with Bean Validation when
 * the handler asks for it ({@code @Valid} or constraints). A payload that does not bind or is invalid is answered
 * with {@code validation} and the invalid properties.
 */
final class BindAndValidate {

    private final PayloadBinder binder;
    private final PayloadValidator validator;
    private final Object validationTarget;

    /** @param validationTarget the object Bean Validation sees as the handler's owner (the contextual reference) */
    BindAndValidate(PayloadBinder binder, PayloadValidator validator, Object validationTarget) {
        this.binder = binder;
        this.validator = validator;
        this.validationTarget = validationTarget;
    }

    /** The handler's arguments, or null after answering a validation error. */
    Object[] arguments(Connection c, Envelope frame, HandlerModel handler) {
        Object[] args;
        try {
            args = Arguments.ofFrame(c, frame.data()).bind(handler.params(), handler.payloadType(), binder);
        } catch (BindingException e) {
            Replies.error(c, ErrorCode.VALIDATION, "payload is not valid", e.violations(), frame.id());
            return null;
        }
        if (handler.validated()) {
            List<Violation> violations = validator.validate(validationTarget, handler.method(), args);
            if (!violations.isEmpty()) {
                Replies.error(c, ErrorCode.VALIDATION, "payload is not valid", violations, frame.id());
                return null;
            }
        }
        return args;
    }
}
