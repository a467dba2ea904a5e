package io.wiregate.bench.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BenchEnvelopeTest {

    @Test
    void readsTheTopLevelEventOfTheGeneratorsFrames() {
        assertEquals("fanout", BenchEnvelope.event("{\"event\":\"fanout\",\"data\":{\"run\":2,\"seq\":7,\"ts\":1,\"pad\":\"xx\"}}"));
        assertEquals("echo", BenchEnvelope.event("{\"event\":\"echo\",\"data\":{\"ts\":1,\"pad\":\"x\"},\"id\":3}"));
        assertEquals("heartbeat", BenchEnvelope.event("{\"event\":\"heartbeat\"}"));
    }

    @Test
    void skipsNestedValuesAndRefusesWhatIsNotAnEnvelope() {
        assertEquals("echo", BenchEnvelope.event("{\"data\":{\"event\":\"inner\",\"a\":[1,{\"event\":\"x\"}]},\"event\":\"echo\"}"));
        assertNull(BenchEnvelope.event("{\"data\":1}"));
        assertNull(BenchEnvelope.event("{\"event\":3}"));
        assertNull(BenchEnvelope.event("[\"event\"]"));
        assertNull(BenchEnvelope.event("{\"event\":"));
        assertNull(BenchEnvelope.event("not json"));
    }
}
