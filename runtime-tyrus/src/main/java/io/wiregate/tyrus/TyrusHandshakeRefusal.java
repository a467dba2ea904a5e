package io.wiregate.tyrus;

import jakarta.websocket.HandshakeResponse;

import org.glassfish.tyrus.core.HandshakeException;

import io.wiregate.cdi.endpoint.HandshakeRefusal;

/**
 * Refuses a handshake on Tyrus with a real HTTP status: Tyrus turns a {@link HandshakeException} that leaves
 * {@code modifyHandshake} into a response with that status, before any upgrade.
 */
public final class TyrusHandshakeRefusal implements HandshakeRefusal {

    @Override
    public boolean refuse(int status, String reason, HandshakeResponse response) {
        throw TyrusHandshakeRefusal.<RuntimeException>sneaky(new HandshakeException(status, reason));
    }

    /** Throws a checked exception through a method that cannot declare it (the Jakarta configurator's). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
