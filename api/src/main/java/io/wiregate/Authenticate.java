package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a gateway that authenticates its clients.
 *
 * <p>{@link Auth#MESSAGE}: checks the {@code authenticate} event. Parameters: the credentials (bound with
 * JSON-B like a handler payload; a payload that does not bind is a refusal) and optionally a {@link Peer}.
 * Returns an {@link Identity}, or {@code null} to refuse. A refusal or an exception closes the connection
 * with 4003.
 *
 * <p>{@link Auth#HANDSHAKE}: checks the upgrade request before any upgrade. One parameter, a
 * {@link HandshakeRequest}. Returns an {@link Identity}, or {@code null} to refuse with HTTP 401; an
 * exception also refuses with 401 (and is logged). The {@code Origin} allow-list is checked before it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Authenticate {
}
