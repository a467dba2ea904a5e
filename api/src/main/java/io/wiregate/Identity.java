package io.wiregate;

import java.util.Map;
import java.util.Objects;

/**
 * Who a connection belongs to, as established by authentication.
 *
 * @param userId     the user id, never null; every session of one user is reachable with
 *                   {@link Broadcaster#toUser(String)}
 * @param attributes free application metadata, copied and unmodifiable
 */
public record Identity(String userId, Map<String, String> attributes) {
    /**
     * Creates an identity.
     *
     * @throws NullPointerException if {@code userId} or {@code attributes} is null
     */
    public Identity {
        Objects.requireNonNull(userId, "userId");
        attributes = Map.copyOf(attributes);
    }

    /** An identity with no attributes. */
    public static Identity of(String userId) {
        return new Identity(userId, Map.of());
    }
}
