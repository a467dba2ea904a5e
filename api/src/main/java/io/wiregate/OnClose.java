package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once when a connection of the gateway closes, for whatever reason, after it has left its rooms, if
 * {@link OnOpen} ran for it (a client that never authenticated sees neither).
 * Parameters, in any order: none, a {@link Peer}, a {@link CloseStatus}. An exception is logged.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnClose {
}
