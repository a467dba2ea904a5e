package io.wiregate.cdi;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import io.wiregate.Auth;
import io.wiregate.Identity;
import io.wiregate.cdi.transport.ContainerProfile;
import io.wiregate.cdi.transport.TransportSettings;

/**
 * The handshake of one gateway: the {@code Origin} check first (403), then, for {@link Auth#HANDSHAKE} gateways,
 * the authenticator (401 when it refuses). Creates one {@link GatewayEndpoint} per connection.
 */
final class GatewayConfigurator extends ServerEndpointConfig.Configurator {

    private final GatewayRuntime gateway;
    private final ContainerProfile profile;
    private final TransportSettings settings;

    GatewayConfigurator(GatewayRuntime gateway, ContainerProfile profile, TransportSettings settings) {
        this.gateway = gateway;
        this.profile = profile;
        this.settings = settings;
    }

    /** An origin that {@code allowed-origins} does not list: the container answers 403 itself. */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return OriginPolicy.allowedByList(gateway.model().limits().allowedOrigins(), originHeaderValue);
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        super.modifyHandshake(sec, request, response);
        HandshakeView view = new HandshakeView(request);
        // The whole rule (same origin needs the Host header, which checkOrigin does not get), also for containers
        // that skip checkOrigin; a servlet filter that admitted this upgrade applied it already.
        if (!HandshakeCheck.checkedAhead(gateway) && !HandshakeCheck.originAllowed(gateway, view)) {
            refuse(sec, 403, "Forbidden", response);
            return;
        }
        if (gateway.model().auth() != Auth.HANDSHAKE) {
            return;
        }
        Identity admitted = HandshakeCheck.admitted(gateway); // a servlet filter authenticated this upgrade already
        Identity identity = admitted != null ? admitted : gateway.authenticateHandshake(view);
        if (identity == null) {
            refuse(sec, 401, "Unauthorized", response);
            return;
        }
        sec.getUserProperties().put(GatewayEndpoint.IDENTITY, identity);
    }

    private void refuse(ServerEndpointConfig sec, int status, String reason, HandshakeResponse response) {
        if (!profile.refuseHandshake(status, reason, response)) {
            sec.getUserProperties().put(GatewayEndpoint.REFUSED, status);
        }
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new GatewayEndpoint(gateway, profile, settings));
    }
}
