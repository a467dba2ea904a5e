package io.wiregate.cdi;

import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import io.wiregate.protocol.internal.Settings;
import io.wiregate.cdi.transport.ContainerProfile;
import io.wiregate.cdi.transport.ContainerProfiles;
import io.wiregate.cdi.transport.TransportSettings;

/**
 * Builds one programmatic {@link ServerEndpointConfig} per gateway and adds them to a container's
 * {@link ServerContainer}. The path is the optional global prefix ({@code wiregate.path-prefix}) followed by
 * the gateway's path.
 */
public final class EndpointRegistration {

    private EndpointRegistration() {
    }

    /**
     * The endpoint configurations of every gateway, in a container of the given profile.
     *
     * @param profile  the container's profile, chosen once for the application
     * @param settings the transport settings, read once for the application
     */
    public static List<ServerEndpointConfig> endpointConfigs(Wiregate wiregate, ContainerProfile profile,
                                                             TransportSettings settings) {
        List<ServerEndpointConfig> configs = new ArrayList<>();
        for (GatewayRuntime gateway : wiregate.gateways()) {
            configs.add(ServerEndpointConfig.Builder.create(GatewayEndpoint.class, pathOf(gateway))
                    .configurator(new GatewayConfigurator(gateway, profile, settings))
                    .build());
        }
        return configs;
    }

    /**
     * Registers every gateway on a servlet container's WebSocket container, with the profile
     * {@link ContainerProfiles#forContainer} chooses for it.
     *
     * @throws DeploymentException      if the container refuses one (for example a path taken by another endpoint)
     * @throws IllegalArgumentException if a transport setting is invalid
     */
    public static void register(Wiregate wiregate, ServerContainer container) throws DeploymentException {
        ContainerProfile profile = ContainerProfiles.forContainer(container);
        for (ServerEndpointConfig config : endpointConfigs(wiregate, profile, TransportSettings.fromConfig())) {
            container.addEndpoint(config);
        }
    }

    /** The path a gateway is registered at: the global prefix ({@code wiregate.path-prefix}) and its own. */
    static String pathOf(GatewayRuntime gateway) {
        String prefix = pathPrefix();
        String path = gateway.model().path();
        return prefix.isEmpty() ? path : path.equals("/") ? prefix : prefix + path;
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
