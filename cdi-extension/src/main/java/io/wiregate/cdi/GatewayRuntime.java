package io.wiregate.cdi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

import io.wiregate.Auth;
import io.wiregate.CloseStatus;
import io.wiregate.ConnectionInterceptor;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.cdi.transport.Transport;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.EnvelopeParser;

/**
 * One running gateway: opens and closes its connections, runs their timers, and hands their frames to the
 * {@link InboundPipeline}. Thread-safe.
 */
public final class GatewayRuntime {

    private static final Logger LOG = Logger.getLogger(GatewayRuntime.class.getName());

    private final GatewayModel model;
    private final ClientRegistry registry;
    private final PayloadBinder binder;
    private final Invoker invoker;
    private final ScheduledExecutorService timers;
    private final InboundPipeline pipeline;
    private final List<ConnectionInterceptor> connectionInterceptors;
    private final RequestScope requestScope;

    GatewayRuntime(GatewayModel model, ClientRegistry registry, EnvelopeParser parser, PayloadBinder binder,
                   PayloadValidator validator, Invoker invoker, Object reference, Deliveries deliveries,
                   ScheduledExecutorService timers, Interceptors interceptors, RequestScope requestScope) {
        this.requestScope = requestScope;
        this.model = model;
        this.registry = registry;
        this.binder = binder;
        this.invoker = invoker;
        this.timers = timers;
        this.connectionInterceptors = interceptors.connection();
        this.pipeline = new InboundPipeline(model, registry, parser, binder, validator, invoker, reference, deliveries,
                interceptors, this::runOnOpen);
    }

    /**
     * Runs the authenticator of an {@link Auth#HANDSHAKE} gateway on an upgrade request.
     *
     * @return the identity, or null when it refuses or fails (the failure is logged)
     */
    Identity authenticateHandshake(HandshakeRequest request) {
        CallbackModel authenticator = model.authenticator();
        Identity[] identity = new Identity[1];
        requestScope.run(() -> {
            try {
                identity[0] = (Identity) invoker.invoke(authenticator.method(),
                        Arguments.ofHandshake(request).bind(authenticator.params(), null, binder));
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "handshake authenticator " + authenticator.method() + " failed", e);
            }
        });
        return identity[0];
    }

    /** The gateway's model. */
    GatewayModel model() {
        return model;
    }

    /** The gateway's clients on this node. */
    ClientRegistry registry() {
        return registry;
    }

    /**
     * A WebSocket opened on this gateway: its connection, not yet open.
     *
     * @param transport      where its frames go
     * @param closeTimeoutMs how long a client that stopped reading has to take its close
     */
    Connection connection(Transport transport, Map<String, String> pathParameters, long closeTimeoutMs) {
        return new Connection(UUID.randomUUID().toString(), model.path(), transport, pathParameters, registry,
                binder::toJson, timers, model.limits().outboundQueue(), Connection.State.AWAITING_AUTH,
                model.limits().inboundRate() > 0
                        ? new RateLimiter(model.limits().inboundRate(), model.limits().inboundBurst()) : null,
                closeTimeoutMs);
    }

    /**
     * Opens a connection made by {@link #connection} on a Jakarta WebSocket session: the session's messages go to
     * the connection. The endpoint holds the connection before this runs, because a container may report the close
     * (of a connection refused here) before this returns.
     *
     * @param handshakeIdentity the identity a handshake guard established, or null
     */
    void open(Connection c, Session session, Identity handshakeIdentity) {
        session.setMaxTextMessageBufferSize(model.limits().maxMessageBytes());
        session.setMaxBinaryMessageBufferSize(model.limits().maxMessageBytes());
        // Negative, not 0: both mean "never", but Tyrus 2.1 reschedules an idle timer on every message for any
        // value >= 0 (a measured 15-19% of echo CPU). Wiregate's own heartbeat timer does this job.
        session.setMaxIdleTimeout(-1);
        session.addMessageHandler(String.class, text -> text(c, text));
        session.addMessageHandler(ByteBuffer.class, bytes -> binary(c, bytes.remaining()));
        session.addMessageHandler(PongMessage.class, pong -> c.touch());
        open(c, handshakeIdentity, session.getRequestParameterMap());
    }

    /**
     * Opens a connection made by {@link #connection}, whose frames its runtime then hands to {@link #text} and
     * {@link #binary}: runs the connection interceptors, registers it, starts its timers, and connects it at once
     * unless the gateway authenticates in-band.
     *
     * @param handshakeIdentity the identity a handshake guard established, or null
     * @param query             the handshake's query parameters (decoded), where a client resuming a session
     *                          presents it (docs/protocol.md section 9)
     */
    void open(Connection c, Identity handshakeIdentity, Map<String, List<String>> query) {
        if (registry.recovery() != null) {
            c.resume(Recovery.Resume.of(query));
        }
        requestScope.run(() -> opened(c, handshakeIdentity));
    }

    /** A text message of the connection arrived: it goes through the pipeline, in a request scope of its own. */
    void text(Connection c, String text) {
        requestScope.run(() -> pipeline.onText(c, text));
    }

    /** A binary message of {@code size} bytes arrived. */
    void binary(Connection c, int size) {
        pipeline.onBinary(c, size);
    }

    private void opened(Connection c, Identity handshakeIdentity) {
        if (!connectionInterceptors.isEmpty() && !enter(c)) {
            return;
        }
        registry.add(c);
        long heartbeat = model.limits().heartbeatTimeoutMs();
        if (heartbeat > 0) {
            c.schedule(Connection.Timer.HEARTBEAT, () -> checkHeartbeat(c), heartbeat, TimeUnit.MILLISECONDS);
        }
        long ping = model.limits().pingIntervalMs();
        if (ping > 0) {
            c.schedule(Connection.Timer.PING, () -> pingIfSilent(c), ping, TimeUnit.MILLISECONDS);
        }
        if (model.auth() == Auth.MESSAGE) {
            c.schedule(Connection.Timer.AUTH, () -> checkAuthenticated(c), model.limits().authTimeoutMs(), TimeUnit.MILLISECONDS);
        } else {
            c.connect(handshakeIdentity, model.limits().defaultRooms(), () -> runOnOpen(c));
        }
    }

    /** Runs the connection chain's {@code enter}; false (and the connection closing) if it did not accept. */
    private boolean enter(Connection c) {
        try {
            if (Chains.run(connectionInterceptors, c, (interceptor, peer, rest) -> interceptor.enter(peer, rest))) {
                return true;
            }
            c.closeWith(CloseCodes.POLICY_VIOLATION, "connection refused");
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "a connection interceptor failed on enter for client " + c.id(), e);
            c.closeWith(CloseCodes.SERVER_ERROR, "internal error");
        }
        return false;
    }

    /** The container reported the close of a connection. */
    void closed(Connection c, CloseReason reason) {
        closed(c, reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }

    /** The close of a connection, with the code and reason the client saw (1006 and "" when it got no close frame). */
    void closed(Connection c, int code, String reason) {
        if (!c.closed()) {
            return; // reported already (a shutdown that did not wait for the container)
        }
        registry.metrics().closed(code);
        try {
            requestScope.run(() -> runExit(c, new CloseStatus(code, reason == null ? "" : reason)));
        } finally {
            Recovery recovery = registry.recovery();
            if (recovery != null) {
                recovery.closed(c);
            }
            // Last: a shutdown waits for the registry to empty, so callbacks finish while CDI is still up.
            c.forget();
        }
    }

    private void runExit(Connection c, CloseStatus status) {
        if (!connectionInterceptors.isEmpty()) {
            try {
                Chains.run(connectionInterceptors, c, (interceptor, peer, rest) -> interceptor.exit(peer, status, rest));
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "a connection interceptor failed on exit for client " + c.id(), e);
            }
        }
        if (c.wasConnected()) { // @OnClose pairs with @OnOpen: clients that never got connected saw neither
            for (CallbackModel callback : model.onClose()) {
                call(callback, c, status);
            }
        }
    }

    /** The container reported an error on a connection (already logged by the container, usually). */
    void failed(Connection c, Throwable error) {
        LOG.log(Level.FINE, "error on client " + (c == null ? "?" : c.id()) + " of " + model.path(), error);
    }

    /** Starts closing every connection with {@code code}. */
    void closeAll(int code, String reason) {
        for (Connection c : registry.all()) {
            c.closeWith(code, reason);
        }
    }

    /** Reports the close of every connection the container has not reported yet (end of a shutdown). */
    void forgetAll(int code, String reason) {
        for (Connection c : registry.all()) {
            closed(c, code, reason);
        }
    }

    /**
     * Runs the {@code @OnOpen} callbacks in a request scope: the open's own, or one of their own when they run after
     * it (on a gateway whose recovery history is shared, a client is connected once its session is in the log).
     */
    private void runOnOpen(Connection c) {
        if (model.onOpen().isEmpty()) {
            return;
        }
        requestScope.run(() -> {
            for (CallbackModel callback : model.onOpen()) {
                call(callback, c, null);
            }
        });
    }

    private void call(CallbackModel callback, Connection c, CloseStatus status) {
        try {
            invoker.invoke(callback.method(), Arguments.ofCallback(c, status).bind(callback.params(), null, binder));
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "callback " + callback.method() + " failed for client " + c.id(), e);
        }
    }

    private void checkHeartbeat(Connection c) {
        Connection.State state = c.state();
        if (state == Connection.State.CLOSING || state == Connection.State.CLOSED) {
            return;
        }
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(model.limits().heartbeatTimeoutMs());
        long idle = c.idleNanos();
        if (idle >= timeoutNanos) {
            c.closeWith(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
        } else {
            c.schedule(Connection.Timer.HEARTBEAT, () -> checkHeartbeat(c), timeoutNanos - idle, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Pings a connection that has sent nothing for the ping interval, so that a client that only listens answers
     * with a pong, which restarts the heartbeat timer; then checks again one interval after the last frame.
     */
    private void pingIfSilent(Connection c) {
        Connection.State state = c.state();
        if (state == Connection.State.CLOSING || state == Connection.State.CLOSED) {
            return;
        }
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(model.limits().pingIntervalMs());
        long idle = c.idleNanos();
        long next = intervalNanos;
        if (idle >= intervalNanos) {
            // off the timer thread, which serves every connection: a container's sendPing may wait for a write
            java.util.concurrent.ForkJoinPool.commonPool().execute(c::ping);
        } else {
            next = intervalNanos - idle;
        }
        c.schedule(Connection.Timer.PING, () -> pingIfSilent(c), next, TimeUnit.NANOSECONDS);
    }

    private void checkAuthenticated(Connection c) {
        switch (c.state()) {
            case AWAITING_AUTH -> c.closeWith(CloseCodes.AUTH_TIMEOUT, "authentication timeout");
            case AUTHENTICATING -> {
                long limit = TimeUnit.MILLISECONDS.toNanos(3 * model.limits().authTimeoutMs());
                long left = limit - c.ageNanos();
                if (left <= 0) {
                    c.closeWith(CloseCodes.AUTH_TIMEOUT, "authentication timeout");
                } else {
                    c.schedule(Connection.Timer.AUTH, () -> checkAuthenticated(c), left, TimeUnit.NANOSECONDS);
                }
            }
            default -> {
            }
        }
    }
}
