package io.wiregate.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.RoomGuard;

/** The gateways the client's tests talk to, on real standalone servers ({@link TestServer}). */
final class TestGateways {

    private TestGateways() {
    }

    /** A request payload with constraints. */
    public record Person(@NotBlank String name, @Min(0) int age) {
    }

    /** The typed reply to {@code greet}. */
    public record Greeting(String text, int age) {
    }

    /** A broadcast payload. */
    public record Note(String room, String text) {
    }

    /** In-band credentials: {@code good-USER} authenticates as USER, anything else is refused (4003). */
    public record Credentials(String token) {
    }

    /** Holds the {@code slow} handler until released (at most 10 s). */
    static volatile CountDownLatch slowRelease = new CountDownLatch(0);

    /** Without authentication. */
    @Gateway(value = "/echo", heartbeatTimeoutMs = 0)
    public static class EchoGateway {

        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("greet")
        @Emit("greeting")
        Greeting greet(@Valid Person person) {
            return new Greeting("hello " + person.name(), person.age());
        }

        @OnEvent("noop")
        void noop() {
        }

        @OnEvent("slow")
        void slow() throws InterruptedException {
            slowRelease.await(10, TimeUnit.SECONDS);
        }

        @OnEvent("shout")
        @Broadcast("shouted")
        Note shout(Note note) {
            return note;
        }

        @OnEvent("say")
        @Broadcast(value = "said", roomFrom = "room", includeSender = false)
        JsonObject say(JsonObject note) {
            return note;
        }

        @OnEvent("rooms")
        @Emit("rooms")
        List<String> rooms(Peer peer) {
            return peer.rooms().stream().filter(r -> !r.equals(peer.id())).sorted().toList();
        }
    }

    /** In-band authentication. */
    @Gateway(value = "/secure", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, authTimeoutMs = 30000)
    public static class SecureGateway {

        @Authenticate
        Identity authenticate(Credentials credentials) {
            if (credentials == null || credentials.token() == null || !credentials.token().startsWith("good-")) {
                return null;
            }
            return Identity.of(credentials.token().substring(5));
        }

        @OnEvent("whoami")
        @Emit("whoami")
        Map<String, String> whoami(Peer peer) {
            return Map.of("userId", peer.userId(), "clientId", peer.id());
        }

        @OnEvent("say")
        @Broadcast(value = "said", roomFrom = "room", includeSender = false)
        JsonObject say(JsonObject note) {
            return note;
        }

        @OnEvent("rooms")
        @Emit("rooms")
        List<String> rooms(Peer peer) {
            return peer.rooms().stream().filter(r -> !r.equals(peer.id())).sorted().toList();
        }
    }

    /** A one-second heartbeat timeout and no server pings: only the client's own frames keep it open. */
    @Gateway(value = "/pulse", heartbeatTimeoutMs = 1000, pingIntervalMs = 0)
    public static class PulseGateway {

        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** Refuses every room starting with {@code private-}, on every gateway. */
    @ApplicationScoped
    public static class PrivateRooms implements RoomGuard {
        @Override
        public boolean mayJoin(Peer peer, String room) {
            return !room.startsWith("private-");
        }
    }

    /** A room delivery of {@code /recovery}: {@code item} {@code {"seq": seq}} to {@code room}. */
    public record Push(String room, int seq) {
    }

    /** Connection state recovery (docs/protocol.md section 9), in-band authentication as {@code /secure}. */
    @Gateway(value = "/recovery", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, authTimeoutMs = 30000, recovery = true,
            recoveryWindowMs = 60000)
    public static class RecoveryGateway {

        @jakarta.inject.Inject
        io.wiregate.Broadcaster<RecoveryGateway> push;

        @Authenticate
        Identity authenticate(Credentials credentials) {
            return credentials.token().startsWith("good-") ? Identity.of(credentials.token().substring(5)) : null;
        }

        @OnEvent("toRoom")
        void toRoom(Push p) {
            push.toRoom(p.room()).emit("item", Map.of("seq", p.seq()));
        }
    }

    /** Encryption (docs/protocol.md section 12), in-band authentication as {@code /secure}. */
    @Gateway(value = "/sealed", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, authTimeoutMs = 30000, encryption = true)
    public static class SealedGateway {

        @jakarta.inject.Inject
        io.wiregate.Broadcaster<SealedGateway> push;

        @Authenticate
        Identity authenticate(Credentials credentials) {
            return credentials.token().startsWith("good-") ? Identity.of(credentials.token().substring(5)) : null;
        }

        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("toRoom")
        void toRoom(Push p) {
            push.toRoom(p.room()).emit("item", Map.of("seq", p.seq()));
        }
    }

    /** Every bean class above. */
    static final Class<?>[] ALL = {EchoGateway.class, SecureGateway.class, PulseGateway.class, PrivateRooms.class,
            RecoveryGateway.class, SealedGateway.class};
}
