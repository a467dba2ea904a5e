package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Gateway} as the handler of one client event.
 *
 * <p>Parameters, in any order: at most one payload parameter (any type JSON-B can bind, validated with
 * Bean Validation when annotated with {@code @Valid} or constraints), and optionally a {@link Peer}.
 * The return value goes where {@link Emit} or {@link Broadcast} says; without either, a returned value
 * is sent back to the sender as {@code ack}.
 * Exceptions thrown by the handler reach the client as an {@code internal} error without any detail, except
 * {@link ForbiddenException}, answered with {@code forbidden} and its message.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnEvent {
    /** The event name: 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}, not a reserved system event. */
    String value();
}
