package io.wiregate.chat;

import jakarta.enterprise.context.ApplicationScoped;

import io.wiregate.Peer;
import io.wiregate.RoomGuard;

/**
 * Rooms named {@code private-*} are for staff: a user whose name starts with {@code staff-} (a demo rule: the
 * login takes any name) may join them; anyone else's {@code join} is answered with {@code forbidden}.
 */
@ApplicationScoped
public class StaffRoomGuard implements RoomGuard {

    @Override
    public boolean mayJoin(Peer peer, String room) {
        return !room.startsWith("private-") || (peer.userId() != null && peer.userId().startsWith("staff-"));
    }
}
