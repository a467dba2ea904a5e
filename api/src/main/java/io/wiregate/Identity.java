package io.wiregate;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Who a connection belongs to, as established by authentication.
 *
 * @param userId     the user id, never null; every session of one user is reachable with
 *                   {@link Broadcaster#toUser(String)}
 * @param attributes free application metadata, copied and unmodifiable
 * @param expiresAt  when the identity stops being valid, or null if it never does: a connection whose identity
 *                   expires without a refresh (an {@code authenticate} with fresh credentials, docs/protocol.md
 *                   section 10) is closed with 4001
 */
public record Identity(String userId, Map<String, String> attributes, Instant expiresAt) {
    /**
     * Creates an identity.
     *
     * @throws NullPointerException if {@code userId} or {@code attributes} is null
     */
    public Identity {
        Objects.requireNonNull(userId, "userId");
        attributes = Map.copyOf(attributes);
    }

    /**
     * An identity that never expires.
     *
     * @throws NullPointerException if {@code userId} or {@code attributes} is null
     */
    public Identity(String userId, Map<String, String> attributes) {
        this(userId, attributes, null);
    }

    /** An identity with no attributes that never expires. */
    public static Identity of(String userId) {
        return new Identity(userId, Map.of());
    }

    /**
     * This identity, expiring at {@code expiresAt}: the connection is closed with 4001 then, unless its client
     * refreshed its credentials before.
     *
     * @param expiresAt the expiry, or null for none
     * @return a new identity; this one is unchanged
     */
    public Identity expiringAt(Instant expiresAt) {
        return new Identity(userId, attributes, expiresAt);
    }
}
