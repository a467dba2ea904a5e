package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The session records of a shared recovery log: written as read, and untrusted text never read as a record. */
class RecoveryRecordsTest {

    private static final String HASH = Recovery.hash("a-token-of-the-session-1234");

    @Test
    void aConnectRecordReadsAsItWasWritten() {
        String text = RecoveryRecords.connect(HASH, "client-1", "ann \"the\" user", List.of("lobby", "room:2"), Recovery.hash("old"),
                "EPOCH:42", "node-1");
        assertThat(RecoveryRecords.isSessionRecord(text)).isTrue();
        assertThat(RecoveryRecords.parse(text)).isEqualTo(new RecoveryRecords.Connect(HASH, "client-1", "ann \"the\" user",
                List.of("lobby", "room:2"), Recovery.hash("old"), "EPOCH:42", "node-1"));
    }

    @Test
    void aFreshConnectOfAnAnonymousClientHasNoUserAndNoResume() {
        String text = RecoveryRecords.connect(HASH, "client-1", null, List.of(), null, null, null);
        assertThat(RecoveryRecords.parse(text)).isEqualTo(new RecoveryRecords.Connect(HASH, "client-1", null, List.of(), null, null, null));
        assertThat(RecoveryRecords.parse(RecoveryRecords.alive("node-1"))).isEqualTo(new RecoveryRecords.Alive("node-1"));
    }

    @Test
    void roomsAndCloseRecordsReadAsTheyWereWritten() {
        assertThat(RecoveryRecords.parse(RecoveryRecords.rooms(HASH, List.of("a", "b"), null, 0)))
                .isEqualTo(new RecoveryRecords.Rooms(HASH, List.of("a", "b"), null, 0));
        assertThat(RecoveryRecords.parse(RecoveryRecords.rooms(HASH, List.of("a"), "node-1", 7)))
                .isEqualTo(new RecoveryRecords.Rooms(HASH, List.of("a"), "node-1", 7));
        assertThat(RecoveryRecords.parse(RecoveryRecords.close(HASH, List.of())))
                .isEqualTo(new RecoveryRecords.Close(HASH, List.of()));
    }

    @Test
    void aTokenHashNeverLooksLikeTheToken() {
        assertThat(Recovery.hash("token")).hasSize(43).isNotEqualTo("token").isEqualTo(Recovery.hash("token"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1,2]",
            "{\"record\":\"connect\"}",
            "{\"record\":\"galaxy\",\"token\":\"abc\",\"rooms\":[]}",
            "{\"record\":\"close\",\"token\":\"abc\"}",
            "{\"record\":\"close\",\"token\":\"a b\",\"rooms\":[]}",
            "{\"record\":\"close\",\"token\":42,\"rooms\":[]}",
            "{\"record\":\"close\",\"token\":\"abc\",\"rooms\":[42]}",
            "{\"record\":\"close\",\"token\":\"abc\",\"rooms\":[\"\"]}",
            "{\"record\":\"close\",\"token\":\"abc\",\"rooms\":[[\"nested\"]]}",
            "{\"record\":\"connect\",\"token\":\"abc\",\"client\":\"\",\"rooms\":[]}",
            "{\"record\":\"connect\",\"token\":\"abc\",\"client\":\"c\",\"rooms\":[],\"resume\":\"abc\"}",
            "{\"record\":\"connect\",\"token\":\"abc\",\"client\":\"c\",\"rooms\":[],\"resume\":\"abc\",\"offset\":\"bad offset!\"}",
            "{\"record\":\"connect\",\"token\":\"abc\",\"client\":\"c\",\"user\":7,\"rooms\":[]}",
            "{\"record\":\"close\",\"token\":\"abc\",\"rooms\":[]} trailing",
            "{\"record\":\"alive\"}",
            "{\"record\":\"rooms\",\"token\":\"abc\",\"rooms\":[],\"node\":\"n\"}",
            "{\"record\":\"rooms\",\"token\":\"abc\",\"rooms\":[],\"node\":\"n\",\"ack\":-1}",
            "{\"record\":\"alive\",\"node\":\"a node!\"}",
            "{\"record\":\"connect\",\"token\":\"abc\",\"client\":\"c\",\"rooms\":[],\"node\":3}",
    })
    void malformedRecordsAreRefusedWithAReason(String text) {
        assertThatThrownBy(() -> RecoveryRecords.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deepNestingIsRefusedBeforeAnyParserSeesIt() {
        String deep = "{\"record\":\"close\",\"token\":\"abc\",\"rooms\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> RecoveryRecords.parse(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void aRecordPastTheSizeBoundIsRefusedUnparsed() {
        String big = "{\"record\":\"close\",\"token\":\"abc\",\"rooms\":[\"" + "a".repeat(RecoveryRecords.MAX_SIZE) + "\"]}";
        assertThatThrownBy(() -> RecoveryRecords.parse(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("larger");
    }
}
