package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.Broadcaster;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;

/**
 * docs/protocol.md section 4 ("deployment fails with a clear message") and the {@code @Gateway} contract: every
 * problem of a deployment is reported at once, each with its {@code WG-00xx} id, and {@code start()} throws
 * {@link IllegalStateException}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeploymentProblemsTest {

    /** A duplicate event, a reserved event name and a private handler, in one class. */
    @Gateway(value = "/broken", heartbeatTimeoutMs = 0)
    public static class BrokenGateway {

        @OnEvent("dup")
        void first() {
        }

        @OnEvent("dup")
        void second() {
        }

        @OnEvent("join")
        void join() {
        }

        @OnEvent("hidden")
        private void hidden() {
        }
    }

    /** A valid gateway on {@code /twin}. */
    @Gateway(value = "/twin", heartbeatTimeoutMs = 0)
    public static class TwinOne {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** Another gateway on {@code /twin}, with an {@code @Emit} on a void handler. */
    @Gateway(value = "/twin", name = "twin-two", heartbeatTimeoutMs = 0)
    public static class TwinTwo {
        @OnEvent("echo")
        @Emit("echo")
        void echo(JsonValue data) {
        }
    }

    /** Not a gateway. */
    public static class NotAGateway {
    }

    /** Injects a Broadcaster of a class that is not a gateway. */
    @ApplicationScoped
    public static class WrongPusher {
        @Inject
        Broadcaster<NotAGateway> push;
    }

    @Test
    void gatewayWithSeveralProblemsFailsTheStartWithEveryProblemAndItsId() {
        Throwable thrown = catchThrowable(() -> Servers.start(BrokenGateway.class).close());
        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertThat(thrown.getMessage())
                .contains("WG-0003").contains("'dup'")
                .contains("WG-0004").contains("'join'")
                .contains("WG-0006").contains("BrokenGateway#hidden");
    }

    @Test
    void problemsOfSeveralGatewaysAndInjectionPointsAreReportedTogether() {
        Throwable thrown = catchThrowable(() -> Servers.start(TwinOne.class, TwinTwo.class, WrongPusher.class).close());
        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertThat(thrown.getMessage())
                .contains("WG-0011").contains("TwinTwo#echo")
                .contains("WG-0018").contains("NotAGateway");
    }

    @Test
    void twoGatewaysOnOnePathFailTheStart() {
        Throwable thrown = catchThrowable(() -> Servers.start(TwinOne.class, TwinThree.class).close());
        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertThat(thrown.getMessage()).contains("WG-0002").contains("/twin");
    }

    /** A second valid gateway on {@code /twin}. */
    @Gateway(value = "/twin", name = "twin-three", heartbeatTimeoutMs = 0)
    public static class TwinThree {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    @Test
    void failedStartLeavesNothingBehindAndAValidDeploymentStartsAfterIt() throws IOException {
        catchThrowable(() -> Servers.start(BrokenGateway.class).close());
        try (StandaloneRuntime.Server server = Servers.start(TwinOne.class);
             RawWebSocket client = RawWebSocket.connect(URI.create(server.uri() + "/twin"))) {
            client.next(isEvent("connected"));
            EnvelopeProtocolTest.assertEchoWorks(client);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            }
        }
    }
}
