/**
 * The Java client of Wiregate's protocol (docs/protocol.md, version 1.1), on the JDK's
 * {@link java.net.http.WebSocket}: the counterpart of {@code clients/js/wiregate.js}, with the same concepts,
 * reconnect rules and error codes. Payloads are serialized and bound with JSON-B.
 *
 * <pre>{@code
 * import io.wiregate.client.WiregateClient;
 * import io.wiregate.client.WiregateException;
 *
 * public class ChatBot {
 *     public record Message(String room, String text) {}
 *
 *     public static void main(String[] args) throws Exception {
 *         try (WiregateClient chat = WiregateClient.builder(URI.create("ws://localhost:8025/chat"))
 *                 .auth(() -> Map.of("token", System.getenv("CHAT_TOKEN"))) // again after every reconnect
 *                 .heartbeat(Duration.ofSeconds(25))
 *                 .reconnect(Duration.ofMillis(500), Duration.ofSeconds(10))
 *                 .requestTimeout(Duration.ofSeconds(5))
 *                 .connect()) {
 *             chat.onConnected(c -> System.out.println("connected as " + c.userId() + " (" + c.id() + ")"));
 *             chat.onDisconnected(d -> System.out.println("closed " + d.code() + ", reconnecting: " + d.willReconnect()));
 *             chat.on("messageCreated", Message.class, m -> System.out.println(m.room() + ": " + m.text()));
 *
 *             chat.join("general").get(5, TimeUnit.SECONDS); // re-joined after every reconnect
 *             try {
 *                 Message saved = chat.request("sendMessage", new Message("general", "hello"), Message.class)
 *                         .get(10, TimeUnit.SECONDS);
 *             } catch (ExecutionException e) {
 *                 WiregateException error = (WiregateException) e.getCause();
 *                 System.out.println(error.code() + ": " + error.getMessage() + " " + error.violations());
 *             }
 *             chat.emit("typing", Map.of("room", "general")); // waits in a bounded buffer while disconnected
 *             Thread.sleep(60_000); // listen for a minute
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>{@link io.wiregate.client.WiregateClient} is the connection; {@link io.wiregate.client.WiregateException} every
 * failure (the server's error codes, and the client's own {@code timeout}, {@code disconnected}, {@code closed},
 * {@code buffer_full}); {@link io.wiregate.client.Connected}, {@link io.wiregate.client.Disconnected} and
 * {@link io.wiregate.client.Reconnecting} the state events; {@link io.wiregate.client.Subscription} a registered
 * listener. Everything else in the package is internal.
 */
package io.wiregate.client;
