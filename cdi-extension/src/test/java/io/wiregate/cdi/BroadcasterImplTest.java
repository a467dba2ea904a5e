package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.wiregate.Recipients;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.Delivery.TargetKind;

class BroadcasterImplTest {

    private final List<Delivery> delivered = new ArrayList<>();
    private final BroadcasterImpl<Object> chat = new BroadcasterImpl<>("/chat", () -> delivered::add, data -> "\"" + data + "\"", () -> null);

    @Test
    void everyTargetBecomesOneDeliveryOfTheSameKind() {
        chat.toClient("c1").emit("e", "a");
        chat.toUser("alice").emit("e", "b");
        chat.toRoom("lobby").except("c2").emitVolatile("e", "c");
        chat.toAll().except(List.of("c3")).emit("e", "d");

        assertThat(delivered).containsExactly(
                new Delivery(TargetKind.CLIENT, "/chat", "c1", "e", "\"a\"", Set.of(), false),
                new Delivery(TargetKind.USER, "/chat", "alice", "e", "\"b\"", Set.of(), false),
                new Delivery(TargetKind.ROOM, "/chat", "lobby", "e", "\"c\"", Set.of("c2"), true),
                new Delivery(TargetKind.BROADCAST, "/chat", null, "e", "\"d\"", Set.of("c3"), false));
    }

    @Test
    void exceptReturnsNewRecipientsAndLeavesTheFirstUnchanged() {
        Recipients all = chat.toAll();
        Recipients others = all.except("c1").except("c2");
        all.emit("e", "x");
        others.emit("e", "x");

        assertThat(delivered.get(0).exclude()).isEmpty();
        assertThat(delivered.get(1).exclude()).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsDelivered() {
        assertThatThrownBy(() -> chat.toRoom("bad\u0000room")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chat.toClient(null)).isInstanceOf(NullPointerException.class).hasMessage("clientId");
        assertThatThrownBy(() -> chat.toAll().emit("has space", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(delivered).isEmpty();
    }
}
