package io.wiregate.cdi;

import java.lang.reflect.ParameterizedType;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;

import io.wiregate.Broadcaster;

/** Produces {@code Broadcaster<G>} for any gateway {@code G}; the deployment validated every such injection point. */
@Dependent
class BroadcasterProducer {

    @Inject
    WiregateExtension extension;

    @Produces
    @Dependent
    <G> Broadcaster<G> broadcaster(InjectionPoint injectionPoint) {
        ParameterizedType type = (ParameterizedType) injectionPoint.getType();
        @SuppressWarnings("unchecked")
        Class<G> gateway = (Class<G>) type.getActualTypeArguments()[0];
        return extension.broadcaster(gateway);
    }
}
