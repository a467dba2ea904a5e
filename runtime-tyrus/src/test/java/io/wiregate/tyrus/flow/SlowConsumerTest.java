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
import io.wiregate.tyrus.RawWebSocket;
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

    private static final int TOTAL = 5000;
    private static final String PAD = "p".repeat(1000);

    private WiregateServer server;

    @BeforeEach
    void start() {
        server = WiregateServer.builder().port(0).beanClasses(ShoutGateway.class).start();
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

    private WebSocket connect(BlockingQueue<Integer> seqs) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.uri() + "/shout"), new WebSocket.Listener() {
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
