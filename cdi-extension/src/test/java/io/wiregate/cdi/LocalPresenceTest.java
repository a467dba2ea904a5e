package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.wiregate.Member;
import io.wiregate.spi.PresenceStore.Change;
import io.wiregate.spi.PresenceStore.Outcome;
import io.wiregate.spi.PresenceStore.Snapshot;

class LocalPresenceTest {

    private final LocalPresence store = new LocalPresence();
    private final List<Outcome> outcomes = new ArrayList<>();

    private Outcome apply(String room, String client, String user, boolean joined) {
        store.apply(new Change(room, client, user, joined), outcomes::add);
        return outcomes.get(outcomes.size() - 1);
    }

    private Snapshot members(String room, int limit) {
        return store.members(room, limit).toCompletableFuture().join();
    }

    @Test
    void aJoinChangesTheMembersOnceAndTheFirstSessionOfAUserChangesTheUsers() {
        assertThat(apply("lobby", "c1", "alice", true)).isEqualTo(new Outcome(new Change("lobby", "c1", "alice", true), true, true));
        assertThat(apply("lobby", "c1", "alice", true).member()).as("a second join of the same client").isFalse();
        Outcome secondTab = apply("lobby", "c2", "alice", true);
        assertThat(secondTab.member()).isTrue();
        assertThat(secondTab.user()).as("alice was online already").isFalse();

        assertThat(members("lobby", 10).members()).containsExactlyInAnyOrder(new Member("c1", "alice"), new Member("c2", "alice"));
    }

    @Test
    void theLastSessionOfAUserLeavingChangesTheUsersAndALeaveReportsTheJoinsUserId() {
        apply("lobby", "c1", "alice", true);
        apply("lobby", "c2", "alice", true);

        Outcome first = apply("lobby", "c1", null, false);
        assertThat(first.member()).isTrue();
        assertThat(first.user()).isFalse();
        assertThat(first.change().userId()).isEqualTo("alice");
        assertThat(apply("lobby", "c2", null, false)).isEqualTo(new Outcome(new Change("lobby", "c2", "alice", false), true, true));
        assertThat(apply("lobby", "c2", null, false).member()).as("leaving a room one is not in").isFalse();
        assertThat(members("lobby", 10)).isEqualTo(new Snapshot(List.of(), 0));
    }

    @Test
    void anonymousMembersAreListedButNeverChangeTheUsers() {
        assertThat(apply("lobby", "c1", null, true)).isEqualTo(new Outcome(new Change("lobby", "c1", null, true), true, false));
        assertThat(members("lobby", 10).members()).containsExactly(new Member("c1", null));
        assertThat(apply("lobby", "c1", null, false).user()).isFalse();
    }

    @Test
    void aSnapshotListsAtMostTheLimitAndCountsEveryMember() {
        for (int i = 0; i < 100_000; i++) {
            apply("big", "c" + i, "u" + (i % 1000), true);
        }
        Snapshot s = members("big", 1000);
        assertThat(s.count()).isEqualTo(100_000);
        assertThat(s.members()).hasSize(1000);
        assertThat(members("other", 10).count()).isZero();
    }
}
