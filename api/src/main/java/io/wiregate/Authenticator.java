package io.wiregate;

import jakarta.json.JsonValue;

/**
 * In-band authentication as a CDI bean, for {@link Auth#MESSAGE} gateways that declare no {@link Authenticate}
 * method: it applies to every such gateway, or with a {@link GatewayBinding} annotation only to gateways
 * carrying it; when several apply, the one with the lowest {@code jakarta.annotation.Priority} is used.
 * A deployment with an {@code Auth.MESSAGE} gateway that has neither fails with {@code WG-0012}.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Checks the credentials of an {@code authenticate} event.
     *
     * @param credentials the event's {@code data}, {@link JsonValue#NULL} when absent; untrusted
     * @param peer        the connection (not yet connected)
     * @return the identity, or null to refuse (close 4003)
     * @throws Exception any failure also refuses (close 4003) and is logged; nothing reaches the client
     */
    Identity authenticate(JsonValue credentials, Peer peer) throws Exception;
}
