package io.wiregate.cdi;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.wiregate.Member;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.Violation;
import io.wiregate.spi.PresenceStore;

/**
 * The {@code presence} request of a gateway with presence (docs/protocol.md section 11): a member of a room asks who
 * is in it, and gets at most {@link PresenceTracker#MAX_LISTED} members with the room's count.
 */
final class PresenceRequests {

    private static final Logger LOG = Logger.getLogger(PresenceRequests.class.getName());

    private PresenceRequests() {
    }

    /** Answers {@code presence}, or {@code validation}, {@code forbidden} (not a member) or {@code internal}. */
    static void members(PresenceTracker tracker, Connection c, Envelope frame) {
        JsonValue room = frame.data() instanceof JsonObject o ? o.get("room") : null;
        if (!(room instanceof JsonString name) || !EventNames.isValidRoom(name.getString())) {
            Replies.error(c, ErrorCode.VALIDATION, "room must be a room name",
                    List.of(new Violation("room", "must be 1 to 128 characters without control characters")), frame.id());
            return;
        }
        String r = name.getString();
        if (!c.isMember(r) || r.equals(c.id())) {
            Replies.error(c, ErrorCode.FORBIDDEN, "not a member of room " + r, null, frame.id());
            return;
        }
        tracker.members(r, PresenceTracker.MAX_LISTED).whenComplete((snapshot, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "presence of room " + r + " could not be read", failure);
                Replies.error(c, ErrorCode.INTERNAL, "presence is unavailable", null, frame.id());
            } else {
                c.send(Frames.reply("presence", json(r, snapshot), frame.id()));
            }
        });
    }

    /** {@code {"room": R, "count": N, "members": [{"id": ID, "userId": USER or null}, ...]}}. */
    static String json(String room, PresenceStore.Snapshot snapshot) {
        StringBuilder b = new StringBuilder(64 + 80 * snapshot.members().size())
                .append("{\"room\":").append(Frames.quote(room))
                .append(",\"count\":").append(snapshot.count())
                .append(",\"members\":[");
        List<Member> members = snapshot.members();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(Frames.quote(m.clientId())).append(",\"userId\":")
                    .append(m.userId() == null ? "null" : Frames.quote(m.userId())).append('}');
        }
        return b.append("]}").toString();
    }
}
