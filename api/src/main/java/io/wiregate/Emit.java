package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The return value of an {@link OnEvent} handler is sent back to the sender as this event, carrying
 * the frame's {@code id} when it had one. A frame without an {@code id} still gets the reply.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Emit {
    /** The reply event name. */
    String value();
}
