package io.wiregate.cdi;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.wiregate.RoomGuard;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.Violation;

/**
 * The {@code join} and {@code leave} events (docs/protocol.md section 4): room names checked, the room guards
 * asked, at most {@link #MAX_ROOMS_PER_FRAME} rooms per frame and {@link #MAX_ROOMS_PER_CONNECTION} per connection.
 */
final class RoomRequests {

    private static final Logger LOG = Logger.getLogger(RoomRequests.class.getName());
    /** Most rooms one {@code join} or {@code leave} frame may name. */
    static final int MAX_ROOMS_PER_FRAME = 100;
    /** Most rooms one connection may be a member of, its own-id and default rooms included. */
    static final int MAX_ROOMS_PER_CONNECTION = 1000;

    private final ClientRegistry registry;
    private final List<RoomGuard> guards;

    RoomRequests(ClientRegistry registry, List<RoomGuard> guards) {
        this.registry = registry;
        this.guards = List.copyOf(guards);
    }

    /** Joins the rooms the guards allow; answers {@code joined}, or {@code forbidden} and then {@code joined}. */
    void join(Connection c, Envelope frame) {
        List<String> rooms = roomsOf(c, frame);
        if (rooms == null) {
            return;
        }
        List<String> accepted = new ArrayList<>(rooms.size());
        List<String> refused = new ArrayList<>();
        boolean full = false;
        for (String room : rooms) {
            if (c.isMember(room)) {
                accepted.add(room);
            } else if (c.roomCount() >= MAX_ROOMS_PER_CONNECTION) {
                refused.add(room);
                full = true;
            } else if (mayJoin(c, room)) {
                registry.join(c, room);
                accepted.add(room);
            } else {
                refused.add(room);
            }
        }
        // With a shared recovery history, the answer waits until the rooms are in it (a resume elsewhere sees them).
        boolean anyRefused = !refused.isEmpty();
        boolean fullNow = full;
        Runnable answer = () -> {
            if (!anyRefused) {
                c.send(Frames.reply("joined", roomsJson(accepted), frame.id()));
                return;
            }
            // docs/protocol.md section 4: the answer carrying the id is the forbidden error; accepted rooms follow, without id.
            Replies.error(c, ErrorCode.FORBIDDEN, "rooms refused: " + String.join(", ", refused)
                    + (fullNow ? " (at most " + MAX_ROOMS_PER_CONNECTION + " rooms per connection)" : ""), null, frame.id());
            if (!accepted.isEmpty()) {
                c.send(Frames.event("joined", roomsJson(accepted)));
            }
        };
        if (accepted.isEmpty()) {
            answer.run();
        } else {
            c.roomsChanged(answer);
        }
    }

    /** Leaves the rooms (never the client's own-id room) and answers {@code left}. */
    void leave(Connection c, Envelope frame) {
        List<String> rooms = roomsOf(c, frame);
        if (rooms == null) {
            return;
        }
        for (String room : rooms) {
            c.dropMembership(room);
        }
        c.roomsChanged(() -> c.send(Frames.reply("left", roomsJson(rooms), frame.id())));
    }

    private boolean mayJoin(Connection c, String room) {
        for (RoomGuard guard : guards) {
            try {
                if (!guard.mayJoin(c, room)) {
                    return false;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "room guard " + guard.getClass().getName() + " failed: room refused", e);
                return false;
            }
        }
        return true;
    }

    /** The room names of a join/leave payload, without repeats, or null after answering a validation error. */
    private static List<String> roomsOf(Connection c, Envelope frame) {
        JsonValue rooms = frame.data() instanceof JsonObject o ? o.get("rooms") : null;
        if (!(rooms instanceof JsonArray array)) {
            Replies.error(c, ErrorCode.VALIDATION, "rooms must be an array of room names",
                    List.of(new Violation("rooms", "must be an array of room names")), frame.id());
            return null;
        }
        if (array.size() > MAX_ROOMS_PER_FRAME) {
            Replies.error(c, ErrorCode.VALIDATION, "too many rooms in one frame",
                    List.of(new Violation("rooms", "at most " + MAX_ROOMS_PER_FRAME + " rooms per frame")), frame.id());
            return null;
        }
        List<String> names = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonValue v = array.get(i);
            if (!(v instanceof JsonString s) || !EventNames.isValidRoom(s.getString())) {
                Replies.error(c, ErrorCode.VALIDATION, "rooms must be an array of room names",
                        List.of(new Violation("rooms[" + i + "]", "must be 1 to 128 characters without control characters")),
                        frame.id());
                return null;
            }
            if (!names.contains(s.getString())) {
                names.add(s.getString());
            }
        }
        return names;
    }

    private static String roomsJson(List<String> rooms) {
        StringBuilder b = new StringBuilder("{\"rooms\":[");
        for (int i = 0; i < rooms.size(); i++) {
            b.append(i == 0 ? "" : ",").append(Frames.quote(rooms.get(i)));
        }
        return b.append("]}").toString();
    }
}
