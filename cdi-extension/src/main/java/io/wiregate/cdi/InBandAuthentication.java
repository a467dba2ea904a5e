package io.wiregate.cdi;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.wiregate.Authenticator;
import io.wiregate.Identity;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.Frames;

/**
 * The {@code authenticate} event of an {@code Auth.MESSAGE} gateway (docs/protocol.md section 2): runs the gateway's
 * {@code @Authenticate} method, or else its {@link Authenticator} bean; connects the client it accepts, and closes
 * with 4003 the one it refuses. On a connected connection the same authentication refreshes its identity (section 10).
 */
final class InBandAuthentication {

    private static final Logger LOG = Logger.getLogger(InBandAuthentication.class.getName());

    private final CallbackModel method;
    private final List<Authenticator> beans;
    private final PayloadBinder binder;
    private final Invoker invoker;
    private final List<String> defaultRooms;
    private final Consumer<Connection> onConnected;

    /**
     * @param method      the gateway's {@code @Authenticate} method, or null to use {@code beans}' first
     * @param onConnected runs once a client became connected (the {@code @OnOpen} callbacks)
     */
    InBandAuthentication(CallbackModel method, List<Authenticator> beans, PayloadBinder binder, Invoker invoker,
                         List<String> defaultRooms, Consumer<Connection> onConnected) {
        this.method = method;
        this.beans = List.copyOf(beans);
        this.binder = binder;
        this.invoker = invoker;
        this.defaultRooms = List.copyOf(defaultRooms);
        this.onConnected = onConnected;
    }

    void authenticate(Connection c, Envelope frame) {
        if (c.isConnected()) {
            refresh(c, frame);
            return;
        }
        if (!c.transition(Connection.State.AWAITING_AUTH, Connection.State.AUTHENTICATING)) {
            return;
        }
        Identity identity = method == null ? byBean(c, frame) : byMethod(c, frame);
        if (identity == null) {
            c.closeWith(CloseCodes.AUTH_FAILED, "authentication failed");
            return;
        }
        c.connect(identity, defaultRooms, () -> {
            if (frame.hasId()) {
                c.send(Frames.ack(frame.id()));
            }
            onConnected.accept(c);
        });
    }

    /**
     * A second {@code authenticate} on a connected connection (docs/protocol.md section 10): fresh credentials of the
     * same user replace its identity (acked); another user's close it with 4003; refused ones are {@code
     * unauthorized}, and the identity it had stays until it expires.
     */
    private void refresh(Connection c, Envelope frame) {
        Identity identity = method == null ? byBean(c, frame) : byMethod(c, frame);
        if (identity == null) {
            c.send(Frames.error(ErrorCode.UNAUTHORIZED, "authentication failed", null, frame.id()));
            return;
        }
        if (!identity.userId().equals(c.userId())) {
            c.closeWith(CloseCodes.AUTH_FAILED, "another user");
            return;
        }
        c.refreshed(identity);
        if (frame.hasId()) {
            c.send(Frames.ack(frame.id()));
        }
    }

    /** The identity the {@link Authenticator} bean gives (Wiregate.start checked that one applies), or null. */
    private Identity byBean(Connection c, Envelope frame) {
        Authenticator authenticator = beans.get(0);
        try {
            return authenticator.authenticate(frame.data(), c);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "authenticator " + authenticator.getClass().getName() + " failed for client "
                    + c.id(), e);
            return null;
        }
    }

    /** The identity the gateway's {@code @Authenticate} method gives, or null. */
    private Identity byMethod(Connection c, Envelope frame) {
        try {
            Object[] args = Arguments.ofFrame(c, frame.data()).bind(method.params(), method.payloadType(), binder);
            return (Identity) invoker.invoke(method.method(), args);
        } catch (BindingException e) {
            LOG.fine(() -> "credentials of client " + c.id() + " do not bind: refused");
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "authenticator " + method.method() + " failed for client " + c.id(), e);
        }
        return null;
    }
}
