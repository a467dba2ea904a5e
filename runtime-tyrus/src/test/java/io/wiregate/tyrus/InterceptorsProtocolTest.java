package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.errorCode;
import static io.wiregate.testing.Wire.errorMessage;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static io.wiregate.testing.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Chain;
import io.wiregate.CloseStatus;
import io.wiregate.ConnectionInterceptor;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.GatewayBinding;
import io.wiregate.OnEvent;
import io.wiregate.Packet;
import io.wiregate.PacketInterceptor;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;

/**
 * Connection and packet interceptors as clients see them: {@code @Priority} order, refusals (close 1008,
 * {@code forbidden}), failures ({@code internal}, close 1011, nothing leaked, nobody else affected), payload
 * rewriting, and {@link GatewayBinding} scoping.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterceptorsProtocolTest {

    // ------------------------------------------------------------------ bindings

    /** Interceptors for the audited gateway. */
    @GatewayBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Audited {
    }

    /** A connection interceptor that refuses. */
    @GatewayBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Bounced {
    }

    /** A connection interceptor that throws. */
    @GatewayBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Explosive {
    }

    // ------------------------------------------------------------------ what interceptors record

    /** Each connection's interceptor calls, by client id, in call order. */
    static final Map<String, List<String>> CALLS = new ConcurrentHashMap<>();
    /** Events seen by {@link PacketLog}, by client id. */
    static final Map<String, List<String>> PACKETS = new ConcurrentHashMap<>();
    /** Client ids of connections the {@link Bouncer} and the {@link Exploder} saw, in order. */
    static final BlockingQueue<String> REFUSED_IDS = new LinkedBlockingQueue<>();
    /** Close statuses seen on exit, by client id. */
    static final Map<String, CloseStatus> EXITS = new ConcurrentHashMap<>();

    static void record(Peer peer, String call) {
        CALLS.computeIfAbsent(peer.id(), k -> new CopyOnWriteArrayList<>()).add(call);
    }

    /** Records enter/exit before and after proceeding. */
    abstract static class Recording implements ConnectionInterceptor {
        private final String name = getClass().getSimpleName().replaceAll("\\$.*", "");

        @Override
        public void enter(Peer peer, Chain chain) throws Exception {
            record(peer, name + ".enter>");
            chain.proceed();
            record(peer, name + ".enter<");
        }

        @Override
        public void exit(Peer peer, CloseStatus status, Chain chain) throws Exception {
            record(peer, name + ".exit>");
            chain.proceed();
            record(peer, name + ".exit<");
        }
    }

    /** First by priority, last by name. */
    @Audited
    @Priority(10)
    @ApplicationScoped
    public static class Zeta extends Recording {
    }

    /** Second by priority, first by name. */
    @Audited
    @Priority(20)
    @ApplicationScoped
    public static class Alpha extends Recording {
    }

    /** Without {@code @Priority}: 5000. */
    @Audited
    @ApplicationScoped
    public static class Unprioritized extends Recording {
    }

    /** No binding: applies to every gateway; runs after the 5000 default. */
    @Priority(6000)
    @ApplicationScoped
    public static class Global extends Recording {
        @Override
        public void exit(Peer peer, CloseStatus status, Chain chain) throws Exception {
            EXITS.put(peer.id(), status);
            super.exit(peer, status, chain);
        }
    }

    /** Never proceeds: refuses the connection. */
    @Bounced
    @Priority(1)
    @ApplicationScoped
    public static class Bouncer implements ConnectionInterceptor {
        @Override
        public void enter(Peer peer, Chain chain) {
            record(peer, "Bouncer.enter");
            REFUSED_IDS.add(peer.id());
        }

        @Override
        public void exit(Peer peer, CloseStatus status, Chain chain) throws Exception {
            record(peer, "Bouncer.exit");
            chain.proceed();
        }
    }

    /** Throws on enter. */
    @Explosive
    @Priority(1)
    @ApplicationScoped
    public static class Exploder implements ConnectionInterceptor {
        @Override
        public void enter(Peer peer, Chain chain) {
            REFUSED_IDS.add(peer.id());
            throw new IllegalStateException("SECRET-ENTER-DETAIL");
        }
    }

    /** Refuses {@code secret} events and joins of {@code vault}. */
    @Audited
    @Priority(100)
    @ApplicationScoped
    public static class Censor implements PacketInterceptor {
        @Override
        public void onPacket(Packet packet, Chain chain) throws Exception {
            if (packet.event().equals("secret")) {
                packet.refuse("secrets are not allowed");
                return;
            }
            if (packet.event().equals("join") && packet.data().toString().contains("vault")) {
                packet.refuse("the vault is closed");
                return;
            }
            chain.proceed();
        }
    }

    /** Throws on {@code explode}. */
    @Audited
    @Priority(150)
    @ApplicationScoped
    public static class Thrower implements PacketInterceptor {
        @Override
        public void onPacket(Packet packet, Chain chain) throws Exception {
            if (packet.event().equals("explode")) {
                throw new IllegalStateException("SECRET-PACKET-DETAIL");
            }
            chain.proceed();
        }
    }

    /** Upper-cases string payloads of {@code echo}. */
    @Audited
    @Priority(200)
    @ApplicationScoped
    public static class Upcaser implements PacketInterceptor {
        @Override
        public void onPacket(Packet packet, Chain chain) throws Exception {
            if (packet.event().equals("echo") && packet.data() instanceof JsonString s) {
                packet.data(Json.createValue(s.getString().toUpperCase()));
            }
            chain.proceed();
        }
    }

    /** Wraps payloads of {@code echo} in {@code {"seen": ...}}: runs after {@link Upcaser}. */
    @Audited
    @Priority(300)
    @ApplicationScoped
    public static class Wrapper implements PacketInterceptor {
        @Override
        public void onPacket(Packet packet, Chain chain) throws Exception {
            if (packet.event().equals("echo")) {
                packet.data(Json.createObjectBuilder().add("seen", packet.data()).build());
            }
            chain.proceed();
        }
    }

    /** Records the events it sees. */
    @Audited
    @Priority(400)
    @ApplicationScoped
    public static class PacketLog implements PacketInterceptor {
        @Override
        public void onPacket(Packet packet, Chain chain) throws Exception {
            PACKETS.computeIfAbsent(packet.peer().id(), k -> new CopyOnWriteArrayList<>()).add(packet.event());
            chain.proceed();
        }
    }

    // ------------------------------------------------------------------ gateways

    /** Carries {@link Audited}: every interceptor above except the bouncer and the exploder applies. */
    @Audited
    @Gateway(value = "/audited", heartbeatTimeoutMs = 0)
    public static class AuditedGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("secret")
        @Emit("secret")
        String secret() {
            return "leaked";
        }

        @OnEvent("explode")
        @Emit("explode")
        String explode() {
            return "handler reached";
        }
    }

    /** No binding: only {@link Global} applies. */
    @Gateway(value = "/plain", heartbeatTimeoutMs = 0)
    public static class PlainGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("secret")
        @Emit("secret")
        String secret() {
            return "not secret here";
        }
    }

    /** Its connections are refused. */
    @Bounced
    @Gateway(value = "/bounced", heartbeatTimeoutMs = 0)
    public static class BouncedGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** Its connection interceptor throws. */
    @Explosive
    @Gateway(value = "/explosive", heartbeatTimeoutMs = 0)
    public static class ExplosiveGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(
            AuditedGateway.class, PlainGateway.class, BouncedGateway.class, ExplosiveGateway.class,
            Zeta.class, Alpha.class, Unprioritized.class, Global.class, Bouncer.class, Exploder.class,
            Censor.class, Thrower.class, Upcaser.class, Wrapper.class, PacketLog.class);

    // ------------------------------------------------------------------ connection interceptors

    @Test
    void connectionInterceptorsEnterAndExitInPriorityOrderAroundTheConnection() {
        RawWebSocket client = server.open("/audited");
        String id = clientId(client);
        assertThat(CALLS.get(id)).containsExactly(
                "Zeta.enter>", "Alpha.enter>", "Unprioritized.enter>", "Global.enter>",
                "Global.enter<", "Unprioritized.enter<", "Alpha.enter<", "Zeta.enter<");

        client.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> CALLS.get(id).size() == 16);
        assertThat(CALLS.get(id).subList(8, 16)).containsExactly(
                "Zeta.exit>", "Alpha.exit>", "Unprioritized.exit>", "Global.exit>",
                "Global.exit<", "Unprioritized.exit<", "Alpha.exit<", "Zeta.exit<");
        assertThat(EXITS.get(id).code()).isEqualTo(1000);
    }

    @Test
    void connectionInterceptorsWithABindingApplyOnlyToGatewaysCarryingIt() {
        RawWebSocket client = server.open("/plain");
        String id = clientId(client);
        assertThat(CALLS.get(id)).containsExactly("Global.enter>", "Global.enter<");
    }

    @Test
    void connectionInterceptorThatDoesNotProceedClosesTheConnectionWith1008BeforeConnected() {
        RawWebSocket client = server.open("/bounced");
        assertThat(client.awaitClose()).isEqualTo(1008);
        assertThat(client.received()).noneMatch(isEvent("connected"));
        List<JsonObject> disconnects = client.received().stream().filter(isEvent("disconnect")).toList();
        assertThat(client.received()).hasSameSizeAs(disconnects);
        disconnects.forEach(d -> assertThat(data(d).asJsonObject().getInt("code")).isEqualTo(1008));
    }

    @Test
    void exitRunsForAConnectionThatEnterRefused() throws InterruptedException {
        REFUSED_IDS.clear();
        RawWebSocket client = server.open("/bounced");
        assertThat(client.awaitClose()).isEqualTo(1008);
        String id = REFUSED_IDS.poll(5, TimeUnit.SECONDS);
        assertThat(id).isNotNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(CALLS.get(id)).as("calls of the refused connection").contains("Bouncer.exit"));
        assertThat(EXITS.get(id).code()).isEqualTo(1008);
    }

    @Test
    void exitRunsForAConnectionWhoseEnterThrew() throws InterruptedException {
        REFUSED_IDS.clear();
        RawWebSocket client = server.open("/explosive");
        assertThat(client.awaitClose()).isEqualTo(1011);
        String id = REFUSED_IDS.poll(5, TimeUnit.SECONDS);
        assertThat(id).isNotNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(CALLS.get(id)).as("calls of the failed connection").contains("Global.exit>"));
    }

    @Test
    void connectionInterceptorThatThrowsClosesWith1011AndLeaksNothing() {
        RawWebSocket bystander = server.connected("/audited");
        RawWebSocket client = server.open("/explosive");
        assertThat(client.awaitClose()).isEqualTo(1011);
        assertThat(client.received()).noneMatch(isEvent("connected"));
        assertThat(client.receivedText()).noneMatch(t -> t.contains("SECRET") || t.contains("Exception"));
        assertThat(client.closeReason()).doesNotContain("SECRET", "Exception");
        assertAlive(bystander);
    }

    // ------------------------------------------------------------------ packet interceptors

    @Test
    void packetInterceptorsTransformThePayloadInPriorityOrder() {
        RawWebSocket client = server.connected("/audited");
        client.send("{'event':'echo','data':'hello','id':'t'}");
        assertThat(client.next(hasId("t"))).isEqualTo(obj("{'event':'echo','data':{'seen':'HELLO'},'id':'t'}"));
    }

    @Test
    void packetInterceptorRefusalIsAnsweredWithForbiddenAndTheHandlerDoesNotRun() {
        RawWebSocket client = server.connected("/audited");
        client.send("{'event':'secret','id':'s'}");
        JsonObject error = client.next(hasId("s"));
        assertThat(event(error)).isEqualTo("error");
        assertThat(errorCode(error)).isEqualTo("forbidden");
        assertThat(errorMessage(error)).isEqualTo("secrets are not allowed");
        assertThat(client.sync()).isEmpty();
        assertThat(client.received()).noneMatch(isEvent("secret"));
        assertAlive(client);
    }

    @Test
    void packetInterceptorRefusalWithoutIdIsStillAnsweredWithForbidden() {
        RawWebSocket client = server.connected("/audited");
        client.send("{'event':'secret'}");
        JsonObject error = client.next();
        assertThat(errorCode(error)).isEqualTo("forbidden");
        assertThat(error.containsKey("id")).isFalse();
    }

    @Test
    void packetInterceptorsSeeJoinAndCanRefuseIt() {
        RawWebSocket client = server.connected("/audited");
        client.send("{'event':'join','data':{'rooms':['vault']},'id':'j'}");
        assertThat(errorCode(client.next(hasId("j")))).isEqualTo("forbidden");
        client.send("{'event':'join','data':{'rooms':['hall']},'id':'j2'}");
        assertThat(event(client.next(hasId("j2")))).isEqualTo("joined");
    }

    @Test
    void packetInterceptorsSeeApplicationEventsJoinAndLeaveButNotHeartbeats() {
        RawWebSocket client = server.open("/audited");
        String id = clientId(client);
        client.send("{'event':'heartbeat','id':'h'}");
        client.next(hasId("h"));
        client.send("{'event':'join','data':{'rooms':['x']},'id':'j'}");
        client.next(hasId("j"));
        client.send("{'event':'leave','data':{'rooms':['x']},'id':'l'}");
        client.next(hasId("l"));
        client.send("{'event':'echo','data':1,'id':'e'}");
        client.next(hasId("e"));
        assertThat(PACKETS.get(id)).containsExactly("join", "leave", "echo");
    }

    @Test
    void packetInterceptorThatThrowsGivesInternalLeaksNothingAndAffectsNoOtherClient() {
        RawWebSocket client = server.connected("/audited");
        RawWebSocket other = server.connected("/audited");
        RawWebSocket plain = server.connected("/plain");

        client.send("{'event':'explode','id':'x'}");
        JsonObject error = client.next(hasId("x"));
        assertThat(errorCode(error)).isEqualTo("internal");
        assertThat(client.receivedText()).noneMatch(t -> t.contains("SECRET") || t.contains("Exception")
                || t.contains("handler reached"));

        assertThat(other.sync()).isEmpty();
        EnvelopeProtocolTest.assertEchoWorks(plain);
        other.send("{'event':'echo','data':'fine','id':'o'}");
        assertThat(other.next(hasId("o"))).isEqualTo(obj("{'event':'echo','data':{'seen':'FINE'},'id':'o'}"));
        client.send("{'event':'echo','data':'again','id':'a'}");
        assertThat(client.next(hasId("a"))).isEqualTo(obj("{'event':'echo','data':{'seen':'AGAIN'},'id':'a'}"));
    }

    @Test
    void packetInterceptorsWithABindingApplyOnlyToGatewaysCarryingIt() {
        RawWebSocket client = server.connected("/plain");
        client.send("{'event':'echo','data':'hello','id':'p'}");
        assertThat(client.next(hasId("p"))).isEqualTo(obj("{'event':'echo','data':'hello','id':'p'}"));
        client.send("{'event':'secret','id':'s'}");
        assertThat(client.next(hasId("s"))).isEqualTo(obj("{'event':'secret','data':'not secret here','id':'s'}"));
    }

    // ------------------------------------------------------------------ helpers

    private static String clientId(RawWebSocket client) {
        return data(client.next(isEvent("connected"))).asJsonObject().getString("id");
    }

    /** A heartbeat with an id is acknowledged: the connection is open and answering. */
    private static void assertAlive(RawWebSocket client) {
        String id = "alive-" + System.nanoTime();
        client.send("{'event':'heartbeat','id':'" + id + "'}");
        assertThat(client.next(hasId(id))).isEqualTo(obj("{'event':'ack','id':'" + id + "'}"));
    }
}
