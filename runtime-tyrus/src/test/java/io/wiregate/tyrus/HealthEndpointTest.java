package io.wiregate.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.testing.Wire;

/**
 * The standalone health endpoint ({@code wiregate.health.path}), on both runtimes: MicroProfile Health's JSON at
 * {@code PATH}, {@code PATH/live} and {@code PATH/ready}, 200 while every check is up; a node without a cluster bus
 * is ready. Off without the setting: the path is then a 404 like any other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthEndpointTest {

    static StandaloneRuntime.Server withHealth;
    static StandaloneRuntime.Server without;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        System.setProperty("wiregate.health.path", "/health");
        try {
            withHealth = Servers.start(HttpEdgeTest.EchoGateway.class);
        } finally {
            System.clearProperty("wiregate.health.path");
        }
        without = Servers.start(HttpEdgeTest.EchoGateway.class);
    }

    @AfterAll
    static void stop() {
        for (StandaloneRuntime.Server s : new StandaloneRuntime.Server[] {withHealth, without}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void everyHealthPathAnswersUpWithItsChecks() throws Exception {
        HttpResponse<String> all = get(withHealth, "/health");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject body = Wire.parse(all.body()).asJsonObject();
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonArray("checks").getValuesAs(JsonObject.class)).extracting(c -> c.getString("name"))
                .containsExactly("wiregate-gateways", "wiregate-cluster-bus");

        JsonObject live = Wire.parse(get(withHealth, "/health/live").body()).asJsonObject();
        assertThat(live.getJsonArray("checks").getValuesAs(JsonObject.class)).extracting(c -> c.getString("name"))
                .containsExactly("wiregate-gateways");
        assertThat(live.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getInt("gateways")).isEqualTo(1);
        JsonObject ready = Wire.parse(get(withHealth, "/health/ready").body()).asJsonObject();
        assertThat(ready.getString("status")).isEqualTo("UP");
        assertThat(ready.getJsonArray("checks").getValuesAs(JsonObject.class)).extracting(c -> c.getString("name"))
                .containsExactly("wiregate-cluster-bus");
    }

    @Test
    void otherPathsBelowItAndANodeWithoutTheSettingAnswer404() throws Exception {
        assertThat(get(withHealth, "/health/other").statusCode()).isEqualTo(404);
        assertThat(get(without, "/health").statusCode()).isEqualTo(404);
        assertThat(get(without, "/health/ready").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> get(StandaloneRuntime.Server server, String path) throws IOException, InterruptedException {
        URI uri = URI.create(server.uri().replaceFirst("^ws", "http") + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
