package io.wiregate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.client.TestGateways.Greeting;
import io.wiregate.client.TestGateways.Person;
import io.wiregate.protocol.Violation;

/** request: typed replies, ack, the server's errors (docs/protocol.md sections 3 and 5), timeouts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestTest {

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void replyIsBoundToARecord() throws Exception {
        WiregateClient client = server.connect("/echo");
        Greeting greeting = client.request("greet", new Person("Ada", 36), Greeting.class).get(10, TimeUnit.SECONDS);
        assertThat(greeting).isEqualTo(new Greeting("hello Ada", 36));
        assertThat(client.state()).isEqualTo(WiregateClient.State.CONNECTED);
        assertThat(client.id()).isNotBlank();
        assertThat(client.userId()).isNull();
    }

    @Test
    void replyCanBeTakenAsParsedJson() throws Exception {
        WiregateClient client = server.connect("/echo");
        JsonObject echo = client.request("echo", Map.of("a", 1, "b", List.of("x")), JsonObject.class).get(10, TimeUnit.SECONDS);
        assertThat(echo.getInt("a")).isEqualTo(1);
        assertThat(echo.getJsonArray("b").getString(0)).isEqualTo("x");
        assertThat(client.request("echo", "text", String.class).get(10, TimeUnit.SECONDS)).isEqualTo("text");
        assertThat(client.request("echo", 42, Integer.class).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void largeRepliesArriveWholeThoughTheWebSocketDeliversThemInParts() throws Exception {
        WiregateClient client = server.connect("/echo");
        String large = "x".repeat(60_000) + "\u00e9\u20ac"; // under the gateway's 64 KiB limit, above the JDK's buffers
        assertThat(client.request("echo", large, String.class).get(10, TimeUnit.SECONDS)).isEqualTo(large);
    }

    @Test
    void ackCompletesWithNull() throws Exception {
        WiregateClient client = server.connect("/echo");
        assertThat(client.request("noop", null, Object.class).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(client.request("noop", Map.of("ignored", true), Void.class).get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void validationErrorCarriesItsViolations() {
        WiregateClient client = server.connect("/echo");
        WiregateException e = failure(client.request("greet", Map.of("name", " ", "age", -1), Greeting.class));
        assertThat(e.code()).isEqualTo("validation");
        assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder("name", "age");
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.message()).isNotBlank());

        WiregateException unbound = failure(client.request("greet", "not an object", Greeting.class));
        assertThat(unbound.code()).isEqualTo("validation");
        assertThat(unbound.violations()).extracting(Violation::path).containsExactly("");
    }

    @Test
    void unknownEventFailsWithUnknownEvent() {
        WiregateClient client = server.connect("/echo");
        WiregateException e = failure(client.request("nobodyHandlesThis", null, Object.class));
        assertThat(e.code()).isEqualTo("unknown_event");
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.violations()).isEmpty();
    }

    @Test
    void requestWithoutAnswerTimesOutAndTheConnectionStaysUsable() throws Exception {
        TestGateways.slowRelease = new CountDownLatch(1);
        WiregateClient client = server.connect("/echo");
        client.request("noop", null, Void.class).get(10, TimeUnit.SECONDS);

        long start = System.nanoTime();
        WiregateException e = failure(client.request("slow", null, Void.class, Duration.ofMillis(300)));
        assertThat(e.code()).isEqualTo(WiregateException.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));

        TestGateways.slowRelease.countDown();
        assertThat(client.request("echo", "still here", String.class).get(10, TimeUnit.SECONDS)).isEqualTo("still here");
        assertThat(client.state()).isEqualTo(WiregateClient.State.CONNECTED);
    }

    @Test
    void requestsMadeBeforeConnectedAreSentOnceConnected() throws Exception {
        WiregateClient client = server.connect("/echo");
        CompletableFuture<String> first = client.request("echo", "one", String.class);
        CompletableFuture<String> second = client.request("echo", "two", String.class);
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("one");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("two");
    }

    @Test
    void invalidEventNamesAreRefusedAtOnce() {
        WiregateClient client = server.connect("/echo");
        assertThatThrownBy(() -> client.request("no spaces", null, Object.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.emit("", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.request("echo", null, Object.class, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replyThatDoesNotBindFailsTheFutureWithoutHarmingTheClient() throws Exception {
        WiregateClient client = server.connect("/echo");
        assertThatThrownBy(() -> client.request("echo", "text", Greeting.class).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(jakarta.json.bind.JsonbException.class);
        assertThat(client.request("echo", 7, Integer.class).get(10, TimeUnit.SECONDS)).isEqualTo(7);
    }

    /** The WiregateException a future fails with (within 10 s). */
    static WiregateException failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WiregateException.class);
            return (WiregateException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
