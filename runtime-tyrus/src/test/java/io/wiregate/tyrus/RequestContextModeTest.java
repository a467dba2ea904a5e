package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.testing.RawWebSocket;

/**
 * {@code wiregate.request-context}: by default ({@code auto}) the request context is activated around a frame only
 * when the application has a request-scoped bean of its own ({@link RequestScopeProtocolTest} has some); without
 * one, nothing could live in it and it stays inactive; {@code always} activates it all the same.
 */
@Timeout(60)
class RequestContextModeTest {

    /** Answers whether the request context is active while its handler runs. */
    @Gateway(value = "/context", heartbeatTimeoutMs = 0)
    public static class ContextGateway {
        @Inject
        BeanManager beanManager;

        @OnEvent("active")
        @Emit("active")
        JsonValue active(JsonValue ignored) {
            try {
                return beanManager.getContext(RequestScoped.class).isActive() ? JsonValue.TRUE : JsonValue.FALSE;
            } catch (jakarta.enterprise.context.ContextNotActiveException e) {
                return JsonValue.FALSE;
            }
        }
    }

    /** A request-scoped bean of the application's: its presence is what {@code auto} looks for. */
    @RequestScoped
    public static class Scratch {
    }

    @AfterEach
    void clearSetting() {
        System.clearProperty("wiregate.request-context");
    }

    @Test
    void withoutRequestScopedBeansTheContextIsNotActivated() {
        try (StandaloneRuntime.Server server = Servers.start(ContextGateway.class)) {
            assertThat(activeInHandler(server)).isEqualTo(JsonValue.FALSE);
        }
    }

    @Test
    void aRequestScopedBeanOfTheApplicationActivatesIt() {
        try (StandaloneRuntime.Server server = Servers.start(ContextGateway.class, Scratch.class)) {
            assertThat(activeInHandler(server)).isEqualTo(JsonValue.TRUE);
        }
    }

    @Test
    void alwaysActivatesItWithoutAny() {
        System.setProperty("wiregate.request-context", "always");
        try (StandaloneRuntime.Server server = Servers.start(ContextGateway.class)) {
            assertThat(activeInHandler(server)).isEqualTo(JsonValue.TRUE);
        }
    }

    @Test
    void anUnknownModeFailsTheStartNamingTheSetting() {
        System.setProperty("wiregate.request-context", "sometimes");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Servers.start(ContextGateway.class).close()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wiregate.request-context=sometimes");
    }

    private static JsonValue activeInHandler(StandaloneRuntime.Server server) {
        try (RawWebSocket client = RawWebSocket.connect(URI.create(server.uri() + "/context"))) {
            client.next(isEvent("connected"));
            client.send("{'event':'active','data':null}");
            return data(client.next(isEvent("active")));
        }
    }
}
