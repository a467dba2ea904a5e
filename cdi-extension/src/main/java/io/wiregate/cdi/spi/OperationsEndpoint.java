package io.wiregate.cdi.spi;

import java.util.Optional;

import io.wiregate.cdi.Wiregate;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.internal.Settings;

/**
 * What operators read on the standalone runtimes' HTTP port, each off unless configured, so that no path answers what
 * the protocol says is a 404 by default:
 * <ul>
 *   <li>health, in MicroProfile Health's JSON form, at {@code wiregate.health.path} (for example {@code /health}):
 *       {@code PATH/live} (the node serves its gateways), {@code PATH/ready} (and its cluster bus reaches the broker,
 *       when it has one), {@code PATH} (both); 200 when every check is {@code UP}, 503 otherwise;</li>
 *   <li>metrics, in the Prometheus text format, at {@code wiregate.metrics.path} (for example {@code /metrics}).</li>
 * </ul>
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public final class OperationsEndpoint {

    /** The liveness check's name, here and in an application server's MicroProfile Health. */
    public static final String LIVENESS_CHECK = "wiregate-gateways";
    /** The readiness check's name, here and in an application server's MicroProfile Health. */
    public static final String READINESS_CHECK = "wiregate-cluster-bus";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * An answer.
     *
     * @param status      the HTTP status
     * @param contentType the body's media type
     * @param body        the body's text
     */
    public record Answer(int status, String contentType, String body) {
    }

    private final Wiregate wiregate;
    /** The health path, or null when health is off. */
    private final String health;
    /** The metrics path, or null when metrics are not served here. */
    private final String metrics;

    private OperationsEndpoint(Wiregate wiregate, String health, String metrics) {
        this.wiregate = wiregate;
        this.health = health;
        this.metrics = metrics;
    }

    /**
     * The endpoint for {@code gateways}, when {@code wiregate.health.path} or {@code wiregate.metrics.path} is set.
     *
     * @throws IllegalArgumentException if a path does not start with {@code /}, ends with one, or both are the same
     */
    public static Optional<OperationsEndpoint> of(GatewayHost gateways) {
        String health = path("wiregate.health.path", "/health");
        String metrics = path("wiregate.metrics.path", "/metrics");
        if (health == null && metrics == null) {
            return Optional.empty();
        }
        if (health != null && metrics != null && (metrics.equals(health) || metrics.startsWith(health + "/"))) {
            throw new IllegalArgumentException("wiregate.metrics.path=" + metrics + " is a path of wiregate.health.path="
                    + health + ": give them different paths");
        }
        return Optional.of(new OperationsEndpoint(gateways.wiregate(), health, metrics));
    }

    private static String path(String key, String example) {
        return Settings.get(key).map(String::trim).filter(p -> !p.isEmpty()).map(p -> {
            if (!p.startsWith("/") || p.endsWith("/")) {
                throw new IllegalArgumentException(key + "=" + p + " must be a path such as " + example);
            }
            return p;
        }).orElse(null);
    }

    /** Whether a request for {@code decodedPath} is this endpoint's. */
    public boolean matches(String decodedPath) {
        return (health != null && (decodedPath.equals(health) || decodedPath.equals(health + "/live")
                || decodedPath.equals(health + "/ready")))
                || decodedPath.equals(metrics);
    }

    /**
     * Answers a request for {@code decodedPath} (one this endpoint {@link #matches}). The readiness check asks the
     * cluster bus, which may take up to about a second: call it off an event loop.
     */
    public Answer answer(String decodedPath) {
        if (decodedPath.equals(metrics)) {
            return wiregate.prometheusScrape().map(text -> new Answer(200, PROMETHEUS_TEXT, text))
                    .orElseGet(() -> new Answer(503, "text/plain; charset=utf-8", "metrics are not available\n"));
        }
        boolean live = !decodedPath.equals(health + "/ready");
        boolean ready = !decodedPath.equals(health + "/live");
        StringBuilder checks = new StringBuilder();
        boolean up = true;
        if (live) {
            checks.append("{\"name\":\"" + LIVENESS_CHECK + "\",\"status\":\"UP\",\"data\":{\"gateways\":")
                    .append(wiregate.gateways().size()).append("}}");
        }
        if (ready) {
            Optional<String> problem = wiregate.busUnavailable();
            up = problem.isEmpty();
            checks.append(checks.length() > 0 ? "," : "").append("{\"name\":\"" + READINESS_CHECK + "\",\"status\":\"")
                    .append(up ? "UP\"}" : "DOWN\",\"data\":{\"reason\":" + Frames.quote(problem.get()) + "}}");
        }
        return new Answer(up ? 200 : 503, "application/json",
                "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":[" + checks + "]}");
    }
}
