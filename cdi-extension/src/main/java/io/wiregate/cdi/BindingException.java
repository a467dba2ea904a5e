package io.wiregate.cdi;

import java.util.List;

import io.wiregate.protocol.Violation;

/** A payload that does not bind to the handler's type, with one violation per property that does not. */
final class BindingException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    BindingException(List<Violation> violations) {
        super("payload does not bind", null, false, false);
        this.violations = List.copyOf(violations);
    }

    /** One violation per property that does not bind; one with path {@code ""} when the whole payload does not. */
    public List<Violation> violations() {
        return violations;
    }
}
