package io.wiregate.tyrus.flow;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.tyrus.Servers;
import io.wiregate.Broadcast;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;


/** docs/protocol.md section 7: a client that stops reading never delays the others, and is closed with 4005. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowConsumerTest {

    @Gateway(value = "/shout", outboundQueue = 32, heartbeatTimeoutMs = 0)
    public static class ShoutGateway {
        @OnEvent("shout")
        @Broadcast("shout")
        JsonValue shout(JsonValue data) {
            return data;
        }
    }

    /** The kit's slow-consumer queue: 64 messages. */
    @Gateway(value = "/kit-shout", outboundQueue = 64, heartbeatTimeoutMs = 0)
    public static class KitShoutGateway {
        @OnEvent("shout")
        @Broadcast("shout")
        JsonValue shout(JsonValue data) {
            return data;
        }
    }

    private static final int TOTAL = 5000;
    private static final String PAD = "p".repeat(1000);

    private StandaloneRuntime.Server server;

    @BeforeEach
    void start() {
        server = Servers.start(ShoutGateway.class, KitShoutGateway.class);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPausedClientIsClosedWith4005WhileAReaderGetsEveryDeliveryInOrder() {
        try (RawWebSocket paused = paused("/shout"); RawWebSocket reader = connected("/shout");
             RawWebSocket shouter = connected("/shout")) {
            List<Integer> received = new ArrayList<>();
            for (int sent = 0; sent < TOTAL; sent++) {
                shouter.sendRaw(shout(sent));
                while (received.size() < sent - 200) { // the reader itself is never more than 200 behind
                    received.add(nextSeq(reader, Duration.ofSeconds(10), "reader stalled at " + received.size() + " of " + sent));
                }
            }
            while (received.size() < TOTAL) {
                received.add(nextSeq(reader, Duration.ofSeconds(20), "reader got " + received.size() + " of " + TOTAL));
            }
            assertThat(received).hasSize(TOTAL);
            for (int i = 0; i < TOTAL; i++) {
                assertThat(received.get(i)).as("delivery #%d in order", i).isEqualTo(i);
            }

            paused.resume();
            assertThat(paused.awaitClose(Duration.ofSeconds(30))).as("the code of the paused client's close").isEqualTo(4005);
            assertThat(paused.received().stream().filter(isEvent("shout")).count()).isLessThan(TOTAL);
        }
    }

    /**
     * The kit's {@code slow} group, with every core kept busy beside it: a burst a reader keeps up with, and a
     * probe reading normally, on a queue of 64. Neither may be closed as a slow consumer however late the server's
     * write completions come (the group failed once in 11 runs on a lightly loaded machine when the frames waiting
     * behind the one raw write in flight were counted against the queue; on Netty, about one run in twenty when
     * frames that waited for a descheduled writer, with the window still open, were). Three rounds, or as many as
     * {@code -Dslow.rounds} says when hunting a rare failure.
     */
    @Test
    void readersThatKeepUpAreNeverClosedAsSlowConsumersWhileEveryCoreIsBusy() throws Exception {
        for (int round = 0; round < Integer.getInteger("slow.rounds", 3); round++) {
            try (CpuBurner burner = new CpuBurner(); RawWebSocket paused = paused("/kit-shout");
                 RawWebSocket reader = connected("/kit-shout"); RawWebSocket probe = connected("/kit-shout");
                 RawWebSocket shouter = RawWebSocket.connect(uri("/kit-shout"))) { // it gets its shouts too, and reads them
                // the shouter writes as fast as its socket takes frames, as the kit's does
                ByteArrayOutputStream shouts = new ByteArrayOutputStream();
                int received = 0;
                for (int sent = 0; sent < TOTAL; sent++) {
                    shouts.writeBytes(RawWebSocket.maskedText(shout(sent)));
                    if (received < sent - 300 || sent % 50 == 0) {
                        if (shouter.isClosed()) {
                            throw new AssertionError("shouter closed with " + shouter.closeCode() + " " + shouter.closeReason()
                                    + " after receiving " + shouter.receivedText().size() + ", sent " + sent + ", reader at " + received);
                        }
                        shouter.sendBytes(shouts.toByteArray());
                        shouts.reset();
                    }
                    while (received < sent - 300) { // as the kit: never more than 300 ahead of the reader
                        nextSeq(reader, Duration.ofSeconds(10), "reader stalled at " + received + ", round " + round
                                + " (closed with: reader " + reader.closeCode() + ", shouter " + shouter.closeCode()
                                + " " + shouter.closeReason() + ", probe " + probe.closeCode() + ", shouter received "
                                + shouter.receivedText().size() + ")");
                        received++;
                    }
                }
                for (; received < TOTAL; received++) {
                    nextSeq(reader, Duration.ofSeconds(20), "reader got " + received + ", round " + round);
                }
                for (int i = 0; i < TOTAL; i++) {
                    nextSeq(probe, Duration.ofSeconds(20), "probe got " + i + ", round " + round);
                }
                assertThat(reader.closeCode()).as("reader closed, round %d", round).isNull();
                assertThat(probe.closeCode()).as("probe closed, round %d", round).isNull();
            }
        }
    }

    /** Keeps every core busy until closed. */
    private static final class CpuBurner implements AutoCloseable {
        private volatile boolean burning = true;
        private final List<Thread> threads = new ArrayList<>();

        CpuBurner() {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                Thread t = new Thread(() -> {
                    long x = 0;
                    while (burning) {
                        x += System.nanoTime() % 7;
                    }
                    if (x == 42) {
                        System.out.print(""); // keeps the loop from being optimised away
                    }
                }, "cpu-burner-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            burning = false;
            for (Thread t : threads) {
                t.join(5000);
            }
        }
    }

    private URI uri(String path) {
        return URI.create(server.uri() + path);
    }

    /** A client that completes the handshake and then reads nothing until resumed, on a small receive buffer. */
    private RawWebSocket paused(String path) {
        return RawWebSocket.to(uri(path)).receiveBuffer(4096).paused().connect();
    }

    /** A client that reads as it should, once it is connected. */
    private RawWebSocket connected(String path) {
        RawWebSocket client = RawWebSocket.connect(uri(path));
        client.next(isEvent("connected"));
        return client;
    }

    private static String shout(int seq) {
        return "{\"event\":\"shout\",\"data\":{\"seq\":" + seq + ",\"pad\":\"" + PAD + "\"}}";
    }

    /** The {@code seq} of the next shout {@code client} receives within {@code wait}; fails with {@code context} if none. */
    private static int nextSeq(RawWebSocket client, Duration wait, String context) {
        try {
            return data(client.next(isEvent("shout"), wait)).asJsonObject().getInt("seq");
        } catch (AssertionError e) {
            throw new AssertionError(context, e);
        }
    }
}
