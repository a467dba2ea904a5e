package io.wiregate.cdi.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.websocket.server.ServerEndpointConfig;

import io.wiregate.cdi.WiregateExtension;
import io.wiregate.cdi.EndpointRegistration;
import io.wiregate.cdi.Wiregate;
import io.wiregate.cdi.transport.ContainerProfile;
import io.wiregate.cdi.transport.TransportSettings;

/**
 * The gateways a CDI container deployed, for a runtime that serves them on a WebSocket server of its own (the
 * standalone runtimes): their endpoint configurations for a Jakarta WebSocket container (Tyrus), or their routes for
 * a runtime that does the WebSocket itself (Netty), the largest frame any of them accepts, and the shutdown that
 * closes their clients. In a web application the servlet container does this itself.
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public final class GatewayHost {

    private final Wiregate wiregate;
    private final List<HostedGateway> hosted;
    private final List<PathTemplate> templates = new ArrayList<>();

    private GatewayHost(Wiregate wiregate) {
        this.wiregate = wiregate;
        this.hosted = wiregate.hosted();
        for (HostedGateway gateway : hosted) {
            templates.add(new PathTemplate(gateway.path()));
        }
    }

    /**
     * The gateways deployed in the CDI container of {@code beanManager}.
     *
     * @throws IllegalArgumentException if Wiregate's extension is not part of that container
     * @throws IllegalStateException    if the deployment is not complete, or failed
     */
    public static GatewayHost of(BeanManager beanManager) {
        return new GatewayHost(beanManager.getExtension(WiregateExtension.class).wiregate());
    }

    /** The running Wiregate. */
    Wiregate wiregate() {
        return wiregate;
    }

    /**
     * One endpoint configuration per gateway (their paths were checked distinct at deployment), whose connections
     * take their transport from {@code profile}.
     */
    public List<ServerEndpointConfig> endpointConfigs(ContainerProfile profile, TransportSettings settings) {
        return EndpointRegistration.endpointConfigs(wiregate, profile, settings);
    }

    /**
     * The gateway a WebSocket upgrade to {@code rawPath} is for, with the values of its path parameters, for a
     * runtime that serves gateways without Jakarta WebSocket: an exact path first, then the template whose literal
     * segments come first.
     *
     * @param rawPath the request's path as received (not decoded, no query), already found well-formed by
     *                {@link RequestTargets#wellFormed}
     */
    public Optional<Route> route(String rawPath) {
        Route best = null;
        PathTemplate bestTemplate = null;
        for (int i = 0; i < hosted.size(); i++) {
            PathTemplate template = templates.get(i);
            Map<String, String> parameters = template.match(rawPath);
            if (parameters != null && (best == null || template.compareSpecificity(bestTemplate) < 0)) {
                best = new Route(hosted.get(i), parameters);
                bestTemplate = template;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * A gateway matched by {@link #route}.
     *
     * @param gateway        the gateway
     * @param pathParameters its path parameters' decoded values (empty for a path without any)
     */
    public record Route(HostedGateway gateway, Map<String, String> pathParameters) {
    }

    /** The largest inbound message, in bytes, that any gateway accepts ({@code @Gateway(maxMessageBytes)}). */
    public int largestMessageBytes() {
        return wiregate.largestMessageBytes();
    }

    /** Closes every client with 1001, waiting at most {@code waitMillis} for them, and stops the gateways. */
    public void shutdown(long waitMillis) {
        wiregate.shutdown(waitMillis);
    }
}
