package io.wiregate.cdi.endpoint;

import jakarta.websocket.server.ServerEndpointConfig;

import io.wiregate.cdi.runtime.GatewayRuntime;

/** Creates one {@link GatewayEndpoint} per connection of a gateway. */
final class GatewayConfigurator extends ServerEndpointConfig.Configurator {

    private final GatewayRuntime gateway;

    GatewayConfigurator(GatewayRuntime gateway) {
        this.gateway = gateway;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new GatewayEndpoint(gateway));
    }
}
