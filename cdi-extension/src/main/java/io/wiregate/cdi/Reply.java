package io.wiregate.cdi;

/** Where the return value of an event handler goes. */
sealed interface Reply {

    /** Back to the sender as {@code event}, carrying the frame's id. */
    record ToSender(String event) implements Reply {
    }

    /**
     * To the whole gateway, or to the room named by the payload property {@code roomFrom} when not empty;
     * the sender's frame is answered with {@code ack}.
     */
    record Broadcast(String event, boolean includeSender, String roomFrom) implements Reply {
        /** Whether the delivery goes to one room rather than the whole gateway. */
        public boolean toRoom() {
            return !roomFrom.isEmpty();
        }
    }

    /** No declaration: a returned value goes back to the sender as {@code ack}; nothing returned is a plain ack. */
    record Ack() implements Reply {
    }
}
