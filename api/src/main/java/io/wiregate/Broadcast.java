package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The return value of an {@link OnEvent} handler is delivered as this event to every connected client of
 * the gateway, or to one room. The sender's frame is answered with an {@code ack} when it had an
 * {@code id}; the copy the sender may receive as a member never carries the {@code id}.
 * A handler returning {@code null} delivers nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Broadcast {
    /** The delivered event name. */
    String value();

    /** Whether the sender receives the delivery too. */
    boolean includeSender() default true;

    /**
     * When not empty, deliver only to the room named by this property of the inbound payload (a JSON
     * object); a payload without that string property is answered with a {@code validation} error.
     */
    String roomFrom() default "";
}
