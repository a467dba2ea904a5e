package io.wiregate.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.wiregate.cdi.WiregateExtension;
import io.wiregate.cdi.spi.OperationsEndpoint;

/**
 * Liveness {@code wiregate-gateways}: UP once Wiregate serves the application's gateways (with their number), DOWN with
 * the reason when it is not started (its deployment failed, or it is stopping). The same check as the standalone
 * runtimes' {@code wiregate.health.path}.
 */
@Liveness
@ApplicationScoped
public class WiregateLiveness implements HealthCheck {

    @Inject
    BeanManager beans;

    @Override
    public HealthCheckResponse call() {
        try {
            int gateways = beans.getExtension(WiregateExtension.class).wiregate().gateways().size();
            return HealthCheckResponse.named(OperationsEndpoint.LIVENESS_CHECK).up().withData("gateways", gateways).build();
        } catch (IllegalStateException | IllegalArgumentException e) { // not started, or no Wiregate in this application
            return HealthCheckResponse.named(OperationsEndpoint.LIVENESS_CHECK).down().withData("reason", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
