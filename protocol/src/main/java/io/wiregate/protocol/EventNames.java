package io.wiregate.protocol;

import java.util.Set;

/** The rules for event and room names of docs/protocol.md sections 2 and 4. */
public final class EventNames {

    /** Events a gateway cannot declare (docs/protocol.md section 4). */
    public static final Set<String> RESERVED =
            Set.of("authenticate", "connected", "join", "leave", "heartbeat", "error", "disconnect");

    /** Longest event name, in characters. */
    public static final int MAX_EVENT_LENGTH = 128;
    /** Longest room name, in characters. */
    public static final int MAX_ROOM_LENGTH = 128;

    private EventNames() {
    }

    /** Whether {@code name} is 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}. */
    public static boolean isValidEvent(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_EVENT_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code room} is 1 to 128 characters without control characters. */
    public static boolean isValidRoom(String room) {
        if (room == null || room.isEmpty() || room.length() > MAX_ROOM_LENGTH) {
            return false;
        }
        for (int i = 0; i < room.length(); i++) {
            if (Character.isISOControl(room.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks an event name given by application code.
     *
     * @return {@code name}
     * @throws IllegalArgumentException if it is not valid
     */
    public static String requireValidEvent(String name) {
        if (!isValidEvent(name)) {
            throw new IllegalArgumentException("Not a valid event name (1 to 128 characters of [A-Za-z0-9_.:/-]): "
                    + (name == null ? "null" : '\'' + name + '\''));
        }
        return name;
    }

    /**
     * Checks a room name given by application code.
     *
     * @return {@code room}
     * @throws IllegalArgumentException if it is not valid (null included)
     */
    public static String requireValidRoom(String room) {
        if (!isValidRoom(room)) {
            throw new IllegalArgumentException("Not a valid room name (1 to 128 characters, no control characters)");
        }
        return room;
    }
}
