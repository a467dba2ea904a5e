package io.wiregate;

/**
 * Decides which rooms a client may join through the {@code join} system event. Implement it as a CDI bean;
 * it applies to every gateway, or with a {@link GatewayBinding} annotation only to gateways carrying it.
 * A room is joined only if every applicable guard allows it; refused rooms are answered with a
 * {@code forbidden} error naming them. A guard that throws refuses (the exception is logged, never sent).
 * Rooms joined by server code ({@link Peer#join(String)}) are not guarded.
 */
@FunctionalInterface
public interface RoomGuard {

    /** Whether {@code peer} may join {@code room}. */
    boolean mayJoin(Peer peer, String room);
}
