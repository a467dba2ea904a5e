package io.wiregate.bench.quarkus;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * The benchmark's job on Quarkus WebSockets Next, with the frames of the raw Tyrus endpoint and of Wiregate's
 * {@code BenchGateway}: it reads the envelope's top-level {@code event} with a streaming parser
 * ({@link BenchEnvelope}), then
 * <ul>
 * <li>{@code echo}: sends the frame back as it came ({@link WebSocketConnection#sendText(String)});</li>
 * <li>{@code fanout}: sends the same text to every other open connection of the endpoint
 * ({@link WebSocketConnection#broadcast()}, filtered to leave the sender out, as the other servers do);</li>
 * <li>anything else (the generator's {@code heartbeat}) is ignored.</li>
 * </ul>
 * Execution model: the method returns a {@link Uni}, so Quarkus runs it on the connection's event loop (non-blocking,
 * no worker thread hand-off), and the endpoint is {@link InboundProcessingMode#CONCURRENT}: the next frame of a
 * connection is handled without waiting for the previous frame's sends to complete, as the raw Tyrus endpoint and
 * Wiregate do (in the default {@code SERIAL} mode a sender's next fanout would wait until its broadcast had been
 * written to every receiver). Frames of one connection are still handled in order, on its event loop.
 */
@WebSocket(path = "/bench", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class QuarkusBenchEndpoint {

    private static final Uni<Void> NOTHING = Uni.createFrom().voidItem();

    @OnTextMessage
    public Uni<Void> message(String text, WebSocketConnection connection) {
        String event = BenchEnvelope.event(text);
        if ("echo".equals(event)) {
            return connection.sendText(text);
        }
        if ("fanout".equals(event)) {
            String sender = connection.id();
            return connection.broadcast().filter(c -> !sender.equals(c.id())).sendText(text);
        }
        return NOTHING;
    }
}
