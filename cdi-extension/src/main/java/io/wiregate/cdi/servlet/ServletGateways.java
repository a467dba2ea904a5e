package io.wiregate.cdi.servlet;

import java.util.logging.Logger;

import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import io.wiregate.cdi.EndpointRegistration;
import io.wiregate.cdi.HandshakeCheck;
import io.wiregate.cdi.DeploymentMessages;
import io.wiregate.cdi.Wiregate;

/** Registration of a web application's gateways on its servlet container's WebSocket container. */
final class ServletGateways {

    /** The servlet context attribute under which the Jakarta WebSocket container publishes itself. */
    static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";
    /** The servlet context attribute under which {@link HandshakeFilter} finds the gateways. */
    static final String GATEWAY_PATHS = "io.wiregate.cdi.servlet.GatewayPaths";

    private static final Logger LOG = Logger.getLogger(ServletGateways.class.getName());

    private ServletGateways() {
    }

    /**
     * Adds one endpoint per gateway to the web application's {@code ServerContainer}.
     *
     * @throws IllegalStateException (WG-0103) if the application has gateways but no WebSocket container (the
     *                               server's WebSocket support is not enabled), which fails the deployment
     * @throws DeploymentException   if the container refuses an endpoint
     */
    static void register(ServletContext context, Wiregate wiregate) throws DeploymentException {
        if (wiregate.gateways().isEmpty()) {
            return;
        }
        if (!(context.getAttribute(SERVER_CONTAINER) instanceof ServerContainer container)) {
            throw new IllegalStateException(DeploymentMessages.noWebSocketContainer(context.getContextPath(),
                    SERVER_CONTAINER));
        }
        context.setAttribute(GATEWAY_PATHS, new GatewayPaths(HandshakeCheck.gatewaysByPath(wiregate)));
        EndpointRegistration.register(wiregate, container);
        LOG.fine(() -> "Wiregate registered " + wiregate.gateways().size() + " gateway(s) in " + context.getContextPath());
    }
}
