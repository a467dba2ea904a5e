package io.wiregate.it;

import static io.wiregate.it.Cluster.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.wiregate.health.WiregateLiveness;
import io.wiregate.it.cluster.ClusterGateway;
import io.wiregate.it.cluster.ClusterStatusServlet;

/**
 * Wiregate's checks in the server's own MicroProfile Health (issue 16, part 3), on all three servers (WildFly with
 * {@code standalone-microprofile.xml}, its endpoint on the management port; Open Liberty with {@code mpHealth-4.0};
 * Payara Micro): a WAR with the Redis bus and {@code wiregate-health} reports liveness {@code wiregate-gateways} and
 * readiness {@code wiregate-cluster-bus}; readiness goes down, with the reason, while a real Redis is killed, and up
 * again once it is back. This class has a Redis of its own, since it kills it.
 */
@RunAsClient
@ExtendWith({ArquillianExtension.class, ClusterRedis.class})
class HealthIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        // Not "health": that context root would hide the server's own /health on Liberty and Payara.
        return Deployments.clusterWar("probed", ClusterRedis.server("health").address(), "wghealth", ClusterGateway.class,
                ClusterStatusServlet.class).addAsLibraries(Deployments.library("wiregate-health.jar", WiregateLiveness.class));
    }

    @Test
    void readinessIsDownWithTheReasonWhileRedisIsDownAndUpAgainOnceItIsBack() throws Exception {
        await("Wiregate's readiness check is UP").atMost(Duration.ofSeconds(60))
                .conditionEvaluationListener(c -> lastAnswer())
                .until(() -> check("/ready", "wiregate-cluster-bus").filter(c -> c.getString("status").equals("UP")).isPresent());
        JsonObject live = check("/live", "wiregate-gateways").orElseThrow();
        assertThat(live.getString("status")).isEqualTo("UP");
        // Payara writes a check's numeric data as a string
        assertThat(Integer.parseInt(live.getJsonObject("data").get("gateways").toString().replace("\"", ""))).isPositive();

        ClusterRedis.server("health").kill();
        await("readiness DOWN while Redis is down").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> check("/ready", "wiregate-cluster-bus").filter(c -> c.getString("status").equals("DOWN")).isPresent());
        JsonObject down = check("/ready", "wiregate-cluster-bus").orElseThrow();
        assertThat(down.getJsonObject("data").getString("reason")).contains("Redis");
        assertThat(get("/ready").statusCode()).as("the server's readiness as a whole").isEqualTo(503);
        assertThat(check("/live", "wiregate-gateways").orElseThrow().getString("status"))
                .as("alive all the same").isEqualTo("UP");

        ClusterRedis.server("health").restart();
        await("readiness UP once Redis is back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> check("/ready", "wiregate-cluster-bus").filter(c -> c.getString("status").equals("UP")).isPresent());
    }

    /** The check named {@code name} in the server's health answer at {@code path} ({@code /live} or {@code /ready}). */
    private static Optional<JsonObject> check(String path, String name) throws Exception {
        HttpResponse<String> response = get(path);
        JsonValue body = parse(response.body());
        return body.asJsonObject().getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(name)).findFirst();
    }

    /** Prints the readiness answer (what a failing wait saw). */
    private static void lastAnswer() {
        try {
            HttpResponse<String> r = get("/ready");
            System.out.println("HealthIT: GET /ready -> " + r.statusCode() + " " + r.body());
        } catch (Exception e) {
            System.out.println("HealthIT: GET /ready failed: " + e);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        String base = System.getProperty("it.health.url");
        assertThat(base).as("it.health.url (set by the failsafe execution)").isNotNull();
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
