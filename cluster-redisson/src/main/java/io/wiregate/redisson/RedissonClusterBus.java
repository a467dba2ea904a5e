package io.wiregate.redisson;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.redisson.Redisson;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.PatternMessageListener;
import org.redisson.api.listener.PatternStatusListener;
import org.redisson.client.codec.StringCodec;

import io.wiregate.protocol.ClusterMessage;
import io.wiregate.protocol.MalformedMessageException;
import io.wiregate.protocol.Target;
import io.wiregate.spi.ClusterBus;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.PresenceStore;
import io.wiregate.spi.RecoveryLog;

/**
 * The Redis cluster bus (docs/protocol.md section 8): each delivery made on this node is published once to
 * {@code PREFIX:broadcast}, {@code PREFIX:room:ROOM}, {@code PREFIX:client:ID} or {@code PREFIX:user:ID};
 * every message on those channels from another node or an emitter is handed to local delivery. Messages
 * carrying this node's own {@code serverId} are ignored: they were delivered here already.
 *
 * <p>Being on the class path is enough: Wiregate uses this CDI bean instead of its in-JVM bus. It reads
 * {@code wiregate.redis.address}, {@code .password}, {@code .prefix} and {@code .cluster} from MicroProfile
 * Config where present, else from system properties; without an address it behaves like the in-JVM bus
 * (publishes nowhere, receives nothing), so adding the jar without configuration changes nothing.
 *
 * <p>Redis being down never stops local delivery: {@link #publish} only queues (bounded) and returns; a
 * publish that fails is logged and counted in {@link #metrics()}. Redisson reconnects and subscribes again by
 * itself. Thread-safe.
 */
@ApplicationScoped
public class RedissonClusterBus implements ClusterBus {

    private static final Logger LOG = Logger.getLogger(RedissonClusterBus.class.getName());
    /** How long {@link #start} waits for the subscription before failing the deployment. */
    static final long START_TIMEOUT_MS = 15_000;

    /** How long the presence of a node outlives its last renewal, in milliseconds. */
    static final String PRESENCE_LEASE = "wiregate.redis.presence-lease-ms";
    private final String serverId = UUID.randomUUID().toString();
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder publishes = new LongAdder();
    private final LongAdder publishNanos = new LongAdder();
    /** The shared recovery histories this bus made, for their figures. */
    private final java.util.List<StreamRecoveryLog> logs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ThrottledLog publishLog = new ThrottledLog(LOG, 10_000);
    private final ThrottledLog malformedLog = new ThrottledLog(LOG, 10_000);
    private final Optional<RedisSettings> configured;

    private volatile RedissonClient redis;
    private volatile OrderedPublisher publisher;
    private volatile RPatternTopic topic;
    /** Where the recovery logs retry while Redis is down. */
    private final java.util.concurrent.ScheduledThreadPoolExecutor retries = retryThread();
    private volatile String prefix;
    /** The Redis address(es), for the readiness check's message. */
    private volatile String addresses;

    /** The bean: reads its settings from configuration when {@link #start} runs. */
    public RedissonClusterBus() {
        this.configured = null;
    }

    /** A bus with explicit settings (tests); {@code null} for a bus that runs alone. */
    RedissonClusterBus(RedisSettings settings) {
        this.configured = Optional.ofNullable(settings);
    }

    /**
     * Connects to Redis and subscribes to {@code PREFIX:*}; returns once subscribed. Without
     * {@code wiregate.redis.address} it does nothing.
     *
     * @throws IllegalArgumentException if the configuration is invalid
     * @throws IllegalStateException    if Redis cannot be reached or the subscription is not confirmed within
     *                                  15 s (the message says which address)
     */
    @Override
    public void start(Consumer<Delivery> receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the cluster bus is started already");
        }
        Optional<RedisSettings> settings = configured != null ? configured : RedisSettings.fromConfiguration();
        if (settings.isEmpty()) {
            LOG.fine(() -> RedisSettings.ADDRESS + " is not set: this node runs alone (in-JVM bus)");
            return;
        }
        RedisSettings s = settings.get();
        RedissonClient client;
        try {
            client = Redisson.create(s.toRedissonConfig("wiregate-" + serverId));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Wiregate cannot connect to Redis at " + s.addresses() + ": " + e.getMessage()
                    + ". Start Redis there, or unset " + RedisSettings.ADDRESS + " to run a single node", e);
        }
        try {
            RPatternTopic t = client.getPatternTopic(s.channelPattern(), StringCodec.INSTANCE);
            PatternMessageListener<String> listener = (pattern, channel, message) -> onMessage(channel, message, receiver);
            AtomicBoolean first = new AtomicBoolean(true);
            CompletableFuture<Integer> status = t.addListenerAsync(new PatternStatusListener() {
                @Override
                public void onPSubscribe(String pattern) {
                    if (!first.compareAndSet(true, false)) {
                        LOG.info(() -> "Wiregate cluster bus subscribed again to " + pattern + " after a lost connection");
                    }
                }

                @Override
                public void onPUnsubscribe(String pattern) {
                    LOG.fine(() -> "Wiregate cluster bus unsubscribed from " + pattern);
                }
            }).toCompletableFuture();
            CompletableFuture<Integer> messages = t.addListenerAsync(String.class, listener).toCompletableFuture();
            CompletableFuture.allOf(status, messages).get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            this.prefix = s.prefix();
            this.addresses = String.valueOf(s.addresses());
            this.topic = t;
            this.publisher = new OrderedPublisher(client);
            this.redis = client;
            LOG.info(() -> "Wiregate cluster bus: node " + serverId + " subscribed to " + s.channelPattern() + " on "
                    + s.addresses());
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Wiregate could not subscribe to Redis at " + s.addresses() + " within "
                    + START_TIMEOUT_MS / 1000 + " s: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("interrupted while subscribing to Redis", e);
        }
    }

    /** Queues the delivery for Redis and returns at once; a failure is logged and counted, never thrown. */
    @Override
    public void publish(Delivery delivery) {
        OrderedPublisher p = publisher;
        if (p == null) {
            return; // running alone, or stopped
        }
        ClusterMessage outgoing = message(serverId, delivery);
        String message = outgoing.toJson();
        if (message.length() > ClusterMessage.MAX_SIZE) { // the other nodes would refuse it
            publishFailures.increment();
            publishLog.warn("Wiregate cluster bus: a delivery of '" + delivery.event() + "' is larger than the "
                    + ClusterMessage.MAX_SIZE + " characters other nodes accept; it reached this node's clients only", null);
            return;
        }
        long start = System.nanoTime();
        p.publish(Channels.of(prefix, outgoing.target()), message).whenComplete((n, e) -> {
            publishes.increment();
            publishNanos.add(System.nanoTime() - start);
            if (e == null) {
                published.increment();
            } else {
                publishFailures.increment();
                publishLog.warn("Wiregate cluster bus: a delivery of '" + delivery.event() + "' could not be published to "
                        + "Redis; it reached this node's clients only", e);
            }
        });
    }

    /**
     * The history of a recovery gateway on a Redis Stream shared by the nodes ({@link StreamRecoveryLog}), or null
     * when this node runs alone.
     */
    @Override
    public RecoveryLog recoveryLog(String namespace, long windowMs, int maxEvents) {
        RedissonClient client = redis;
        if (client == null) {
            return null;
        }
        StreamRecoveryLog log = new StreamRecoveryLog(client, retries, prefix, namespace, serverId, maxEvents);
        logs.add(log);
        return log;
    }

    /**
     * The presence of a gateway in Redis, shared by the nodes ({@link RedisPresenceStore}), or null when this node runs
     * alone. A node's lease is {@code wiregate.redis.presence-lease-ms} (15000 by default, at least 300): the members of a
     * node that dies are gone within about 4/3 of it.
     *
     * @throws IllegalArgumentException if the lease is configured but not a number of at least 300
     */
    @Override
    public PresenceStore presenceStore(String namespace) {
        RedissonClient client = redis;
        if (client == null) {
            return null;
        }
        long lease = io.wiregate.protocol.internal.Settings.getLong(PRESENCE_LEASE).orElse(RedisPresenceStore.DEFAULT_LEASE_MS);
        if (lease < 300) {
            throw new IllegalArgumentException(PRESENCE_LEASE + "=" + lease + " must be at least 300 (milliseconds)");
        }
        return new RedisPresenceStore(client, retries, prefix, namespace, serverId, lease);
    }

    /** Unsubscribes and closes the Redis connections. Idempotent. */
    @Override
    @PreDestroy
    public void stop() {
        RedissonClient client = redis;
        redis = null;
        OrderedPublisher p = publisher;
        publisher = null;
        if (p != null) {
            p.close();
        }
        retries.shutdownNow();
        if (client != null) {
            RPatternTopic t = topic;
            if (t != null) {
                try {
                    // Awaited (briefly): a shutdown racing Redis's punsubscribe answer makes Redisson's pub/sub
                    // thread fail with a NullPointerException in its listener map (seen on WildFly).
                    t.removeAllListenersAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    LOG.log(Level.FINE, "unsubscribing from Redis failed; closing the connections anyway", e);
                }
            }
            try {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the Redis connections failed", e);
            }
        }
    }

    /**
     * Whether Redis answers now: a round trip of at most 1 s ({@code EXISTS} on a key of the prefix). Empty when it
     * does, and when this node runs alone (no address); the reason otherwise, for a readiness check.
     */
    @Override
    public Optional<String> unavailable() {
        RedissonClient client = redis;
        if (client == null) {
            return started.get() && topic == null ? Optional.empty() : Optional.of("the cluster bus is stopped");
        }
        try {
            client.getBucket(prefix + ":health", StringCodec.INSTANCE).isExistsAsync().toCompletableFuture()
                    .get(1, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("Redis at " + addresses + " did not answer within 1 s");
        } catch (ExecutionException e) {
            return Optional.of("Redis at " + addresses + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while asking Redis at " + addresses);
        } catch (RuntimeException e) {
            return Optional.of("Redis at " + addresses + " failed: " + e.getMessage());
        }
    }

    private static java.util.concurrent.ScheduledThreadPoolExecutor retryThread() {
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "wiregate-redis-retry");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** This node's {@code serverId} in the messages it publishes. */
    public String serverId() {
        return serverId;
    }

    @Override
    public Optional<io.wiregate.spi.BusStatistics> statistics() {
        long waiting = 0;
        long refused = 0;
        for (StreamRecoveryLog log : logs) {
            waiting += log.waiting();
            refused += log.refused();
        }
        return Optional.of(new io.wiregate.spi.BusStatistics(published.sum(), publishFailures.sum(), received.sum(),
                malformed.sum(), publishes.sum(), publishNanos.sum(), waiting, refused));
    }

    /** The counters since start: publishes, failed publishes, received and malformed messages. */
    public BusMetrics metrics() {
        return new BusMetrics(published.sum(), publishFailures.sum(), received.sum(), malformed.sum(), redis != null);
    }

    private void onMessage(CharSequence channel, String text, Consumer<Delivery> receiver) {
        String p = prefix;
        if (p == null || !Channels.isBusChannel(p, channel.toString())) {
            return; // another use of the prefix, not ours
        }
        ClusterMessage message;
        try {
            message = ClusterMessage.parse(text);
        } catch (MalformedMessageException e) {
            malformed.increment();
            malformedLog.warn("Wiregate cluster bus: ignored a malformed message on " + channel + " (" + e.getMessage() + ")",
                    null);
            return;
        } catch (RuntimeException e) { // a JSON-P implementation failing in an unexpected way
            malformed.increment();
            malformedLog.warn("Wiregate cluster bus: ignored an unreadable message on " + channel, e);
            return;
        }
        if (serverId.equals(message.serverId())) {
            return;
        }
        received.increment();
        try {
            receiver.accept(delivery(message));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Wiregate cluster bus: local delivery of a message from Redis failed", e);
        }
    }

    /** The section 8 message of a delivery made on this node (a broadcast's target, if any, is not part of it). */
    static ClusterMessage message(String serverId, Delivery d) {
        Target target = new Target(Target.Kind.valueOf(d.kind().name()),
                d.kind() == Delivery.TargetKind.BROADCAST ? null : d.target(), d.exclude());
        return new ClusterMessage(serverId, d.namespace(), target, d.event(), d.dataJson(), d.volatileEvent());
    }

    /** The delivery a message from another node or an emitter asks of this node. */
    static Delivery delivery(ClusterMessage m) {
        Target t = m.target();
        return new Delivery(Delivery.TargetKind.valueOf(t.kind().name()), m.namespace(), t.id(), m.event(), m.dataJson(),
                t.exclude(), m.volatileEvent());
    }
}
