package io.wiregate.tyrus.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.tyrus.Servers;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;


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
    void framesOverTheRateAreRefusedWithTheirIdAndSustainedAbuseClosesWith1008() {
        try (StandaloneRuntime.Server server = Servers.start(LimitedGateway.class);
             RawWebSocket ws = RawWebSocket.connect(URI.create(server.uri() + "/limited"))) {
            assertThat(ws.nextText()).startsWith("{\"event\":\"connected\"");

            for (int i = 1; i <= 5; i++) { // a burst of 3 passes, the next two are refused
                ws.sendRaw("{\"event\":\"echo\",\"data\":" + i + ",\"id\":" + i + "}");
            }
            for (int i = 1; i <= 3; i++) {
                assertThat(ws.nextText()).isEqualTo("{\"event\":\"echo\",\"data\":" + i + ",\"id\":" + i + "}");
            }
            for (int i = 4; i <= 5; i++) {
                assertThat(ws.nextText()).contains("\"code\":\"rate_limited\"").endsWith(",\"id\":" + i + "}");
            }
            for (int i = 6; i <= 8 && !ws.isClosed(); i++) { // past a whole extra burst of refusals
                ws.sendRaw("{\"event\":\"echo\",\"data\":" + i + "}");
            }
            assertThat(ws.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
        }
    }
}
