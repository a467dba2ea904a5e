package io.wiregate;

import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * The encryption handshake of gateways with {@link Gateway#encryption()} (docs/protocol.md section 12). Wiregate has a
 * ready one on the JDK alone (ECDH P-256, HKDF-SHA256, AES-256-GCM, as the protocol describes); an application bean of
 * this type replaces it, for example to keep the server's keys in an HSM. Implementations must be thread-safe.
 */
public interface EncryptionHandshake {

    /**
     * Starts the sealed channel of one connection from the public key its client sent in {@code authenticate}.
     *
     * @param clientPublicKey the {@code publicKey} of the client's {@code authenticate}, as sent (untrusted)
     * @return the connection's side of the channel
     * @throws GeneralSecurityException if the key is not acceptable: the connection is closed with 4004
     */
    Channel accept(String clientPublicKey) throws GeneralSecurityException;

    /** One connection's side of a sealed channel. Wiregate calls {@link #seal} in the order the frames are sent. */
    interface Channel {

        /** What {@code connected} carries as {@code encryption}: names and string values (the server's key, a salt). */
        Map<String, String> connectedFields();

        /** Seals the text of the next frame sent to the client. */
        String seal(String frame);

        /**
         * Opens the next frame the client sent.
         *
         * @throws GeneralSecurityException if it is not the next sealed frame of this channel: the connection is
         *                                  closed with 4004
         */
        String open(String frame) throws GeneralSecurityException;
    }
}
