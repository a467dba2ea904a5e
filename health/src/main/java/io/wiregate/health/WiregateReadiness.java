package io.wiregate.health;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.wiregate.cdi.WiregateExtension;
import io.wiregate.cdi.spi.OperationsEndpoint;

/**
 * Readiness {@code wiregate-cluster-bus}: UP while the cluster bus reaches its broker (or the node runs alone), DOWN
 * with the reason while Redis is unreachable. Asks the bus: up to about a second.
 */
@Readiness
@ApplicationScoped
public class WiregateReadiness implements HealthCheck {

    @Inject
    BeanManager beans;

    @Override
    public HealthCheckResponse call() {
        Optional<String> problem;
        try {
            problem = beans.getExtension(WiregateExtension.class).wiregate().busUnavailable();
        } catch (IllegalStateException | IllegalArgumentException e) { // not started, stopping, or no Wiregate here
            problem = Optional.of(String.valueOf(e.getMessage()));
        }
        return problem.map(p -> HealthCheckResponse.named(OperationsEndpoint.READINESS_CHECK).down().withData("reason", p).build())
                .orElseGet(() -> HealthCheckResponse.named(OperationsEndpoint.READINESS_CHECK).up().build());
    }
}
