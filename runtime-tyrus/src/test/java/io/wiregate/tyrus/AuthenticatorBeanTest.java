package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.Auth;
import io.wiregate.Authenticator;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;

/** An {@code Auth.MESSAGE} gateway without an {@code @Authenticate} method uses an {@link Authenticator} bean. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthenticatorBeanTest {

    @Gateway(value = "/bean-auth", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0)
    public static class BeanAuthGateway {
        @OnEvent("whoami")
        @Emit("whoami")
        String whoami(Peer peer) {
            return peer.userId();
        }
    }

    /** {@code {"token": "good-USER"}} authenticates as USER. */
    @ApplicationScoped
    public static class TokenAuthenticator implements Authenticator {
        @Override
        public Identity authenticate(JsonValue credentials, Peer peer) {
            if (credentials instanceof JsonObject o && o.get("token") instanceof JsonString t
                    && t.getString().startsWith("good-")) {
                return Identity.of(t.getString().substring(5));
            }
            return null;
        }
    }

    @Test
    void anAuthenticatorBeanAuthenticatesAGatewayWithoutAnAuthenticateMethod() {
        try (StandaloneRuntime.Server server = Servers.start(BeanAuthGateway.class, TokenAuthenticator.class);
             RawWebSocket good = RawWebSocket.connect(URI.create(server.uri() + "/bean-auth"));
             RawWebSocket bad = RawWebSocket.connect(URI.create(server.uri() + "/bean-auth"))) {
            JsonObject connected = good.authenticate("{'token':'good-zed'}");
            assertThat(connected.getJsonObject("data").getString("userId")).isEqualTo("zed");
            good.send("{'event':'whoami','id':'w'}");
            assertThat(good.next(isEvent("whoami")).getString("data")).isEqualTo("zed");

            bad.send("{'event':'authenticate','data':{'token':'bad'}}");
            assertThat(bad.awaitClose()).isEqualTo(4003);
        }
    }

    @Test
    void aMessageGatewayWithNeitherMethodNorBeanFailsTheStartWithWg0012() {
        assertThatThrownBy(() -> Servers.start(BeanAuthGateway.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WG-0012")
                .hasMessageContaining("BeanAuthGateway");
    }
}
