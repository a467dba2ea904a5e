package io.wiregate.cdi;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.wiregate.PacketInterceptor;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;

/** The gateway's packet interceptors, run on every frame of a connected client before rooms and handlers. */
final class PacketChain {

    private static final Logger LOG = Logger.getLogger(PacketChain.class.getName());

    private final List<PacketInterceptor> interceptors;

    PacketChain(List<PacketInterceptor> interceptors) {
        this.interceptors = List.copyOf(interceptors);
    }

    /**
     * Runs the chain: the frame to handle (its data possibly replaced), or null after answering a refusal
     * ({@code forbidden}) or a failure ({@code internal}).
     */
    Envelope intercept(Connection c, Envelope frame) {
        if (interceptors.isEmpty()) {
            return frame;
        }
        InboundPacket packet = new InboundPacket(c, frame.event(), frame.data());
        boolean through;
        try {
            through = Chains.run(interceptors, packet, (interceptor, p, rest) -> interceptor.onPacket(p, rest));
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "a packet interceptor failed on " + frame.event() + " for client " + c.id(), e);
            Replies.error(c, ErrorCode.INTERNAL, "internal error", null, frame.id());
            return null;
        }
        if (!through) {
            Replies.error(c, ErrorCode.FORBIDDEN, packet.refusal() == null ? "refused" : packet.refusal(), null, frame.id());
            return null;
        }
        return packet.data() == frame.data() ? frame : new Envelope(frame.event(), packet.data(), frame.id());
    }
}
