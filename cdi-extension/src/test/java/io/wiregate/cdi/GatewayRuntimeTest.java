package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.CloseStatus;
import io.wiregate.ConnectionInterceptor;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.OnOpen;
import io.wiregate.Peer;
import io.wiregate.cdi.transport.FakeAsyncRemote;
import io.wiregate.cdi.transport.FakeSession;
import io.wiregate.cdi.transport.FakeTransport;
import io.wiregate.protocol.EnvelopeParser;

/**
 * A gateway's connections from open to close without a container: its callbacks, interceptors and timers, with
 * each connection's frames read off a fake transport.
 */
class GatewayRuntimeTest {

    @Gateway(value = "/runtime", heartbeatTimeoutMs = 300, pingIntervalMs = 0, defaultRooms = "lobby")
    public static class Lifecycle {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @OnOpen
        void opened(Peer peer) {
            calls.add("open " + peer.id());
            peer.emit("welcome", "hi");
            peer.join("extra");
        }

        @OnClose
        void closed(Peer peer, CloseStatus status) {
            calls.add("close " + peer.id() + " " + status.code());
        }
    }

    @Gateway(value = "/runtime-auth", auth = Auth.MESSAGE, authTimeoutMs = 100, heartbeatTimeoutMs = 0)
    public static class InBand {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Authenticate
        Identity authenticate(String token) {
            return null;
        }

        @OnClose
        void closed(Peer peer) {
            calls.add("close");
        }
    }

    @Gateway(value = "/runtime-handshake", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0)
    public static class Handshake {
        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            return "secret".equals(request.queryParameter("token")) ? Identity.of("ada") : null;
        }
    }

    @Gateway(value = "/runtime-ping", heartbeatTimeoutMs = 0, pingIntervalMs = 50)
    public static class Pinged {
    }

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ClientRegistry registry = new ClientRegistry();
    private final Jsonb jsonb = JsonbBuilder.create();

    @AfterEach
    void stop() throws Exception {
        timers.shutdownNow();
        jsonb.close();
    }

    private GatewayRuntime runtime(Object gateway, List<ConnectionInterceptor> interceptors) {
        Invoker invoker = (method, args) -> {
            try {
                return method.invoke(gateway, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return new GatewayRuntime(new GatewayModelBuilder().build(gateway.getClass()).model(), registry,
                new EnvelopeParser(), new PayloadBinder(jsonb), new PayloadValidator(null), invoker, gateway,
                delivery -> { }, timers, new Interceptors(interceptors, List.of(), List.of(), List.of()), Runnable::run);
    }

    private static Session session() {
        return new FakeSession("s", FakeAsyncRemote.inline()).session();
    }

    @Test
    void anOpenedConnectionGetsConnectedThenWhatItsOpenCallbacksSent() {
        Lifecycle gateway = new Lifecycle();
        GatewayRuntime runtime = runtime(gateway, List.of());
        FakeTransport transport = FakeTransport.inline();
        Connection c = runtime.connection(transport, Map.of(), 1000);

        runtime.open(c, session(), null);

        assertThat(gateway.calls).containsExactly("open " + c.id());
        assertThat(transport.written()).hasSize(2);
        assertThat(transport.written().get(0)).startsWith("{\"event\":\"connected\"").contains("\"lobby\"");
        assertThat(transport.written().get(1)).isEqualTo("{\"event\":\"welcome\",\"data\":\"hi\"}");
        assertThat(registry.client(c.id())).isSameAs(c);
        assertThat(c.rooms()).containsExactlyInAnyOrder(c.id(), "lobby", "extra");
    }

    @Test
    void aClosedConnectionRunsItsCloseCallbackAndIsForgotten() {
        Lifecycle gateway = new Lifecycle();
        GatewayRuntime runtime = runtime(gateway, List.of());
        Connection c = runtime.connection(FakeTransport.inline(), Map.of(), 1000);
        runtime.open(c, session(), null);

        runtime.closed(c, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "bye"));
        runtime.closed(c, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "twice"));

        assertThat(gateway.calls).containsExactly("open " + c.id(), "close " + c.id() + " 1001");
        assertThat(registry.size()).isZero();
        assertThat(registry.room("lobby")).isEmpty();
    }

    @Test
    void aConnectionInterceptorRefusingCloses1008AndNoCallbackRuns() {
        Lifecycle gateway = new Lifecycle();
        List<String> exits = new CopyOnWriteArrayList<>();
        ConnectionInterceptor refuse = new ConnectionInterceptor() {
            @Override
            public void enter(Peer peer, io.wiregate.Chain chain) {
                // does not proceed: refused
            }

            @Override
            public void exit(Peer peer, CloseStatus status, io.wiregate.Chain chain) {
                exits.add(peer.id());
            }
        };
        GatewayRuntime runtime = runtime(gateway, List.of(refuse));
        FakeTransport transport = FakeTransport.inline();
        Connection c = runtime.connection(transport, Map.of(), 1000);

        runtime.open(c, session(), null);
        runtime.closed(c, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "connection refused"));

        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(1008, "connection refused"));
        assertThat(gateway.calls).isEmpty();
        assertThat(exits).containsExactly(c.id());
    }

    @Test
    void aSilentConnectionIsClosedWith4002AfterTheHeartbeatTimeout() {
        GatewayRuntime runtime = runtime(new Lifecycle(), List.of());
        FakeTransport transport = FakeTransport.inline();
        Connection c = runtime.connection(transport, Map.of(), 1000);

        runtime.open(c, session(), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> !transport.closes().isEmpty());
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(4002, "heartbeat timeout"));
    }

    @Test
    void aClientThatNeverAuthenticatesIsClosedWith4001AndNeverSawConnected() {
        InBand gateway = new InBand();
        GatewayRuntime runtime = runtime(gateway, List.of());
        FakeTransport transport = FakeTransport.inline();
        Connection c = runtime.connection(transport, Map.of(), 1000);

        runtime.open(c, session(), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> !transport.closes().isEmpty());
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(4001, "authentication timeout"));
        assertThat(transport.written()).noneMatch(f -> f.contains("\"connected\""));
        runtime.closed(c, new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "authentication timeout"));
        assertThat(gateway.calls).as("@OnClose pairs with @OnOpen, which never ran").isEmpty();
    }

    @Test
    void aSilentConnectionIsPingedEveryInterval() {
        GatewayRuntime runtime = runtime(new Pinged(), List.of());
        FakeTransport transport = FakeTransport.inline();
        Connection c = runtime.connection(transport, Map.of(), 1000);

        runtime.open(c, session(), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> transport.written().stream().filter("<ping>"::equals).count() >= 2);
    }

    @Test
    void theHandshakeAuthenticatorGetsTheUpgradeRequest() {
        GatewayRuntime runtime = runtime(new Handshake(), List.of());

        Identity admitted = runtime.authenticateHandshake(request("secret"));
        Identity refused = runtime.authenticateHandshake(request("guess"));

        assertThat(admitted.userId()).isEqualTo("ada");
        assertThat(refused).isNull();
    }

    private static HandshakeRequest request(String token) {
        return new HandshakeRequest() {
            @Override
            public String path() {
                return "/runtime-handshake";
            }

            @Override
            public String header(String name) {
                return null;
            }

            @Override
            public Map<String, List<String>> headers() {
                return Map.of();
            }

            @Override
            public Map<String, List<String>> queryParameters() {
                return Map.of("token", List.of(token));
            }

            @Override
            public java.security.Principal principal() {
                return null;
            }
        };
    }
}
