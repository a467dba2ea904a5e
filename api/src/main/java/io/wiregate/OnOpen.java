package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once a client of the gateway is connected (after authentication where the gateway requires
 * it), right after the {@code connected} event. Parameters: none, or a {@link Peer}.
 * An exception is logged; the connection stays open.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnOpen {
}
