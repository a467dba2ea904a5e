package io.wiregate.cdi;

import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.wiregate.cdi.spi.OperationsEndpoint;

/**
 * Wiregate's checks in the server's MicroProfile Health, where it has one (WildFly's microprofile-health subsystem,
 * Open Liberty's {@code mpHealth} feature, Payara): liveness {@code wiregate-gateways} (the gateways are started) and
 * readiness {@code wiregate-cluster-bus} (the cluster bus reaches its broker; {@code DOWN} with the reason while Redis
 * is unreachable). The same checks as the standalone runtimes' {@code wiregate.health.path} endpoint.
 *
 * <p>Proven on Open Liberty and Payara Micro ({@code HealthIT}). WildFly's extension does not list them yet.
 *
 * <p>This class is loaded only when the MicroProfile Health API is visible ({@link
 * WiregateExtension#microProfileHealthVisible()}): Wiregate has no hard dependency on it.
 */
@Readiness // markers, never read: Payara turns its MicroProfile Health on for an application only when one of its
@Liveness  // classes carries these annotations, and the two checks below are synthetic beans, not classes of their own
final class MicroProfileHealth {

    private MicroProfileHealth() {
    }

    /**
     * Adds the two checks as beans of the application's own bean archive, that of {@code applicationClass} (a gateway
     * class): MicroProfile Health implementations look checks up from where they see the application's beans, and
     * beans of a library archive such as Wiregate's may be out of their sight (WildFly, Payara).
     *
     * @param wiregate the running Wiregate, once the deployment is validated
     */
    static void register(AfterBeanDiscovery event, Class<?> applicationClass, Supplier<Wiregate> wiregate) {
        event.addBean().beanClass(applicationClass).types(HealthCheck.class, Object.class)
                .qualifiers(Liveness.Literal.INSTANCE).scope(ApplicationScoped.class).id("wiregate-liveness")
                .createWith(c -> (HealthCheck) () -> liveness(wiregate));
        event.addBean().beanClass(applicationClass).types(HealthCheck.class, Object.class)
                .qualifiers(Readiness.Literal.INSTANCE).scope(ApplicationScoped.class).id("wiregate-readiness")
                .createWith(c -> (HealthCheck) () -> readiness(wiregate));
    }

    private static HealthCheckResponse liveness(Supplier<Wiregate> wiregate) {
        try {
            return HealthCheckResponse.named(OperationsEndpoint.LIVENESS_CHECK).up().withData("gateways", wiregate.get().gateways().size())
                    .build();
        } catch (IllegalStateException e) { // not started, or the deployment failed
            return HealthCheckResponse.named(OperationsEndpoint.LIVENESS_CHECK).down().withData("reason", e.getMessage()).build();
        }
    }

    /** Asks the cluster bus: up to about a second. */
    private static HealthCheckResponse readiness(Supplier<Wiregate> wiregate) {
        Optional<String> problem;
        try {
            problem = wiregate.get().busUnavailable();
        } catch (IllegalStateException e) { // not started, or stopping
            problem = Optional.of(e.getMessage());
        }
        return problem.map(p -> HealthCheckResponse.named(OperationsEndpoint.READINESS_CHECK).down().withData("reason", p).build())
                .orElseGet(() -> HealthCheckResponse.named(OperationsEndpoint.READINESS_CHECK).up().build());
    }
}
