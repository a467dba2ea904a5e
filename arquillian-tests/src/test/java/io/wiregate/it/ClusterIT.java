package io.wiregate.it;

import static io.wiregate.it.Cluster.NAMESPACE;
import static io.wiregate.it.Cluster.count;
import static io.wiregate.it.Cluster.envelope;
import static io.wiregate.it.Cluster.events;
import static io.wiregate.it.Cluster.framesUntilFence;
import static io.wiregate.it.Cluster.member;
import static io.wiregate.it.Cluster.parse;
import static io.wiregate.it.Cluster.redis;
import static io.wiregate.it.Cluster.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.wiregate.it.Cluster.Member;
import io.wiregate.it.Cluster.Received;
import io.wiregate.testing.RawWebSocket;

/**
 * The Redis cluster bus inside a WAR: {@code wiregate-redisson}, Redisson and its dependencies are libraries of the
 * application, which finds its Redis through MicroProfile Config. The test JVM plays the other members of the
 * cluster over a real redis-server: it publishes docs/protocol.md section 8 messages as an external worker would (a raw
 * {@code PUBLISH}, like redis-cli) and subscribes to what the node publishes.
 *
 * <p>No test waits for an absence: "exactly once" and "nothing else" are checked with a fence, an event published
 * last; the node receives everything on one subscription and delivers in order, so a client has received every
 * earlier frame (duplicates included) once it has the fence. The clients record every event the tests publish or
 * the gateway delivers ({@link Cluster.Member}); a plain socket shows a delivery's exact frame.
 */
@RunAsClient
@ExtendWith({ArquillianExtension.class, ClusterRedis.class})
class ClusterIT {

    /** A channel prefix unique to this run: nothing else on this Redis reaches the deployment. */
    private static final String PREFIX = "wgit-" + UUID.randomUUID().toString().substring(0, 8);

    /** What the test's subscriber received on {@code PREFIX:*}, in order, but for what the test published itself. */
    private static final BlockingQueue<Published> PUBLISHED = new LinkedBlockingQueue<>();
    /** The texts the test published. */
    private static final Set<String> OWN = ConcurrentHashMap.newKeySet();
    private static RedissonClient subscriber;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Cluster.war("cluster", PREFIX);
    }

    /** A message on a channel; {@code text} as published. */
    record Published(String channel, String text) {
        JsonObject json() {
            return parse(text).asJsonObject();
        }
    }

    @BeforeAll
    static void subscribe() {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.setThreads(1);
        config.setNettyThreads(2);
        config.useSingleServer().setAddress(redis().address())
                .setConnectionPoolSize(1).setConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(1).setSubscriptionConnectionMinimumIdleSize(1);
        subscriber = Redisson.create(config);
        // Returns once Redis confirmed the subscription.
        subscriber.getPatternTopic(PREFIX + ":*", StringCodec.INSTANCE)
                .addListener(String.class, (pattern, channel, message) -> {
                    if (!OWN.contains(message)) {
                        PUBLISHED.add(new Published(channel.toString(), message));
                    }
                });
    }

    @AfterAll
    static void unsubscribe() {
        if (subscriber != null) {
            subscriber.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void theNodeFindsItsRedisThroughMicroProfileConfigAndHoldsOneSubscription() throws Exception {
        JsonObject status = status("cluster");
        assertThat(status.getBoolean("active"))
                .as("Wiregate started the RedissonClusterBus bean and it read wiregate.redis.address: %s", status).isTrue();
        assertThat(redis().clientNames()).contains("wiregate-" + status.getString("serverId"));
        // Subscribers of the channel: the node's one pattern subscription, and the test's.
        assertThat(publish("room:nobody-here", envelope("emitter", "room", NAMESPACE, "nobody-here", "ping", "{}"))).isEqualTo(2);
        // The node took it (a room without members here): no other test sees it arrive late.
        await("the node receives the message").atMost(Clients.WAIT)
                .until(() -> count(status("cluster"), "received") == count(status, "received") + 1);
    }

    @Test
    void eventsPublishedIntoRedisReachTheTargetedClientsExactlyOnce() throws Exception {
        JsonObject before = status("cluster");
        String serverId = before.getString("serverId");
        try (Member alice = member("cluster", "alice", "blue"); Member bob = member("cluster", "bob", "red");
             RawWebSocket eve = RawWebSocket.connect(Cluster.uri("cluster", "eve"))) {
            assertThat(eve.next(Clients.WAIT).getString("event")).isEqualTo("connected");
            publish("broadcast", envelope("emitter", "broadcast", NAMESPACE, null, "toAll", "{\"n\":1,\"text\":\"é ✓\"}"));
            publish("room:blue", envelope("emitter", "room", NAMESPACE, "blue", "toBlue", "{\"n\":2}"));
            publish("user:bob", envelope("emitter", "user", NAMESPACE, "bob", "toBob", "{\"n\":3}"));
            publish("client:" + alice.id(), envelope("emitter", "client", NAMESPACE, alice.id(), "toAliceHere", "{\"n\":4}"));
            // Without a namespace: every gateway of the node.
            publish("broadcast", envelope("emitter", "broadcast", null, null, "toEveryGateway", "{\"n\":5}"));
            publish("broadcast", envelope("emitter", "broadcast", NAMESPACE, null, "notBob", "{\"n\":6}", bob.id()));
            // Delivered to no one: another gateway's namespace, the node's own serverId, a malformed message.
            publish("broadcast", envelope("emitter", "broadcast", "/elsewhere", null, "elsewhere", "{}"));
            publish("broadcast", envelope(serverId, "broadcast", NAMESPACE, null, "ownEcho", "{}"));
            publish("broadcast", "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"event\":");
            publish("broadcast", envelope("emitter", "broadcast", NAMESPACE, null, "fence", "{}"));

            List<Received> aliceFrames = framesUntilFence(alice);
            assertThat(events(aliceFrames)).containsExactly("toAll", "toBlue", "toAliceHere", "toEveryGateway", "notBob", "fence");
            assertThat(aliceFrames.get(0).data()).isEqualTo(parse("{\"n\":1,\"text\":\"é ✓\"}"));
            assertThat(aliceFrames.get(2).data().asJsonObject().getInt("n")).isEqualTo(4);
            assertThat(events(framesUntilFence(bob))).containsExactly("toAll", "toBob", "toEveryGateway", "fence");
            // On the wire, a published event reaches a client as the event and its data, nothing else.
            assertThat(eve.next(Clients.WAIT))
                    .isEqualTo(parse("{\"event\":\"toAll\",\"data\":{\"n\":1,\"text\":\"é ✓\"}}"));
        }
        JsonObject after = status("cluster");
        // Every valid message of another sender counts once (its own is ignored before counting), the malformed one apart.
        assertThat(count(after, "received") - count(before, "received")).isEqualTo(8);
        assertThat(count(after, "malformed") - count(before, "malformed")).isEqualTo(1);
    }

    @Test
    void deliveriesMadeOnTheServerArePublishedOnceInTheSection8Envelope() throws Exception {
        JsonObject before = status("cluster");
        String serverId = before.getString("serverId");
        try (Member carol = member("cluster", "carol", "green"); Member dan = member("cluster", "dan", "green")) {
            // A handler routed to a room; each step waits for the node's publication, so the deliveries are ordered.
            carol.client().emit("shout", Map.of("room", "green", "text", "hi"));
            Published shout = nextPublished();
            assertThat(shout.channel()).isEqualTo(PREFIX + ":room:green");
            assertThat(shout.json()).isEqualTo(parse("{\"serverId\":\"" + serverId + "\",\"type\":\"room\",\"namespace\":\"/cluster\","
                    + "\"target\":\"green\",\"event\":\"shouted\",\"data\":{\"room\":\"green\",\"text\":\"hi\"}}"));

            // A handler routed to every client but the sender.
            dan.client().emit("announce", Map.of("text", "news"));
            Published announce = nextPublished();
            assertThat(announce.channel()).isEqualTo(PREFIX + ":broadcast");
            assertThat(announce.json()).isEqualTo(parse("{\"serverId\":\"" + serverId + "\",\"type\":\"broadcast\","
                    + "\"namespace\":\"/cluster\",\"event\":\"announced\",\"data\":{\"text\":\"news\"},\"exclude\":[\"" + dan.id() + "\"]}"));

            // A Broadcaster call to a user.
            carol.client().emit("tell", Map.of("to", "dan", "text", "psst"));
            Published tell = nextPublished();
            assertThat(tell.channel()).isEqualTo(PREFIX + ":user:dan");
            assertThat(tell.json()).isEqualTo(parse("{\"serverId\":\"" + serverId + "\",\"type\":\"user\",\"namespace\":\"/cluster\","
                    + "\"target\":\"dan\",\"event\":\"told\",\"data\":{\"from\":\"carol\",\"text\":\"psst\"}}"));

            // Local clients got each delivery once: the node's own publications, which came back to its subscription
            // before the fence, were not delivered again.
            publish("broadcast", envelope("emitter", "broadcast", NAMESPACE, null, "fence", "{}"));
            assertThat(events(framesUntilFence(carol))).containsExactly("shouted", "announced", "fence");
            assertThat(events(framesUntilFence(dan))).containsExactly("shouted", "told", "fence");
        }
        await("the node counts its 3 publications").atMost(Clients.WAIT)
                .until(() -> count(status("cluster"), "published") - count(before, "published") >= 3);
        JsonObject after = status("cluster");
        assertThat(count(after, "published") - count(before, "published")).isEqualTo(3);
        assertThat(count(after, "publishFailures")).isZero();
    }

    private static long publish(String channelSuffix, String message) throws Exception {
        OWN.add(message);
        return redis().publish(PREFIX + ":" + channelSuffix, message);
    }

    /** The next message that the test did not publish itself, waiting at most {@link Clients#WAIT}. */
    private static Published nextPublished() throws InterruptedException {
        Published p = PUBLISHED.poll(Clients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (p == null) {
            throw new AssertionError("nothing was published on " + PREFIX + ":* within " + Clients.WAIT);
        }
        return p;
    }
}
