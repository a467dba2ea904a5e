package io.wiregate.cdi;

import java.lang.reflect.Type;
import java.util.List;

import jakarta.json.JsonValue;

import io.wiregate.CloseStatus;
import io.wiregate.HandshakeRequest;
import io.wiregate.Peer;

/**
 * The arguments of a call to a gateway's method, handler or callback alike: one value per parameter, as its
 * {@link ParamKind} says. The one place that builds them.
 *
 * @param peer      the connection, for {@link ParamKind#PEER}
 * @param data      the frame's {@code data}, bound for {@link ParamKind#PAYLOAD}, or null
 * @param status    the close status, for {@link ParamKind#CLOSE_STATUS}, or null
 * @param handshake the upgrade request, for {@link ParamKind#HANDSHAKE}, or null
 */
record Arguments(Peer peer, JsonValue data, CloseStatus status, HandshakeRequest handshake) {

    /** What a lifecycle callback of {@code peer} gets ({@code @OnOpen}, or {@code @OnClose} with its status). */
    public static Arguments ofCallback(Peer peer, CloseStatus status) {
        return new Arguments(peer, null, status, null);
    }

    /** What a handshake authenticator gets. */
    public static Arguments ofHandshake(HandshakeRequest handshake) {
        return new Arguments(null, null, null, handshake);
    }

    /** What a handler (or an in-band authenticator) of a frame from {@code peer} gets. */
    static Arguments ofFrame(Peer peer, JsonValue data) {
        return new Arguments(peer, data, null, null);
    }

    /**
     * The values for {@code params}.
     *
     * @param payloadType the type the payload parameter binds to (null if there is none)
     * @param binder      binds the payload
     * @throws BindingException if the payload does not bind to {@code payloadType}
     */
    public Object[] bind(List<ParamKind> params, Type payloadType, PayloadBinder binder) throws BindingException {
        Object[] args = new Object[params.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (params.get(i)) {
                case PEER -> peer;
                case PAYLOAD -> binder.bind(data, payloadType);
                case CLOSE_STATUS -> status;
                case HANDSHAKE -> handshake;
            };
        }
        return args;
    }
}
