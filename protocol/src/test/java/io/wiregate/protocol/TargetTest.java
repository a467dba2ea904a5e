package io.wiregate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void eachFactoryNamesItsKindAndId() {
        assertThat(Target.client("c1")).isEqualTo(new Target(Target.Kind.CLIENT, "c1", Set.of()));
        assertThat(Target.user("alice")).isEqualTo(new Target(Target.Kind.USER, "alice", Set.of()));
        assertThat(Target.room("lobby")).isEqualTo(new Target(Target.Kind.ROOM, "lobby", Set.of()));
        assertThat(Target.all()).isEqualTo(new Target(Target.Kind.BROADCAST, null, Set.of()));
    }

    @Test
    void exceptAddsToTheExcludedIdsAndLeavesTheOriginalUnchanged() {
        Target room = Target.room("lobby");
        Target once = room.except("c1");
        Target twice = once.except(List.of("c2", "c1"));

        assertThat(room.exclude()).isEmpty();
        assertThat(once.exclude()).containsExactly("c1");
        assertThat(twice.exclude()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(twice.kind()).isEqualTo(Target.Kind.ROOM);
        assertThat(twice.id()).isEqualTo("lobby");
    }

    @Test
    void theExcludedIdsAreACopyThatCannotChange() {
        Set<String> ids = new HashSet<>(Set.of("c1"));
        Target target = new Target(Target.Kind.BROADCAST, null, ids);
        ids.add("c2");

        assertThat(target.exclude()).containsExactly("c1");
        assertThatThrownBy(() -> target.exclude().add("c3")).isInstanceOf(UnsupportedOperationException.class);
        List<String> later = new ArrayList<>(List.of("c4"));
        Target excepted = target.except(later);
        later.add("c5");
        assertThat(excepted.exclude()).containsExactlyInAnyOrder("c1", "c4");
    }

    @Test
    void aMissingClientOrUserIdIsRefusedByName() {
        assertThatThrownBy(() -> Target.client(null)).isInstanceOf(NullPointerException.class).hasMessage("clientId");
        assertThatThrownBy(() -> Target.user(null)).isInstanceOf(NullPointerException.class).hasMessage("userId");
    }

    @Test
    void aRoomMustBeAValidRoomName() {
        assertThat(Target.room("r".repeat(128)).id()).hasSize(128);
        for (String bad : Arrays.asList(null, "", "r".repeat(129), "bad\u0001room", "new\nline")) {
            assertThatThrownBy(() -> Target.room(bad)).as("room %s", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("room name");
        }
    }

    @Test
    void aBroadcastNamesNoId() {
        assertThatThrownBy(() -> new Target(Target.Kind.BROADCAST, "x", Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullPartsAreRefused() {
        assertThatThrownBy(() -> new Target(null, "c1", Set.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Target(Target.Kind.CLIENT, "c1", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Target.all().except("c1", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("client id");
        assertThatThrownBy(() -> Target.all().except(Arrays.asList("c1", null))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void kindsHaveTheSection8TypeNames() {
        assertThat(Target.Kind.CLIENT.wire()).isEqualTo("client");
        assertThat(Target.Kind.USER.wire()).isEqualTo("user");
        assertThat(Target.Kind.ROOM.wire()).isEqualTo("room");
        assertThat(Target.Kind.BROADCAST.wire()).isEqualTo("broadcast");
        for (Target.Kind kind : Target.Kind.values()) {
            assertThat(Target.Kind.ofWire(kind.wire())).isSameAs(kind);
        }
        assertThat(Target.Kind.ofWire("galaxy")).isNull();
        assertThat(Target.Kind.ofWire("CLIENT")).isNull();
    }
}
