package io.wiregate.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.junit.jupiter.api.Test;

class PortableRawBenchEndpointTest {

    /** What a container was asked to send, and the completion of each send. */
    private final List<String> sent = new ArrayList<>();
    private final List<SendHandler> completions = new ArrayList<>();

    private RemoteEndpoint.Async remote() {
        return (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.add((String) args[0]);
                        completions.add((SendHandler) args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void sendsOneTextAtATimeInOrder() {
        PortableRawBenchEndpoint.Outbox outbox = new PortableRawBenchEndpoint.Outbox(remote());
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");
        assertThat(sent).containsExactly("a");

        completions.get(0).onResult(new SendResult());
        assertThat(sent).containsExactly("a", "b");
        completions.get(1).onResult(new SendResult());
        completions.get(2).onResult(new SendResult());
        assertThat(sent).containsExactly("a", "b", "c");

        outbox.send("d");
        assertThat(sent).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aFailedSendDropsWhatWaitsBehindIt() {
        PortableRawBenchEndpoint.Outbox outbox = new PortableRawBenchEndpoint.Outbox(remote());
        outbox.send("a");
        outbox.send("b");
        completions.get(0).onResult(new SendResult(new java.io.IOException("closed")));
        assertThat(sent).containsExactly("a");

        outbox.send("c");
        assertThat(sent).containsExactly("a", "c");
    }
}
