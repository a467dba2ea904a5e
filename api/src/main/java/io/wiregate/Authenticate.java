package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of an {@link Auth#MESSAGE} gateway that checks the {@code authenticate} event.
 *
 * <p>Parameters: the credentials (bound with JSON-B like a handler payload; a payload that does not bind
 * is a refusal) and optionally a {@link Peer}. Returns an {@link Identity}, or {@code null} to refuse.
 * A refusal or an exception closes the connection with 4003.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Authenticate {
}
