package io.wiregate.cdi.spi;

import java.util.List;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.websocket.server.ServerEndpointConfig;

import io.wiregate.cdi.WiregateExtension;
import io.wiregate.cdi.EndpointRegistration;
import io.wiregate.cdi.Wiregate;
import io.wiregate.cdi.transport.ContainerProfile;
import io.wiregate.cdi.transport.TransportSettings;

/**
 * The gateways a CDI container deployed, for a runtime that serves them on a WebSocket server of its own (the
 * standalone runtime on Tyrus): their endpoint configurations, the largest frame any of them accepts, and the
 * shutdown that closes their clients. In a web application the servlet container does this itself.
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public final class GatewayHost {

    private final Wiregate wiregate;

    private GatewayHost(Wiregate wiregate) {
        this.wiregate = wiregate;
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

    /**
     * One endpoint configuration per gateway (their paths were checked distinct at deployment), whose connections
     * take their transport from {@code profile}.
     */
    public List<ServerEndpointConfig> endpointConfigs(ContainerProfile profile, TransportSettings settings) {
        return EndpointRegistration.endpointConfigs(wiregate, profile, settings);
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
