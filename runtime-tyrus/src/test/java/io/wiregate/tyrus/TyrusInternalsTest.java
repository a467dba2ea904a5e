package io.wiregate.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.spi.Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.wiregate.cdi.transport.OutboundFrame;
import io.wiregate.cdi.transport.TyrusSessions;
import io.wiregate.testing.RawWebSocket;

/**
 * Every reach into Tyrus's internals that Wiregate makes ({@link TyrusSessions}, also used on Payara, and
 * {@link TyrusInternals}) works on this Tyrus, on a real connection. If a Tyrus upgrade breaks one, this fails with the reach that broke, instead of the runtime
 * quietly falling back to the portable path (slower, and no dropping of clients that ignore their close).
 */
class TyrusInternalsTest {

    private LoopbackTyrusContainer container;

    /** What the server saw of its session's internals when the client connected. */
    static final CompletableFuture<Session> OPENED = new CompletableFuture<>();

    public static final class Opened extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            OPENED.complete(session);
        }
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void theTransportWriterUnderASessionWritesRawFramesToItsClient() throws Exception {
        // Starting at all needs the Grizzly WebSocket add-on (TyrusInternals.webSocketAddOn).
        container = new LoopbackTyrusContainer(64 * 1024, 1000);
        container.addEndpoint(ServerEndpointConfig.Builder.create(Opened.class, "/internals").build());
        container.start("127.0.0.1", 0, null, null);
        RawWebSocket client = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + container.getPort() + "/internals"));
        Session session = OPENED.get(10, TimeUnit.SECONDS);

        ProtocolHandler handler = TyrusSessions.protocolHandlerOf(session);
        Writer writer = TyrusSessions.writerOf(handler);
        org.glassfish.grizzly.Connection<?> connection = TyrusInternals.grizzlyConnectionOf(writer);

        assertThat(handler).as("Tyrus's protocol handler of a session").isNotNull();
        assertThat(connection.isOpen()).as("the Grizzly connection under Tyrus's writer").isTrue();
        CompletableFuture<Void> written = new CompletableFuture<>();
        TyrusSessions.rawWriter(writer).write(ByteBuffer.wrap(new OutboundFrame("raw").encoded()), failure -> {
            if (failure == null) {
                written.complete(null);
            } else {
                written.completeExceptionally(failure);
            }
        });
        written.get(10, TimeUnit.SECONDS);
        assertThat(client.nextText()).isEqualTo("raw");
        client.abort();
    }
}
