package io.wiregate.cdi;

/** What Wiregate passes for one parameter of a handler or callback. */
enum ParamKind {
    /** The frame's {@code data}, bound with JSON-B to the parameter's type. */
    PAYLOAD,
    /** The {@link io.wiregate.Peer} of the connection. */
    PEER,
    /** The {@link io.wiregate.CloseStatus} of a closed connection ({@code @OnClose} only). */
    CLOSE_STATUS,
    /** The {@link io.wiregate.HandshakeRequest} (the authenticator of an {@code Auth.HANDSHAKE} gateway). */
    HANDSHAKE
}
