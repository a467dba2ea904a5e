package io.wiregate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class SealedChannelTest {

    private final KeyPair client = SealedChannel.newKeyPair();
    private final KeyPair server = SealedChannel.newKeyPair();
    private final String salt = SealedChannel.newSalt();

    private SealedChannel side(boolean isServer) throws GeneralSecurityException {
        KeyPair own = isServer ? server : client;
        KeyPair peer = isServer ? client : server;
        return SealedChannel.derive(own.getPrivate(),
                SealedChannel.decode(SealedChannel.encode((ECPublicKey) peer.getPublic())), salt, isServer);
    }

    @Test
    void eachDirectionOpensWhatTheOtherSealsInOrder() throws Exception {
        SealedChannel s = side(true);
        SealedChannel c = side(false);
        for (int i = 0; i < 3; i++) {
            assertThat(s.open(c.seal("{\"event\":\"echo\",\"data\":\"h\u00e9" + i + "\"}"))).isEqualTo("{\"event\":\"echo\",\"data\":\"h\u00e9" + i + "\"}");
            assertThat(c.open(s.seal("reply " + i))).isEqualTo("reply " + i);
        }
        String a = s.seal("same");
        String b = s.seal("same");
        assertThat(a).as("each frame its own IV").isNotEqualTo(b);
    }

    @Test
    void aFrameInTheClearTamperedReplayedOrSkippedIsRefused() throws Exception {
        SealedChannel s = side(true);
        SealedChannel c = side(false);
        assertThatThrownBy(() -> s.open("{\"event\":\"echo\"}")).isInstanceOf(GeneralSecurityException.class);
        String first = c.seal("one");
        byte[] raw = Base64.getUrlDecoder().decode(first);
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> s.open(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)))
                .hasMessageContaining("authentication");
        assertThat(s.open(first)).isEqualTo("one");
        assertThatThrownBy(() -> s.open(first)).as("replayed").hasMessageContaining("sequence");
        c.seal("two (lost)");
        assertThatThrownBy(() -> s.open(c.seal("three"))).as("one skipped").hasMessageContaining("sequence");
        assertThatThrownBy(() -> s.open("AAAA")).hasMessageContaining("short");
    }

    @Test
    void aChannelDerivedWithAnotherKeyOrSaltCannotOpen() throws Exception {
        SealedChannel c = side(false);
        SealedChannel stranger = SealedChannel.derive(SealedChannel.newKeyPair().getPrivate(),
                (ECPublicKey) client.getPublic(), salt, true);
        assertThatThrownBy(() -> stranger.open(c.seal("x"))).hasMessageContaining("authentication");
        SealedChannel otherSalt = SealedChannel.derive(server.getPrivate(), (ECPublicKey) client.getPublic(),
                SealedChannel.newSalt(), true);
        assertThatThrownBy(() -> otherSalt.open(side(false).seal("x"))).hasMessageContaining("authentication");
    }

    @Test
    void onlyAnUncompressedPointOfP256IsAKey() {
        String good = SealedChannel.encode((ECPublicKey) client.getPublic());
        assertThat(Base64.getUrlDecoder().decode(good)).hasSize(65).startsWith(4);
        byte[] offCurve = Base64.getUrlDecoder().decode(good);
        offCurve[64] ^= 1;
        for (String bad : new String[] {"", "not base64!", good.substring(0, 40),
                Base64.getUrlEncoder().withoutPadding().encodeToString(offCurve),
                Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[65])}) {
            assertThatThrownBy(() -> SealedChannel.decode(bad)).as(bad).isInstanceOf(GeneralSecurityException.class);
        }
    }
}
