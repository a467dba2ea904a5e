package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static io.wiregate.testing.PrometheusText.value;
import static io.wiregate.testing.PrometheusText.with;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.testing.RawWebSocket;

/**
 * The standalone Prometheus scrape ({@code wiregate.metrics.path}), on both runtimes: after real traffic over real
 * sockets, the scrape counts exactly what happened (connections, frames by outcome, deliveries and their bytes,
 * handler durations, closes by code). Off without the setting: the path is a 404.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {

    /** {@code /metered}: an echo, and a broadcast to everyone. */
    @Gateway(value = "/metered", heartbeatTimeoutMs = 0)
    public static class MeteredGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("shout")
        @Broadcast("shout")
        JsonValue shout(JsonValue data) {
            return data;
        }
    }

    static StandaloneRuntime.Server metered;
    static StandaloneRuntime.Server without;
    /** HTTP/1.1: the JDK client's default h2c upgrade attempt makes Grizzly's large answers lose their headers. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        System.setProperty("wiregate.metrics.path", "/metrics");
        try {
            metered = Servers.start(MeteredGateway.class);
        } finally {
            System.clearProperty("wiregate.metrics.path");
        }
        without = Servers.start(MeteredGateway.class);
    }

    @AfterAll
    static void stop() {
        for (StandaloneRuntime.Server s : new StandaloneRuntime.Server[] {metered, without}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void theScrapeCountsWhatHappenedOnTheWire() throws Exception {
        Map<String, String> gateway = Map.of("gateway", "/metered");
        try (RawWebSocket a = RawWebSocket.connect(URI.create(metered.uri() + "/metered"))) {
            a.next(isEvent("connected"));
            RawWebSocket b = RawWebSocket.connect(URI.create(metered.uri() + "/metered"));
            b.next(isEvent("connected"));
            for (int i = 0; i < 3; i++) {
                a.send("echo", Json.createValue(i), "e" + i);
                a.next(hasId("e" + i));
            }
            a.sendRaw("not json");
            a.next(isEvent("error"));
            a.send("nobody", null, "n");
            a.next(hasId("n"));
            a.send("shout", Json.createValue("héllo"), "s");
            a.next(hasId("s"));
            b.next(isEvent("shout"));
            b.sendClose(1000);
            b.awaitClose();

            String shout = "{\"event\":\"shout\",\"data\":\"héllo\"}";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(value(scrape(), "wiregate_connections_closed_total", with(gateway, "code", "1000"))).isEqualTo(1));
            String text = scrape();
            assertThat(value(text, "wiregate_connections_open", gateway)).isEqualTo(1);
            assertThat(value(text, "wiregate_connections_opened_total", gateway)).isEqualTo(2);
            assertThat(value(text, "wiregate_frames_in_total", with(gateway, "outcome", "handled"))).isEqualTo(4);
            assertThat(value(text, "wiregate_frames_in_total", with(gateway, "outcome", "bad_frame"))).isEqualTo(1);
            assertThat(value(text, "wiregate_frames_in_total", with(gateway, "outcome", "unknown_event"))).isEqualTo(1);
            assertThat(value(text, "wiregate_frames_in_total", with(gateway, "outcome", "internal"))).isZero();
            assertThat(value(text, "wiregate_deliveries_total", gateway)).as("the shout, to both clients").isEqualTo(2);
            assertThat(value(text, "wiregate_delivered_bytes_total", gateway))
                    .isEqualTo(2 * shout.getBytes(StandardCharsets.UTF_8).length);
            assertThat(value(text, "wiregate_handler_duration_seconds_count", with(gateway, "event", "echo"))).isEqualTo(3);
            assertThat(value(text, "wiregate_handler_duration_seconds_count", with(gateway, "event", "shout"))).isEqualTo(1);
            assertThat(text).contains("wiregate_handler_duration_seconds_bucket{");
            assertThat(value(text, "wiregate_volatile_dropped_total", gateway)).isZero();
        }
    }

    @Test
    void theScrapeIsPrometheusTextAndANodeWithoutTheSettingAnswers404() throws Exception {
        HttpResponse<String> r = get(metered, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(r.body()).contains("# TYPE wiregate_connections_opened_total counter");
        assertThat(get(metered, "/metrics/x").statusCode()).isEqualTo(404);
        assertThat(get(without, "/metrics").statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    private static String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = get(metered, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> get(StandaloneRuntime.Server server, String path) throws IOException, InterruptedException {
        URI uri = URI.create(server.uri().replaceFirst("^ws", "http") + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
