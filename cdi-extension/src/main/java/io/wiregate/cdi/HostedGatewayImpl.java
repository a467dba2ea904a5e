package io.wiregate.cdi;

import java.util.List;
import java.util.Map;

import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.cdi.spi.GatewayConnection;
import io.wiregate.cdi.spi.HostedGateway;
import io.wiregate.cdi.transport.Transport;
import io.wiregate.cdi.transport.TransportSettings;
import io.wiregate.protocol.CloseCodes;

/** A {@link GatewayRuntime} served by a runtime without Jakarta WebSocket. */
final class HostedGatewayImpl implements HostedGateway {

    private final GatewayRuntime gateway;
    private final String path;
    private final boolean nonBlocking;

    HostedGatewayImpl(GatewayRuntime gateway) {
        this.gateway = gateway;
        this.path = EndpointRegistration.pathOf(gateway);
        this.nonBlocking = gateway.model().beanClass().isAnnotationPresent(io.wiregate.NonBlocking.class);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public HandshakeCheck.Verdict check(HandshakeRequest request) {
        return HandshakeCheck.check(gateway, request);
    }

    @Override
    public boolean nonBlocking() {
        return nonBlocking;
    }

    @Override
    public int maxMessageBytes() {
        return gateway.model().limits().maxMessageBytes();
    }

    @Override
    public GatewayConnection connect(Transport transport, Map<String, String> pathParameters, TransportSettings settings) {
        return new HostedConnection(gateway, gateway.connection(transport, pathParameters, settings.closeTimeoutMs()));
    }

    private record HostedConnection(GatewayRuntime gateway, Connection connection) implements GatewayConnection {

        @Override
        public void open(Identity handshakeIdentity, Map<String, List<String>> query) {
            gateway.open(connection, handshakeIdentity, query);
        }

        @Override
        public void text(String text) {
            gateway.text(connection, text);
        }

        @Override
        public void binary(int size) {
            gateway.binary(connection, size);
        }

        @Override
        public void tooBig() {
            connection.closeWith(CloseCodes.TOO_BIG, "message too big");
        }

        @Override
        public void frameArrived() {
            connection.touch();
        }

        @Override
        public void closed(int code, String reason) {
            gateway.closed(connection, code, reason);
        }

        @Override
        public void failed(Throwable error) {
            gateway.failed(connection, error);
        }
    }
}
