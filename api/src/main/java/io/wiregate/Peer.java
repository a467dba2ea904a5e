package io.wiregate;

import java.util.Set;

/**
 * One connection of a gateway, as seen by handlers and callbacks. Safe to use from any thread.
 *
 * <p>A {@code Peer} stays valid after its connection closed: sends are then silently dropped,
 * {@link #isOpen()} is false and {@link #rooms()} is empty.
 */
public interface Peer {

    /** The server-assigned client id: opaque, unique in the cluster, never reused. */
    String id();

    /** The user id established by authentication, or {@code null} for an anonymous connection. */
    String userId();

    /** The identity established by authentication, or {@code null} for an anonymous connection. */
    Identity identity();

    /** The gateway's declared path, for example {@code /rooms/{roomId}}. */
    String namespace();

    /**
     * The value of a path parameter of the gateway's URI template for this connection.
     *
     * @return the decoded value, or {@code null} when the template has no such parameter
     */
    String pathParameter(String name);

    /** The rooms this connection is a member of, its own-id room included; a snapshot. */
    Set<String> rooms();

    /**
     * Joins a room. Joining a room twice is harmless.
     *
     * @throws IllegalArgumentException if the name is not 1 to 128 characters without control characters
     */
    void join(String room);

    /** Leaves a room; leaving a room it is not a member of is harmless. */
    void leave(String room);

    /**
     * Sends one event to this connection only, through its bounded outbound queue.
     *
     * @param event the event name, 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}
     * @param data  any value JSON-B can serialize, or null
     * @throws IllegalArgumentException if the event name is not valid
     */
    void emit(String event, Object data);

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * Closes the connection, announcing it with a {@code disconnect} event first.
     *
     * @param code   a close code of docs/protocol.md section 6 or another 4000-4999 application code
     * @param reason a short reason, at most 123 bytes in UTF-8 (longer ones are cut)
     */
    void close(int code, String reason);
}
