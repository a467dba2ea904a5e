package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.wiregate.cdi.transport.FakeAsyncRemote;
import io.wiregate.cdi.transport.FakeSession;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.Frames;
import io.wiregate.spi.ClusterBus;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.Delivery.TargetKind;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryServiceTest {

    /** Records publications; can be made to fail. */
    static final class RecordingBus implements ClusterBus {
        final List<Delivery> published = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void start(Consumer<Delivery> receiver) {
        }

        @Override
        public void publish(Delivery delivery) {
            published.add(delivery);
            if (failing) {
                throw new IllegalStateException("bus down");
            }
        }

        @Override
        public void stop() {
        }
    }

    private static final String DATA = "{\"n\":1}";
    private static final String FRAME = Frames.event("news", DATA);

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ClientRegistry chat = new ClientRegistry();
    private final ClientRegistry other = new ClientRegistry();
    private final TestConnections chatClients = new TestConnections("/chat", chat, timers);
    private final TestConnections otherClients = new TestConnections("/other", other, timers);
    private final RecordingBus bus = new RecordingBus();
    private final DeliveryService service = new DeliveryService(Map.of("/chat", chat, "/other", other), bus);
    private final Map<Connection, FakeAsyncRemote> remotes = new java.util.HashMap<>();

    @AfterEach
    void stopTimers() throws InterruptedException {
        timers.shutdownNow();
        assertThat(timers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Connection connected(TestConnections clients, String id, String userId) {
        FakeSession session = new FakeSession(id, FakeAsyncRemote.inline());
        Connection c = clients.connected(id, userId, session, 1024);
        remotes.put(c, session.remote());
        return c;
    }

    private Connection registeredOnly(String id) {
        FakeSession session = new FakeSession(id, FakeAsyncRemote.inline());
        Connection c = chatClients.registered(id, session, 1024);
        remotes.put(c, session.remote());
        return c;
    }

    /** What a connection received apart from its {@code connected} event. */
    private List<String> received(Connection c) {
        return remotes.get(c).sent().stream().filter(f -> !f.startsWith("{\"event\":\"connected\"")).toList();
    }

    private static Delivery delivery(TargetKind kind, String namespace, String target, Set<String> exclude) {
        return new Delivery(kind, namespace, target, "news", DATA, exclude, false);
    }

    // ---- targets ----

    @Test
    void aSealedMemberGetsTheDeliverySealedForItAloneWhileOthersShareTheFrame() throws Exception {
        java.security.KeyPair clientKeys = io.wiregate.protocol.SealedChannel.newKeyPair();
        FakeSession session = new FakeSession("s", FakeAsyncRemote.inline());
        Connection sealed = chatClients.registered("s", session, 1024);
        remotes.put(sealed, session.remote());
        sealed.sealWith(new JdkEncryptionHandshake().accept(io.wiregate.protocol.SealedChannel.encode(
                (java.security.interfaces.ECPublicKey) clientKeys.getPublic())));
        assertThat(sealed.markConnected(List.of())).isTrue();
        Connection plain = connected(chatClients, "p", null);
        sealed.join("lobby");
        plain.join("lobby");

        service.deliverLocally(delivery(TargetKind.ROOM, "/chat", "lobby", null));
        sealed.send(Frames.ack("7"));

        jakarta.json.JsonObject encryption = jakarta.json.Json.createReader(new java.io.StringReader(remotes.get(sealed).sent().get(0)))
                .readObject().getJsonObject("data").getJsonObject("encryption");
        io.wiregate.protocol.SealedChannel client = io.wiregate.protocol.SealedChannel.derive(clientKeys.getPrivate(),
                io.wiregate.protocol.SealedChannel.decode(encryption.getString("publicKey")), encryption.getString("salt"), false);
        List<String> wire = received(sealed);
        assertThat(wire).hasSize(2).noneMatch(f -> f.startsWith("{"));
        assertThat(client.open(wire.get(0))).isEqualTo(FRAME);
        assertThat(client.open(wire.get(1))).isEqualTo(Frames.ack("7"));
        assertThat(received(plain)).containsExactly(FRAME);
    }

    @Test
    void roomDeliveryReachesEachConnectedMemberOnce() {
        Connection a = connected(chatClients, "a", null);
        Connection b = connected(chatClients, "b", null);
        Connection c = connected(chatClients, "c", null);
        a.join("lobby");
        b.join("lobby");

        int n = service.deliverLocally(delivery(TargetKind.ROOM, "/chat", "lobby", null));

        assertThat(n).isEqualTo(2);
        assertThat(received(a)).containsExactly(FRAME);
        assertThat(received(b)).containsExactly(FRAME);
        assertThat(received(c)).isEmpty();
    }

    @Test
    void userDeliveryReachesEverySessionOfTheUserOnce() {
        Connection a1 = connected(chatClients, "a1", "alice");
        Connection a2 = connected(chatClients, "a2", "alice");
        Connection b = connected(chatClients, "b", "bob");
        Connection anonymous = connected(chatClients, "x", null);

        int n = service.deliverLocally(delivery(TargetKind.USER, "/chat", "alice", null));

        assertThat(n).isEqualTo(2);
        assertThat(received(a1)).containsExactly(FRAME);
        assertThat(received(a2)).containsExactly(FRAME);
        assertThat(received(b)).isEmpty();
        assertThat(received(anonymous)).isEmpty();
    }

    @Test
    void broadcastReachesEveryConnectedClientOfTheNamespaceOnly() {
        Connection a = connected(chatClients, "a", null);
        Connection b = connected(chatClients, "b", "bob");
        Connection elsewhere = connected(otherClients, "o", null);
        a.join("lobby");
        b.join("lobby");

        int n = service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, null));

        assertThat(n).isEqualTo(2);
        assertThat(received(a)).containsExactly(FRAME);
        assertThat(received(b)).containsExactly(FRAME);
        assertThat(received(elsewhere)).isEmpty();
    }

    @Test
    void clientDeliveryReachesThatClientOnly() {
        Connection a = connected(chatClients, "a", null);
        Connection b = connected(chatClients, "b", null);

        int n = service.deliverLocally(delivery(TargetKind.CLIENT, "/chat", "b", null));

        assertThat(n).isEqualTo(1);
        assertThat(received(a)).isEmpty();
        assertThat(received(b)).containsExactly(FRAME);
    }

    @Test
    void deliveryWithoutNamespaceReachesEveryGateway() {
        Connection a = connected(chatClients, "a", null);
        Connection o = connected(otherClients, "o", null);

        int n = service.deliverLocally(delivery(TargetKind.BROADCAST, null, null, null));

        assertThat(n).isEqualTo(2);
        assertThat(received(a)).containsExactly(FRAME);
        assertThat(received(o)).containsExactly(FRAME);
    }

    @Test
    void deliveryToAnUnknownNamespaceReachesNobody() {
        Connection a = connected(chatClients, "a", null);

        assertThat(service.deliverLocally(delivery(TargetKind.BROADCAST, "/nowhere", null, null))).isZero();
        assertThat(received(a)).isEmpty();
    }

    @Test
    void deliveryToAnEmptyRoomOrUnknownClientReachesNobody() {
        Connection a = connected(chatClients, "a", null);

        assertThat(service.deliverLocally(delivery(TargetKind.ROOM, "/chat", "empty", null))).isZero();
        assertThat(service.deliverLocally(delivery(TargetKind.CLIENT, "/chat", "ghost", null))).isZero();
        assertThat(service.deliverLocally(delivery(TargetKind.USER, "/chat", "nobody", null))).isZero();
        assertThat(received(a)).isEmpty();
    }

    // ---- exclusion and state ----

    @Test
    void excludedClientsGetNothing() {
        Connection a = connected(chatClients, "a", "alice");
        Connection b = connected(chatClients, "b", "alice");
        Connection c = connected(chatClients, "c", null);
        a.join("lobby");
        b.join("lobby");
        c.join("lobby");

        service.deliverLocally(delivery(TargetKind.ROOM, "/chat", "lobby", Set.of("a", "c")));
        service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, Set.of("b")));
        service.deliverLocally(delivery(TargetKind.USER, "/chat", "alice", Set.of("a")));
        service.deliverLocally(delivery(TargetKind.CLIENT, "/chat", "c", Set.of("c")));

        assertThat(received(a)).containsExactly(FRAME);
        assertThat(received(b)).containsExactly(FRAME, FRAME);
        assertThat(received(c)).containsExactly(FRAME);
    }

    @Test
    void clientsThatAreNotConnectedYetGetNothing() {
        Connection waiting = registeredOnly("w");
        Connection a = connected(chatClients, "a", null);
        waiting.authenticated(io.wiregate.Identity.of("alice"));
        waiting.join("lobby");
        a.join("lobby");

        service.deliverLocally(delivery(TargetKind.ROOM, "/chat", "lobby", null));
        service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, null));
        service.deliverLocally(delivery(TargetKind.USER, "/chat", "alice", null));
        int toClient = service.deliverLocally(delivery(TargetKind.CLIENT, "/chat", "w", null));

        assertThat(toClient).isZero();
        assertThat(remotes.get(waiting).sent()).isEmpty();
        assertThat(received(a)).containsExactly(FRAME, FRAME);
    }

    @Test
    void closingAndClosedClientsGetNothing() {
        Connection closing = connected(chatClients, "closing", null);
        Connection closed = connected(chatClients, "closed", null);
        Connection open = connected(chatClients, "open", null);
        closing.closeWith(CloseCodes.NORMAL, "bye");
        closed.closed();
        List<String> closingBefore = remotes.get(closing).sent();

        int n = service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, null));

        assertThat(n).isEqualTo(1);
        assertThat(received(open)).containsExactly(FRAME);
        assertThat(remotes.get(closing).sent()).isEqualTo(closingBefore);
        assertThat(received(closed)).isEmpty();
    }

    @Test
    void removedConnectionGetsNoRoomOrUserDelivery() {
        Connection a = connected(chatClients, "a", "alice");
        a.join("lobby");
        chat.remove(a);

        service.deliverLocally(delivery(TargetKind.ROOM, "/chat", "lobby", null));
        service.deliverLocally(delivery(TargetKind.USER, "/chat", "alice", null));
        service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, null));

        assertThat(received(a)).isEmpty();
    }

    // ---- serialize once ----

    @Test
    void everyRecipientOfOneDeliveryGetsTheSameFrameInstance() {
        List<Connection> all = List.of(connected(chatClients, "a", "u"), connected(chatClients, "b", "u"),
                connected(chatClients, "c", "u"));
        all.forEach(c -> c.join("lobby"));

        for (Delivery d : List.of(delivery(TargetKind.ROOM, "/chat", "lobby", null),
                delivery(TargetKind.BROADCAST, "/chat", null, null), delivery(TargetKind.USER, "/chat", "u", null))) {
            service.deliverLocally(d);
            String first = received(all.get(0)).get(received(all.get(0)).size() - 1);
            for (Connection c : all) {
                List<String> got = received(c);
                assertThat(got.get(got.size() - 1)).as("frame of %s for %s", c.id(), d.kind()).isSameAs(first);
            }
        }
    }

    @Test
    void separateDeliveriesAreSeparateFrames() {
        Connection a = connected(chatClients, "a", null);

        service.deliverLocally(new Delivery(TargetKind.CLIENT, "/chat", "a", "one", "1", null, false));
        service.deliverLocally(new Delivery(TargetKind.CLIENT, "/chat", "a", "two", "[2]", null, false));

        assertThat(received(a)).containsExactly(Frames.event("one", "1"), Frames.event("two", "[2]"));
    }

    // ---- publication ----

    @Test
    void roomUserAndBroadcastDeliveriesArePublishedOnce() {
        connected(chatClients, "a", "alice").join("lobby");
        Delivery room = delivery(TargetKind.ROOM, "/chat", "lobby", null);
        Delivery user = delivery(TargetKind.USER, "/chat", "alice", null);
        Delivery all = delivery(TargetKind.BROADCAST, "/chat", null, null);

        service.deliver(room);
        service.deliver(user);
        service.deliver(all);

        assertThat(bus.published).containsExactly(room, user, all);
    }

    @Test
    void clientDeliveryServedLocallyIsNotPublished() {
        Connection a = connected(chatClients, "a", null);

        service.deliver(delivery(TargetKind.CLIENT, "/chat", "a", null));

        assertThat(received(a)).containsExactly(FRAME);
        assertThat(bus.published).isEmpty();
    }

    @Test
    void clientDeliveryForAClientNotHereIsPublished() {
        Delivery d = delivery(TargetKind.CLIENT, "/chat", "elsewhere", null);

        service.deliver(d);

        assertThat(bus.published).containsExactly(d);
    }

    @Test
    void failingBusDoesNotFailTheDeliveryOrItsLocalRecipients() {
        Connection a = connected(chatClients, "a", null);
        bus.failing = true;

        service.deliver(delivery(TargetKind.BROADCAST, "/chat", null, null));

        assertThat(received(a)).containsExactly(FRAME);
        assertThat(bus.published).hasSize(1);
    }

    // ---- slow consumers ----

    @Test
    void volatileDeliveryToAFullQueueIsDroppedAndTheClientStays() {
        FakeSession slowSession = new FakeSession("slow", FakeAsyncRemote.manual());
        Connection slow = chatClients.connected("slow", null, slowSession, 1); // "connected" is in flight
        Connection fast = connected(chatClients, "fast", null);

        service.deliverLocally(new Delivery(TargetKind.BROADCAST, "/chat", null, "pos", "1", null, true));
        int n = service.deliverLocally(new Delivery(TargetKind.BROADCAST, "/chat", null, "pos", "2", null, true));

        assertThat(n).isEqualTo(1);
        assertThat(slowSession.closes()).isEmpty();
        assertThat(slow.isConnected()).isTrue();
        assertThat(received(fast)).containsExactly(Frames.event("pos", "1"), Frames.event("pos", "2"));
        slowSession.remote().completeAll();
        assertThat(slowSession.remote().sent()).hasSize(2).last().isEqualTo(Frames.event("pos", "1"));
    }

    @Test
    void deliveryOverflowingASlowClientClosesItWithSlowConsumerAfterItsWriteInFlightAndSparesTheOthers() {
        FakeSession slowSession = new FakeSession("slow", FakeAsyncRemote.manual());
        Connection slow = chatClients.connected("slow", null, slowSession, 1);
        Connection fast = connected(chatClients, "fast", null);

        service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, null));
        service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, null));

        assertThat(slowSession.closes()).as("the close frame waits for the write in flight").isEmpty();
        slowSession.remote().completeAll();
        assertThat(slowSession.closes()).singleElement()
                .satisfies(r -> assertThat(r.getCloseCode().getCode()).isEqualTo(CloseCodes.SLOW_CONSUMER));
        assertThat(slow.isConnected()).isFalse();
        assertThat(received(fast)).containsExactly(FRAME, FRAME);
        int n = service.deliverLocally(delivery(TargetKind.BROADCAST, "/chat", null, null));
        assertThat(n).isEqualTo(1);
    }
}
