package io.wiregate.cdi;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Map;

import io.wiregate.EncryptionHandshake;
import io.wiregate.protocol.SealedChannel;

/**
 * The encryption handshake Wiregate uses unless the application has its own bean: docs/protocol.md section 12 on the
 * JDK alone, a fresh server key pair and salt per connection. Stateless and thread-safe.
 */
final class JdkEncryptionHandshake implements EncryptionHandshake {

    @Override
    public Channel accept(String clientPublicKey) throws GeneralSecurityException {
        ECPublicKey client = SealedChannel.decode(clientPublicKey);
        KeyPair server = SealedChannel.newKeyPair();
        String salt = SealedChannel.newSalt();
        SealedChannel channel = SealedChannel.derive(server.getPrivate(), client, salt, true);
        Map<String, String> fields = Map.of("publicKey", SealedChannel.encode((ECPublicKey) server.getPublic()), "salt", salt);
        return new Channel() {
            @Override
            public Map<String, String> connectedFields() {
                return fields;
            }

            @Override
            public String seal(String frame) {
                return channel.seal(frame);
            }

            @Override
            public String open(String frame) throws GeneralSecurityException {
                return channel.open(frame);
            }
        };
    }
}
