package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.wiregate.Identity;
import io.wiregate.cdi.transport.FakeTransport;
import io.wiregate.cdi.transport.OutboundFrame;
import io.wiregate.protocol.CloseCodes;

/** The life of one connection without a socket: its state, its frames and its closes, over a fake transport. */
class ConnectionTest {

    private static final long CLOSE_TIMEOUT_MS = 200;

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ClientRegistry registry = new ClientRegistry();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private Connection connection(FakeTransport transport, int queueBound) {
        Connection c = new Connection("c1", "/chat", transport, Map.of("room", "lobby"), registry, String::valueOf,
                timers, queueBound, Connection.State.AWAITING_AUTH, null, CLOSE_TIMEOUT_MS);
        registry.add(c);
        return c;
    }

    @Test
    void connectSendsConnectedFirstAndWhatTheOpenCallbacksSentAfterIt() {
        FakeTransport transport = FakeTransport.inline();
        Connection c = connection(transport, 16);

        boolean connected = c.connect(Identity.of("ada"), List.of("news"), () -> {
            c.send("{\"event\":\"welcome\"}");
            assertThat(transport.written()).as("nothing reaches the client while the callbacks run").isEmpty();
        });

        assertThat(connected).isTrue();
        assertThat(c.isConnected()).isTrue();
        assertThat(c.userId()).isEqualTo("ada");
        assertThat(c.rooms()).containsExactlyInAnyOrder("c1", "news");
        assertThat(transport.written()).hasSize(2);
        assertThat(transport.written().get(0)).startsWith("{\"event\":\"connected\"").contains("\"news\"");
        assertThat(transport.written().get(1)).isEqualTo("{\"event\":\"welcome\"}");
    }

    /** A closed connection is not kept in memory by a heartbeat check due minutes later (issue 14's idle runs). */
    @Test
    void closingCancelsEveryPendingTimerAndTheTimerQueueLetsGoOfThem() {
        timers.setRemoveOnCancelPolicy(true);
        FakeTransport transport = FakeTransport.inline();
        Connection c = connection(transport, 16);
        AtomicInteger fired = new AtomicInteger();
        c.schedule(Connection.Timer.HEARTBEAT, fired::incrementAndGet, 1, java.util.concurrent.TimeUnit.HOURS);
        c.schedule(Connection.Timer.PING, fired::incrementAndGet, 1, java.util.concurrent.TimeUnit.HOURS);
        c.closeWith(CloseCodes.NORMAL, "bye"); // schedules the close's own timers too
        assertThat(timers.getQueue()).hasSizeGreaterThanOrEqualTo(3);

        c.closed();

        assertThat(timers.getQueue()).isEmpty();
        c.schedule(Connection.Timer.HEARTBEAT, fired::incrementAndGet, 1, java.util.concurrent.TimeUnit.HOURS);
        assertThat(timers.getQueue()).as("a timer scheduled after the close").isEmpty();
        assertThat(fired).hasValue(0);
    }

    @Test
    void aClosingConnectionDoesNotConnectNorRunTheCallbacks() {
        FakeTransport transport = FakeTransport.inline();
        Connection c = connection(transport, 16);
        c.closeWith(CloseCodes.AUTH_TIMEOUT, "authentication timeout");
        AtomicInteger ran = new AtomicInteger();

        assertThat(c.connect(null, List.of(), ran::incrementAndGet)).isFalse();

        assertThat(ran).hasValue(0);
        assertThat(transport.written()).noneMatch(f -> f.contains("\"connected\""));
    }

    @Test
    void closeWithSendsTheDisconnectEventThenTheCloseFrameOnce() {
        FakeTransport transport = FakeTransport.inline();
        Connection c = connection(transport, 16);
        c.connect(null, List.of(), () -> { });

        c.closeWith(4003, "forbidden");
        c.closeWith(1000, "again");

        assertThat(c.state()).isEqualTo(Connection.State.CLOSING);
        assertThat(transport.written()).last().asString().contains("\"disconnect\"").contains("4003");
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(4003, "forbidden"));
        assertThat(c.send("{}")).as("a closing connection takes no more frames").isFalse();
    }

    @Test
    void aClientThatDoesNotReadStillGetsItsCloseFrameAndIsDroppedAfterTheCloseTimeout() {
        FakeTransport transport = FakeTransport.manual();
        Connection c = connection(transport, 16);
        c.send("{\"event\":\"stuck\"}"); // in flight, never completed

        c.closeWith(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");

        await().atMost(Duration.ofSeconds(10)).until(() -> !transport.closes().isEmpty());
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(4002, "heartbeat timeout"));
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.aborts() == 1);
    }

    @Test
    void anOverflowClosesWith4005AfterTheWritesInFlight() {
        FakeTransport transport = FakeTransport.manual();
        Connection c = connection(transport, 1);
        c.send("{\"n\":0}"); // in flight
        c.send("{\"n\":1}"); // waiting: the bound is full

        assertThat(c.send("{\"n\":2}")).isFalse();

        assertThat(c.state()).isEqualTo(Connection.State.CLOSING);
        assertThat(transport.closes()).as("the close frame waits for the write in flight").isEmpty();
        transport.completeNext();
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(4005, "slow consumer"));
        assertThat(transport.written()).containsExactly("{\"n\":0}");
    }

    @Test
    void anOverflowOfAClientThatNeverReadsAgainIsClosedAndDroppedAfterTheCloseTimeout() {
        FakeTransport transport = FakeTransport.manual();
        Connection c = connection(transport, 1);
        c.send("{\"n\":0}");
        c.send("{\"n\":1}");
        c.send("{\"n\":2}");

        await().atMost(Duration.ofSeconds(10)).until(() -> transport.aborts() > 0);
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(4005, "slow consumer"));
    }

    @Test
    void aVolatileDeliveryIsDroppedNotOverflowingAFullQueue() {
        FakeTransport transport = FakeTransport.manual();
        Connection c = connection(transport, 1);
        c.send("{\"n\":0}");
        c.send("{\"n\":1}");

        assertThat(c.deliver(new OutboundFrame("{\"typing\":true}"), true)).isFalse();

        assertThat(c.state()).isEqualTo(Connection.State.AWAITING_AUTH);
        assertThat(transport.closes()).isEmpty();
    }

    @Test
    void aFailedWriteClosesWith1011() {
        FakeTransport transport = FakeTransport.failing();
        Connection c = connection(transport, 16);

        c.send("{}");

        assertThat(c.state()).isEqualTo(Connection.State.CLOSING);
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(1011, "send failed"));
    }

    @Test
    void emitChecksTheEventNameAndJoinChecksTheRoomName() {
        Connection c = connection(FakeTransport.inline(), 16);

        assertThatThrownBy(() -> c.emit("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.join("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientCannotLeaveItsOwnRoom() {
        Connection c = connection(FakeTransport.inline(), 16);

        c.leave("c1");

        assertThat(c.rooms()).contains("c1");
        assertThat(c.pathParameter("room")).isEqualTo("lobby");
    }
}
