package io.wiregate.it;

import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static io.wiregate.testing.PrometheusText.value;
import static io.wiregate.testing.PrometheusText.with;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import jakarta.json.Json;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.wiregate.it.app.MeteredGateway;
import io.wiregate.testing.RawWebSocket;

/**
 * Wiregate's metrics in an application server's own metrics (issue 16, part 2): on WildFly, whose {@code micrometer}
 * subsystem (added to the test server's configuration by the build, with a Prometheus registry on the management
 * port) gives the deployment a {@code MeterRegistry} bean, the WAR's meters are in the server's Prometheus scrape and
 * count what happened on real sockets.
 *
 * <p>WildFly only: Open Liberty and Payara have no Micrometer registry an application can use (their metrics are
 * MicroProfile Metrics); the README says so.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("metered", MeteredGateway.class);
    }

    @ArquillianResource
    URL base;

    @Test
    void theServersPrometheusScrapeCountsTheGatewaysTraffic() throws Exception {
        Assumptions.assumeTrue(Server.current() == Server.WILDFLY,
                "Wiregate's meters join the server's metrics where it has Micrometer: WildFly (see the class comment)");
        Map<String, String> gateway = Map.of("gateway", "/metered");
        String context = base.getPath().endsWith("/") ? base.getPath().substring(0, base.getPath().length() - 1) : base.getPath();
        URI ws = URI.create("ws://127.0.0.1:" + base.getPort() + context + "/metered");
        try (RawWebSocket a = RawWebSocket.connect(ws); RawWebSocket b = RawWebSocket.connect(ws)) {
            a.next(isEvent("connected"));
            b.next(isEvent("connected"));
            for (int i = 0; i < 3; i++) {
                a.send("echo", Json.createValue(i), "e" + i);
                a.next(hasId("e" + i));
            }
            a.send("nobody", null, "n");
            a.next(hasId("n"));
            a.send("shout", Json.createValue("hi"), "s");
            a.next(hasId("s"));
            b.next(isEvent("shout"));

            await("Wiregate's meters in WildFly's Prometheus scrape").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(value(scrape(), "wiregate_connections_open", gateway)).isEqualTo(2));
            String text = scrape();
            assertThat(value(text, "wiregate_connections_opened_total", gateway)).isEqualTo(2);
            assertThat(value(text, "wiregate_frames_in_total", with(gateway, "outcome", "handled"))).isEqualTo(4);
            assertThat(value(text, "wiregate_frames_in_total", with(gateway, "outcome", "unknown_event"))).isEqualTo(1);
            assertThat(value(text, "wiregate_deliveries_total", gateway)).isEqualTo(2);
            assertThat(value(text, "wiregate_handler_duration_seconds_count", with(gateway, "event", "echo"))).isEqualTo(3);
        }
    }

    private static String scrape() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + System.getProperty("it.management.port") + "/prometheus");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
        return r.body();
    }
}
