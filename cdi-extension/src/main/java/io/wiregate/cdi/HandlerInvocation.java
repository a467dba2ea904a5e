package io.wiregate.cdi;

import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.validation.ConstraintViolationException;

import io.wiregate.ForbiddenException;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;

/**
 * Calls a handler. What it throws becomes the protocol's answer, never more: {@link ForbiddenException} is
 * {@code forbidden} with its message, a CDI validation interceptor's {@link ConstraintViolationException} is
 * {@code validation}, and anything else is logged and answered {@code internal}.
 */
final class HandlerInvocation {

    private static final Logger LOG = Logger.getLogger(HandlerInvocation.class.getName());

    /** What {@link #invoke} returns when the handler failed (and the client was answered). */
    static final Object FAILED = new Object();

    private final Invoker invoker;

    HandlerInvocation(Invoker invoker) {
        this.invoker = invoker;
    }

    /** The handler's result (null for void), or {@link #FAILED} after answering its failure. */
    Object invoke(Connection c, Envelope frame, HandlerModel handler, Object[] args) {
        GatewayMetrics metrics = c.metrics();
        long start = metrics.handlerStart();
        try {
            Object result = invoker.invoke(handler.method(), args);
            metrics.handled(handler.event(), start);
            return result;
        } catch (ForbiddenException e) {
            Replies.error(c, ErrorCode.FORBIDDEN, e.getMessage() == null ? "forbidden" : e.getMessage(), null, frame.id());
        } catch (ConstraintViolationException e) { // a CDI validation interceptor on the gateway
            Replies.error(c, ErrorCode.VALIDATION, "payload is not valid",
                    PayloadValidator.toViolations(e.getConstraintViolations()), frame.id());
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "handler " + describe(handler.method()) + " failed for client " + c.id(), e);
            Replies.error(c, ErrorCode.INTERNAL, "internal error", null, frame.id());
        }
        return FAILED;
    }

    static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "#" + m.getName();
    }
}
