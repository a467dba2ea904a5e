package io.wiregate;

/**
 * One member of a room, as presence knows it (docs/protocol.md section 11).
 *
 * @param clientId the connection's client id
 * @param userId   its user id, or {@code null} for an anonymous connection
 */
public record Member(String clientId, String userId) {

    /** @throws NullPointerException if {@code clientId} is null */
    public Member {
        java.util.Objects.requireNonNull(clientId, "clientId");
    }
}
