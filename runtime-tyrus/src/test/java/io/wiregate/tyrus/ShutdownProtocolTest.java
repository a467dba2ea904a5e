package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.hasId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.CloseStatus;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.Wire;

/**
 * docs/protocol.md section 6, close code 1001: {@code server.close()} closes every client of every gateway with 1001,
 * announcing it with a {@code disconnect} whose code is 1001 where it can. Each test runs its own server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownProtocolTest {

    /** Close statuses {@code @OnClose} saw. */
    static final List<Integer> CLOSED_WITH = new CopyOnWriteArrayList<>();

    /** Without authentication. */
    @Gateway(value = "/open", heartbeatTimeoutMs = 0)
    public static class OpenGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnClose
        void closed(CloseStatus status) {
            CLOSED_WITH.add(status.code());
        }
    }

    /** In-band authentication. */
    @Gateway(value = "/login", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, authTimeoutMs = 30000)
    public static class LoginGateway {
        @Authenticate
        Identity authenticate(InBandAuthProtocolTest.Credentials credentials) {
            return InBandAuthProtocolTest.identityOf(credentials);
        }
    }

    private StandaloneRuntime.Server server;
    private Clients clients;

    @BeforeEach
    void startServer() {
        CLOSED_WITH.clear();
        server = Servers.start(OpenGateway.class, LoginGateway.class);
        clients = new Clients(server);
    }

    @AfterEach
    void stopServer() {
        clients.close();
        server.close();
    }

    @Test
    void closingTheServerClosesEveryClientWith1001() {
        RawWebSocket a = clients.connected("/open");
        RawWebSocket b = clients.connected("/open");
        RawWebSocket authenticated = clients.open("/login");
        authenticated.authenticate("{'token':'good-rita'}");
        authenticated.next(hasId("auth"));
        RawWebSocket unauthenticated = clients.open("/login");
        unauthenticated.sync();

        server.close();

        for (RawWebSocket c : List.of(a, b, authenticated, unauthenticated)) {
            assertThat(c.awaitClose(Duration.ofSeconds(5))).isEqualTo(1001);
            assertDisconnectIsLastAndCarries1001(c);
        }
    }

    /**
     * Repeated on fresh servers: a shutdown that loses the close of a connection shows only now and then.
     */
    @Test
    void onCloseSeesTheShutdownStatusOnEveryShutdown() {
        server.close();
        for (int round = 0; round < 40; round++) {
            CLOSED_WITH.clear();
            try (StandaloneRuntime.Server fresh = Servers.start(OpenGateway.class);
                 RawWebSocket client = RawWebSocket.connect(URI.create(fresh.uri() + "/open"))) {
                client.next(Wire.isEvent("connected"));
                fresh.close();
                assertThat(client.awaitClose()).isEqualTo(1001);
                int r = round;
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(CLOSED_WITH).as("@OnClose statuses in round %d", r).containsExactly(1001));
            }
        }
    }

    @Test
    void closingTheServerIsIdempotentAndRefusesNewConnections() {
        RawWebSocket a = clients.connected("/open");
        server.close();
        server.close();
        assertThat(a.awaitClose()).isEqualTo(1001);
        assertThatThrownBy(() -> RawWebSocket.connect(URI.create(server.uri() + "/open")))
                .as("the connection or the upgrade fails").isInstanceOfAny(UncheckedIOException.class, AssertionError.class);
    }

    @Test
    void clientBusySendingIsClosedWith1001Too() {
        RawWebSocket busy = clients.connected("/open");
        for (int i = 0; i < 50; i++) {
            busy.send("{'event':'echo','data':" + i + "}");
        }
        server.close();
        assertThat(busy.awaitClose()).isEqualTo(1001);
        assertDisconnectIsLastAndCarries1001(busy);
    }

    private static void assertDisconnectIsLastAndCarries1001(RawWebSocket c) {
        List<JsonObject> received = c.received();
        List<JsonObject> disconnects = received.stream().filter(Wire.isEvent("disconnect")).toList();
        assertThat(disconnects).hasSizeLessThanOrEqualTo(1);
        if (!disconnects.isEmpty()) {
            JsonObject last = received.get(received.size() - 1);
            assertThat(event(last)).as("nothing follows the disconnect").isEqualTo("disconnect");
            assertThat(data(last).asJsonObject().getInt("code")).isEqualTo(1001);
        }
    }
}
