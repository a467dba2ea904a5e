package io.wiregate;

import java.util.Collection;

/**
 * An immutable description of who receives a delivery: one client, one user's sessions, a room or the
 * whole gateway, minus excluded client ids. Obtained from a {@link Broadcaster}.
 */
public interface Recipients {

    /**
     * The same recipients minus these client ids.
     *
     * @return a new value; this one is unchanged
     */
    Recipients except(String... clientIds);

    /**
     * The same recipients minus these client ids.
     *
     * @return a new value; this one is unchanged
     */
    Recipients except(Collection<String> clientIds);

    /**
     * Delivers {@code {"event": event, "data": data}} to the recipients. A client whose outbound queue
     * overflows is closed with 4005.
     *
     * @param event the event name, 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}
     * @param data  any value JSON-B can serialize, or null
     * @throws IllegalArgumentException if the event name is not valid
     * @throws jakarta.json.bind.JsonbException if {@code data} cannot be serialized
     */
    void emit(String event, Object data);

    /**
     * Like {@link #emit(String, Object)}, but the event is volatile: a client whose outbound queue is
     * full simply does not get it, and stays connected. For typing indicators, positions, tickers.
     *
     * @throws IllegalArgumentException if the event name is not valid
     */
    void emitVolatile(String event, Object data);
}
