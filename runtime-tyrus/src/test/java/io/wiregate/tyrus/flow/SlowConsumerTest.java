package io.wiregate.tyrus.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Broadcast;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.tyrus.WiregateServer;

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

    private WiregateServer server;

    @BeforeEach
    void start() {
        server = WiregateServer.builder().port(0).beanClasses(ShoutGateway.class, KitShoutGateway.class).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPausedClientIsClosedWith4005WhileAReaderGetsEveryDeliveryInOrder() throws Exception {
        try (Socket paused = pausedClient()) {
            BlockingQueue<Integer> arrivals = new LinkedBlockingQueue<>();
            List<Integer> received = new ArrayList<>();
            WebSocket reader = connect(arrivals);
            WebSocket shouter = connect(new LinkedBlockingQueue<>());
            for (int sent = 0; sent < TOTAL; sent++) {
                shouter.sendText("{\"event\":\"shout\",\"data\":{\"seq\":" + sent + ",\"pad\":\"" + PAD + "\"}}", true)
                        .get(5, TimeUnit.SECONDS);
                while (received.size() < sent - 200) { // the reader itself is never more than 200 behind
                    Integer seq = arrivals.poll(10, TimeUnit.SECONDS);
                    assertThat(seq).as("reader stalled at %d of %d", received.size(), sent).isNotNull();
                    received.add(seq);
                }
            }
            while (received.size() < TOTAL) {
                Integer seq = arrivals.poll(20, TimeUnit.SECONDS);
                assertThat(seq).as("reader got %d of %d", received.size(), TOTAL).isNotNull();
                received.add(seq);
            }
            assertThat(received).hasSize(TOTAL);
            for (int i = 0; i < TOTAL; i++) {
                assertThat(received.get(i)).as("delivery #%d in order", i).isEqualTo(i);
            }

            byte[] seen = RawWebSocket.readUntilClose(paused, 4005, Duration.ofSeconds(30));
            assertThat(RawWebSocket.containsClose(seen, 4005)).as("a close frame with code 4005").isTrue();
            assertThat(count(new String(seen, StandardCharsets.ISO_8859_1), "\"shout\"")).isLessThan(TOTAL);
            reader.abort();
            shouter.abort();
        }
    }

    /**
     * The kit's {@code slow} group, with every core kept busy beside it: a burst a reader keeps up with, and a
     * probe reading normally, on a queue of 64. Neither may be closed as a slow consumer however late the server's
     * write completions come (the group failed once in 11 runs on a lightly loaded machine when the frames waiting
     * behind the one raw write in flight were counted against the queue). Repeated.
     */
    @Test
    void readersThatKeepUpAreNeverClosedAsSlowConsumersWhileEveryCoreIsBusy() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (CpuBurner burner = new CpuBurner(); Socket paused = RawWebSocket.open(server.port(), "/kit-shout", 4096)) {
                BlockingQueue<Integer> arrivals = new LinkedBlockingQueue<>();
                BlockingQueue<Integer> probeArrivals = new LinkedBlockingQueue<>();
                CompletableFuture<Integer> readerClosed = new CompletableFuture<>();
                CompletableFuture<Integer> probeClosed = new CompletableFuture<>();
                WebSocket reader = connect("/kit-shout", arrivals, readerClosed);
                WebSocket probe = connect("/kit-shout", probeArrivals, probeClosed);
                // the shouter writes as fast as its socket takes frames, as the kit's does
                Socket shouter = RawWebSocket.open(server.port(), "/kit-shout", 0);
                java.io.OutputStream shouts = new java.io.BufferedOutputStream(shouter.getOutputStream(), 64 * 1024);
                Thread drain = new Thread(() -> discardInput(shouter), "shouter-reads"); // it gets its shouts too
                drain.setDaemon(true);
                drain.start();
                int received = 0;
                for (int sent = 0; sent < TOTAL; sent++) {
                    shouts.write(RawWebSocket.maskedText(
                            "{\"event\":\"shout\",\"data\":{\"seq\":" + sent + ",\"pad\":\"" + PAD + "\"}}"));
                    if (received < sent - 300 || sent % 50 == 0) {
                        shouts.flush();
                    }
                    while (received < sent - 300) { // as the kit: never more than 300 ahead of the reader
                        Integer got = arrivals.poll(10, TimeUnit.SECONDS);
                        assertThat(got).as("reader stalled at %d, round %d (closed with %s)", received, round, readerClosed.getNow(null))
                                .isNotNull();
                        received++;
                    }
                }
                for (; received < TOTAL; received++) {
                    assertThat(arrivals.poll(20, TimeUnit.SECONDS)).as("reader got %d, round %d", received, round).isNotNull();
                }
                for (int i = 0; i < TOTAL; i++) {
                    assertThat(probeArrivals.poll(20, TimeUnit.SECONDS)).as("probe got %d, round %d", i, round).isNotNull();
                }
                assertThat(readerClosed).as("reader closed, round %d", round).isNotDone();
                assertThat(probeClosed).as("probe closed, round %d", round).isNotDone();
                reader.abort();
                probe.abort();
                shouter.close();
            }
        }
    }

    /** Reads and drops what the socket receives until it ends, as a client that keeps up does. */
    private static void discardInput(Socket socket) {
        byte[] sink = new byte[64 * 1024];
        try {
            java.io.InputStream in = socket.getInputStream();
            while (in.read(sink) >= 0) {
                // dropped
            }
        } catch (IOException closed) {
            // the test closed it
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

    private WebSocket connect(BlockingQueue<Integer> seqs) throws Exception {
        return connect("/shout", seqs, new CompletableFuture<>());
    }

    private WebSocket connect(String path, BlockingQueue<Integer> seqs, CompletableFuture<Integer> closed) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.uri() + path), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.complete(1006); // ended without a close frame
                    }

                    private final StringBuilder buffer = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        buffer.append(data);
                        if (last) {
                            String text = buffer.toString();
                            buffer.setLength(0);
                            if (text.startsWith("{\"event\":\"connected\"")) {
                                connected.complete(null);
                            } else if (text.startsWith("{\"event\":\"shout\"")) {
                                int at = text.indexOf("\"seq\":") + 6;
                                int end = at;
                                while (Character.isDigit(text.charAt(end))) {
                                    end++;
                                }
                                seqs.add(Integer.parseInt(text.substring(at, end)));
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        connected.get(10, TimeUnit.SECONDS);
        return ws;
    }

    /** A raw client that completes the handshake and then stops reading its socket. */
    private Socket pausedClient() throws IOException {
        return RawWebSocket.open(server.port(), "/shout", 4096);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
