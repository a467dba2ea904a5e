package io.wiregate.tyrus.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.tyrus.WiregateServer;

/** docs/protocol.md sections 5 and 6: frames over the inbound rate get {@code rate_limited}; sustained abuse, 1008. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitTest {

    @Gateway(value = "/limited", inboundRate = 1, inboundBurst = 3, heartbeatTimeoutMs = 0)
    public static class LimitedGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    @Test
    void framesOverTheRateAreRefusedWithTheirIdAndSustainedAbuseClosesWith1008() throws Exception {
        try (WiregateServer server = WiregateServer.builder().port(0).beanClasses(LimitedGateway.class).start()) {
            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(server.uri() + "/limited"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertThat(frames.poll(10, TimeUnit.SECONDS)).startsWith("{\"event\":\"connected\"");

            for (int i = 1; i <= 5; i++) { // a burst of 3 passes, the next two are refused
                ws.sendText("{\"event\":\"echo\",\"data\":" + i + ",\"id\":" + i + "}", true).get(5, TimeUnit.SECONDS);
            }
            for (int i = 1; i <= 3; i++) {
                assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"event\":\"echo\",\"data\":" + i + ",\"id\":" + i + "}");
            }
            for (int i = 4; i <= 5; i++) {
                String refused = frames.poll(10, TimeUnit.SECONDS);
                assertThat(refused).contains("\"code\":\"rate_limited\"").endsWith(",\"id\":" + i + "}");
            }
            for (int i = 6; i <= 8 && !closed.isDone(); i++) { // past a whole extra burst of refusals
                ws.sendText("{\"event\":\"echo\",\"data\":" + i + "}", true).get(5, TimeUnit.SECONDS);
            }
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }
}
