package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.isEvent;
import static io.wiregate.testing.Wire.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.NonBlocking;
import io.wiregate.OnEvent;
import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.testing.RawWebSocket;

/**
 * A {@link NonBlocking} gateway, whose messages Netty handles on the connection's event loop: what a read brings is
 * answered in order, once each, however many frames one TCP segment carries and however large the answers (they
 * leave in one flush at the end of the read, or sooner past a batch); a burst fanned out on the event loop reaches
 * every other client whole and in order. The same behaviour as a gateway that may block (and on Tyrus, which ignores
 * the annotation).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonBlockingProtocolTest {

    @NonBlocking
    @Gateway(value = "/fast", heartbeatTimeoutMs = 0)
    public static class FastGateway {

        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("shout")
        @Broadcast(value = "shout", includeSender = false)
        JsonValue shout(JsonValue data) {
            return data;
        }
    }

    private StandaloneRuntime.Server server;

    @BeforeEach
    void start() {
        server = Servers.start(FastGateway.class);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void framesThatArriveTogetherAreEachAnsweredOnceInOrder() {
        try (RawWebSocket client = connected()) {
            List<String> sent = new ArrayList<>();
            ByteArrayOutputStream together = new ByteArrayOutputStream();
            for (int i = 0; i < 300; i++) {
                String data = "{ \"n\" : " + i + ", \"list\": [1, {\"s\": \"}\\\"]\"}] }"; // spaced, with brackets in a string
                sent.add(data);
                together.writeBytes(RawWebSocket.maskedText("{\"event\":\"echo\",\"id\":" + i + ",\"data\":" + data + "}"));
            }
            client.sendBytes(together.toByteArray());

            for (int i = 0; i < 300; i++) {
                JsonObject reply = client.next(isEvent("echo"), Duration.ofSeconds(10));
                assertThat(reply.getInt("id")).as("reply #%d in order", i).isEqualTo(i);
                assertThat(data(reply)).as("reply #%d's data", i).isEqualTo(parse(sent.get(i)));
            }
        }
    }

    @Test
    void answersToOneReadFarLargerThanABatchAllArrive() {
        String pad = "x".repeat(4000);
        try (RawWebSocket client = connected()) {
            ByteArrayOutputStream together = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) { // about 400 KB of answers to what one or a few reads bring
                together.writeBytes(RawWebSocket.maskedText(
                        "{\"event\":\"echo\",\"id\":" + i + ",\"data\":{\"n\":" + i + ",\"pad\":\"" + pad + "\"}}"));
            }
            client.sendBytes(together.toByteArray());

            for (int i = 0; i < 100; i++) {
                JsonObject reply = client.next(isEvent("echo"), Duration.ofSeconds(10));
                assertThat(reply.getInt("id")).isEqualTo(i);
                assertThat(data(reply).asJsonObject().getString("pad")).hasSize(4000);
            }
        }
    }

    @Test
    void aBurstFannedOutOnTheEventLoopReachesEveryOtherClientWholeAndInOrder() {
        String pad = "p".repeat(1000);
        try (RawWebSocket first = connected(); RawWebSocket second = connected(); RawWebSocket third = connected();
             RawWebSocket shouter = connected()) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) { // 200 KB: past a batch for every recipient
                burst.writeBytes(RawWebSocket.maskedText(
                        "{\"event\":\"shout\",\"data\":{\"seq\":" + i + ",\"pad\":\"" + pad + "\"}}"));
            }
            shouter.sendBytes(burst.toByteArray());

            for (RawWebSocket reader : List.of(first, second, third)) {
                for (int i = 0; i < 200; i++) {
                    JsonObject shout = reader.next(isEvent("shout"), Duration.ofSeconds(10));
                    assertThat(data(shout).asJsonObject().getInt("seq")).as("delivery #%d in order", i).isEqualTo(i);
                }
                assertThat(reader.closeCode()).isNull();
            }
            assertThat(shouter.sync()).noneMatch(isEvent("shout")); // not to the sender
        }
    }

    private RawWebSocket connected() {
        RawWebSocket client = RawWebSocket.connect(URI.create(server.uri() + "/fast"));
        client.next(isEvent("connected"));
        return client;
    }
}
