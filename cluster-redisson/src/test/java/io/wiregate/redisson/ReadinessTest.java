package io.wiregate.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

import io.wiregate.testing.RedisServer;
import io.wiregate.testing.Wire;
import io.wiregate.tyrus.WiregateServer;

/**
 * The standalone readiness endpoint on a node of a cluster: not ready, with the reason, while its Redis is down;
 * ready again once Redis is back; alive throughout.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReadinessTest {

    static RedisServer redis;
    static WiregateServer node;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        System.setProperty("wiregate.redis.address", redis.address());
        System.setProperty("wiregate.health.path", "/health");
        try {
            node = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, NodeGateway.class).start();
        } finally {
            System.clearProperty("wiregate.health.path");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("wiregate.redis.address");
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void readinessIsDownWithItsReasonWhileRedisIsDownAndUpAgainOnceItIsBack() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);

        redis.kill();

        await("not ready").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/health/ready").statusCode() == 503);
        HttpResponse<String> down = get("/health/ready");
        JsonObject check = Wire.parse(down.body()).asJsonObject().getJsonArray("checks").getJsonObject(0);
        assertThat(check.getString("name")).isEqualTo("wiregate-cluster-bus");
        assertThat(check.getString("status")).isEqualTo("DOWN");
        assertThat(check.getJsonObject("data").getString("reason")).contains("Redis at");
        assertThat(get("/health/live").statusCode()).as("alive all the same").isEqualTo(200);

        redis.restart();

        await("ready again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/health/ready").statusCode() == 200);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create(node.uri().replaceFirst("^ws", "http") + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
