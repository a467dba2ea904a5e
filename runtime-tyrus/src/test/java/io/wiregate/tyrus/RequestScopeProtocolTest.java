package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.Auth;
import io.wiregate.Authenticator;
import io.wiregate.Chain;
import io.wiregate.CloseStatus;
import io.wiregate.ConnectionInterceptor;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.OnEvent;
import io.wiregate.OnOpen;
import io.wiregate.Packet;
import io.wiregate.PacketInterceptor;
import io.wiregate.Peer;
import io.wiregate.RoomGuard;
import io.wiregate.testing.RawWebSocket;

/**
 * Application beans called by Wiregate run with the request context active, one request scope per unit of
 * work: an opening (connection interceptors' {@code enter}, {@code @OnOpen}), each inbound frame (packet
 * interceptors, authenticator beans, room guards, the handler) and a close ({@code exit}, {@code @OnClose}).
 * A {@code @RequestScoped} bean outside an active context would throw, which the client would see as 4003,
 * {@code internal} or a refused join.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestScopeProtocolTest {

    /** What the beans below saw, in order: each entry names the step and the scratch value it read. */
    static final BlockingQueue<String> STEPS = new LinkedBlockingQueue<>();

    /** One per request scope: counts the steps of Wiregate's that touched it. */
    @RequestScoped
    public static class Scratch {
        private int touches;

        int touch() {
            return ++touches;
        }
    }

    @Gateway(value = "/scoped", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0)
    public static class ScopedGateway {
        @Inject
        Scratch scratch;

        @OnOpen
        void open(Peer peer) {
            STEPS.add("onOpen " + scratch.touch());
        }

        @OnEvent("touches")
        @Emit("touches")
        int touches() {
            return scratch.touch();
        }

        @OnClose
        void close(Peer peer, CloseStatus status) {
            STEPS.add("onClose " + scratch.touch());
        }
    }

    /** {@code {"token": "ok-USER"}} authenticates as USER. */
    @ApplicationScoped
    public static class ScopedAuthenticator implements Authenticator {
        @Inject
        Scratch scratch;

        @Override
        public Identity authenticate(JsonValue credentials, Peer peer) {
            STEPS.add("authenticate " + scratch.touch());
            return credentials instanceof JsonObject o && o.get("token") instanceof JsonString t
                    && t.getString().startsWith("ok-") ? Identity.of(t.getString().substring(3)) : null;
        }
    }

    @ApplicationScoped
    public static class ScopedPackets implements PacketInterceptor {
        @Inject
        Scratch scratch;

        @Override
        public void onPacket(Packet packet, Chain chain) throws Exception {
            STEPS.add("packet " + packet.event() + " " + scratch.touch());
            chain.proceed();
        }
    }

    @ApplicationScoped
    public static class ScopedGuard implements RoomGuard {
        @Inject
        Scratch scratch;

        @Override
        public boolean mayJoin(Peer peer, String room) {
            STEPS.add("mayJoin " + scratch.touch());
            return true;
        }
    }

    @ApplicationScoped
    public static class ScopedConnections implements ConnectionInterceptor {
        @Inject
        Scratch scratch;

        @Override
        public void enter(Peer peer, Chain chain) throws Exception {
            STEPS.add("enter " + scratch.touch());
            chain.proceed();
        }

        @Override
        public void exit(Peer peer, CloseStatus status, Chain chain) throws Exception {
            STEPS.add("exit " + scratch.touch());
            chain.proceed();
        }
    }

    @Test
    void everyBeanWiregateCallsSharesOneRequestScopePerOpeningFrameAndClose() throws InterruptedException {
        STEPS.clear();
        try (StandaloneRuntime.Server server = Servers.start(ScopedGateway.class, Scratch.class, ScopedAuthenticator.class,
                ScopedPackets.class, ScopedGuard.class, ScopedConnections.class)) {
            try (RawWebSocket client = RawWebSocket.connect(URI.create(server.uri() + "/scoped"))) {
                assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("enter 1"); // the opening's own scope

                // One frame: the authenticator (1), then @OnOpen (2), run on it (packet interceptors see
                // the frames of authenticated clients only).
                client.send("authenticate", Json.createObjectBuilder().add("token", "ok-ann").build(), null);
                assertThat(client.next(isEvent("connected"))).isNotNull();
                assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("authenticate 1");
                assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("onOpen 2");

                // Each frame starts afresh: the packet interceptor (1), then the handler (2), twice.
                for (int id = 1; id <= 2; id++) {
                    client.send("{'event':'touches','id':" + id + "}");
                    assertThat(client.next(isEvent("touches")).getInt("data")).isEqualTo(2);
                    assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("packet touches 1");
                }

                client.send("{'event':'join','data':{'rooms':['lobby']},'id':'j'}");
                assertThat(data(client.next(isEvent("joined"))).asJsonObject().getJsonArray("rooms")).hasSize(1);
                assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("packet join 1");
                assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("mayJoin 2");
            }
            // The close: exit (1), then @OnClose (2), in a scope of their own.
            assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("exit 1");
            assertThat(STEPS.poll(10, TimeUnit.SECONDS)).isEqualTo("onClose 2");
        }
    }
}
