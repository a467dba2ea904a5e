package io.wiregate.cdi.endpoint;

import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import io.wiregate.cdi.runtime.GatewayRuntime;
import io.wiregate.cdi.runtime.Wiregate;
import io.wiregate.protocol.internal.Settings;

/**
 * Builds one programmatic {@link ServerEndpointConfig} per gateway and adds them to a container's
 * {@link ServerContainer}. The path is the optional global prefix ({@code wiregate.path-prefix}) followed by
 * the gateway's path.
 */
public final class EndpointRegistration {

    private EndpointRegistration() {
    }

    /** The endpoint configurations of every gateway. */
    public static List<ServerEndpointConfig> endpointConfigs(Wiregate wiregate) {
        String prefix = pathPrefix();
        List<ServerEndpointConfig> configs = new ArrayList<>();
        for (GatewayRuntime gateway : wiregate.gateways()) {
            String path = gateway.model().path();
            String full = prefix.isEmpty() ? path : path.equals("/") ? prefix : prefix + path;
            configs.add(ServerEndpointConfig.Builder.create(GatewayEndpoint.class, full)
                    .configurator(new GatewayConfigurator(gateway))
                    .build());
        }
        return configs;
    }

    /**
     * Registers every gateway on a container.
     *
     * @throws DeploymentException if the container refuses one (for example a path taken by another endpoint)
     */
    public static void register(Wiregate wiregate, ServerContainer container) throws DeploymentException {
        for (ServerEndpointConfig config : endpointConfigs(wiregate)) {
            container.addEndpoint(config);
        }
    }

    /** The global path prefix: empty, or a path starting with '/' and not ending with one. */
    static String pathPrefix() {
        String prefix = Settings.get("wiregate.path-prefix").orElse("");
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix.isEmpty() || prefix.startsWith("/") ? prefix : "/" + prefix;
    }
}
