package io.wiregate.it.app;

import jakarta.enterprise.context.ApplicationScoped;

import io.wiregate.Peer;
import io.wiregate.RoomGuard;

/** Only user {@code boss} may join rooms whose names start with {@code staff-}. */
@Members
@ApplicationScoped
public class StaffRoomGuard implements RoomGuard {

    @Override
    public boolean mayJoin(Peer peer, String room) {
        return !room.startsWith("staff-") || "boss".equals(peer.userId());
    }
}
