package io.wiregate.cdi.spi;

import java.util.Optional;

import io.wiregate.cdi.Wiregate;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.internal.Settings;

/**
 * The health endpoint of the standalone runtimes, in MicroProfile Health's JSON form, on the runtime's HTTP port:
 * {@code PATH/live} (the node serves its gateways), {@code PATH/ready} (and its cluster bus reaches the broker, when
 * it has one), {@code PATH} (both). 200 when every check is {@code UP}, 503 otherwise. Off unless {@code
 * wiregate.health.path} names its path (for example {@code /health}), so that no path answers what the protocol
 * says is a 404 by default.
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public final class HealthEndpoint {

    /** The liveness check's name, here and in an application server's MicroProfile Health. */
    public static final String LIVENESS_CHECK = "wiregate-gateways";
    /** The readiness check's name, here and in an application server's MicroProfile Health. */
    public static final String READINESS_CHECK = "wiregate-cluster-bus";

    /** An answer: the HTTP status and the JSON body. */
    public record Answer(int status, String json) {
    }

    private final Wiregate wiregate;
    private final String path;

    private HealthEndpoint(Wiregate wiregate, String path) {
        this.wiregate = wiregate;
        this.path = path;
    }

    /**
     * The endpoint for {@code gateways}, when {@code wiregate.health.path} is set.
     *
     * @throws IllegalArgumentException if the path does not start with {@code /}, or ends with one
     */
    public static Optional<HealthEndpoint> of(GatewayHost gateways) {
        return Settings.get("wiregate.health.path").map(String::trim).filter(p -> !p.isEmpty()).map(p -> {
            if (!p.startsWith("/") || (p.length() > 1 && p.endsWith("/")) || p.equals("/")) {
                throw new IllegalArgumentException("wiregate.health.path=" + p + " must be a path such as /health");
            }
            return new HealthEndpoint(gateways.wiregate(), p);
        });
    }

    /** Whether a request for {@code decodedPath} is this endpoint's. */
    public boolean matches(String decodedPath) {
        return decodedPath.equals(path) || decodedPath.equals(path + "/live") || decodedPath.equals(path + "/ready");
    }

    /**
     * Answers a request for {@code decodedPath} (one this endpoint {@link #matches}). The readiness check asks the
     * cluster bus, which may take up to about a second: call it off an event loop.
     */
    public Answer answer(String decodedPath) {
        boolean live = !decodedPath.equals(path + "/ready");
        boolean ready = !decodedPath.equals(path + "/live");
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
        return new Answer(up ? 200 : 503, "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":[" + checks + "]}");
    }
}
