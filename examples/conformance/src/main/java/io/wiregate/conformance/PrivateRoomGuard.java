package io.wiregate.conformance;

import jakarta.enterprise.context.ApplicationScoped;

import io.wiregate.Peer;
import io.wiregate.RoomGuard;

/** Refuses every room whose name starts with {@code private-} (bound to {@code /secure} by {@link Secured}). */
@Secured
@ApplicationScoped
public class PrivateRoomGuard implements RoomGuard {

    @Override
    public boolean mayJoin(Peer peer, String room) {
        return !room.startsWith("private-");
    }
}
