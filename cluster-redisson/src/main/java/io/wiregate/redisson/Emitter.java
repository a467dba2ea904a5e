package io.wiregate.redisson;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.wiregate.protocol.ClusterMessage;
import io.wiregate.protocol.EventNames;

/**
 * Pushes events to the clients of running Wiregate nodes from a process that runs no WebSocket server (a
 * worker, a batch job): it publishes docs/protocol.md section 8 messages with {@code serverId} {@code emitter}, which
 * every node delivers to its own clients. No CDI container is needed. The targets are those of
 * {@link io.wiregate.Broadcaster}:
 *
 * <pre>{@code
 * try (Emitter emitter = Emitter.create("redis://127.0.0.1:6379")) {
 *     Emitter chat = emitter.forNamespace("/chat");
 *     chat.toRoom("lobby").except(someClientId).emit("announcement", new Announcement("Maintenance at 6"));
 *     emitter.toUser("alice").emit("invoice", Map.of("id", 42))      // no namespace: on every gateway
 *            .toCompletableFuture().get(5, TimeUnit.SECONDS);        // optional: wait for Redis
 * }
 * }</pre>
 *
 * <p>Payloads are serialized with JSON-B, so a worker needs an implementation on its class path (Yasson
 * {@code org.eclipse:yasson} with Parsson {@code org.eclipse.parsson:parsson}); JSON-P {@link JsonValue}
 * payloads are written as they are. Emits never block: they are sent in order, in the background, and the
 * returned stage tells the outcome. Thread-safe.
 */
public final class Emitter implements AutoCloseable {

    private final Connection connection;
    private final String namespace;

    private Emitter(Connection connection, String namespace) {
        this.connection = connection;
        this.namespace = namespace;
    }

    /**
     * Connects an emitter with the default prefix {@code ws} and no password; it emits on every gateway
     * until {@link #forNamespace(String)} names one.
     *
     * @param address a Redis URI, for example {@code redis://127.0.0.1:6379}
     * @throws IllegalArgumentException if the address is not a {@code redis://} or {@code rediss://} URI
     * @throws IllegalStateException    if Redis cannot be reached
     */
    public static Emitter create(String address) {
        return builder().address(address).build();
    }

    /**
     * Connects an emitter configured like a node: {@code wiregate.redis.address}, {@code .password},
     * {@code .prefix}, {@code .cluster} from MicroProfile Config where present, else system properties.
     *
     * @throws IllegalStateException    if {@code wiregate.redis.address} is not set, or Redis cannot be reached
     * @throws IllegalArgumentException if the configuration is invalid
     */
    public static Emitter fromConfiguration() {
        RedisSettings settings = RedisSettings.fromConfiguration().orElseThrow(() -> new IllegalStateException(
                "Set " + RedisSettings.ADDRESS + " (for example redis://127.0.0.1:6379) to use the Emitter"));
        return new Emitter(Connection.open(settings, null), null);
    }

    /** A builder for an emitter with a password, a channel prefix, Redis Cluster or a namespace. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The same emitter (same connection), emitting on the gateway declared at {@code namespace} only.
     * Closing the returned emitter closes the shared connection too.
     *
     * @param namespace the gateway's path as declared ({@code /chat}, {@code /rooms/{roomId}}), or {@code null}
     *                  for every gateway of every node
     * @throws IllegalArgumentException if {@code namespace} does not start with {@code /}
     */
    public Emitter forNamespace(String namespace) {
        return new Emitter(connection, checkNamespace(namespace));
    }

    /** The gateway path this emitter targets, or {@code null} for every gateway. */
    public String namespace() {
        return namespace;
    }

    /**
     * The one client with this id, on whichever node it is connected.
     *
     * @throws IllegalArgumentException if {@code clientId} is null or empty
     */
    public Target toClient(String clientId) {
        return new Target(io.wiregate.protocol.Target.client(requireId(clientId, "client id")));
    }

    /**
     * Every session of this user id, on every node.
     *
     * @throws IllegalArgumentException if {@code userId} is null or empty
     */
    public Target toUser(String userId) {
        return new Target(io.wiregate.protocol.Target.user(requireId(userId, "user id")));
    }

    /**
     * Every member of this room, on every node.
     *
     * @throws IllegalArgumentException if {@code room} is not 1 to 128 characters without control characters
     */
    public Target toRoom(String room) {
        return new Target(io.wiregate.protocol.Target.room(room));
    }

    /** Every connected client of the namespace (of every gateway when the emitter has none), on every node. */
    public Target toAll() {
        return new Target(io.wiregate.protocol.Target.all());
    }

    /**
     * Closes the Redis connection, after at most 2 s for what is still being sent; emits still queued then
     * fail. Idempotent. Shared with every emitter made by {@link #forNamespace(String)}.
     */
    @Override
    public void close() {
        connection.close();
    }

    /**
     * Who receives an emit: one client, one user's sessions, a room or a whole namespace, minus excluded client
     * ids (the same value, {@link io.wiregate.protocol.Target}, as a gateway's {@code Broadcaster}), and the
     * emitter that publishes to them. Immutable; {@link #except} returns a new one.
     */
    public final class Target {
        private final io.wiregate.protocol.Target recipients;

        private Target(io.wiregate.protocol.Target recipients) {
            this.recipients = recipients;
        }

        /**
         * The same recipients minus these client ids.
         *
         * @throws NullPointerException if an id is null
         */
        public Target except(String... clientIds) {
            return new Target(recipients.except(clientIds));
        }

        /**
         * The same recipients minus these client ids.
         *
         * @throws NullPointerException if an id is null
         */
        public Target except(Collection<String> clientIds) {
            return new Target(recipients.except(clientIds));
        }

        /**
         * Publishes {@code {"event": event, "data": data}} to the recipients; the nodes deliver it to their
         * clients. Never blocks. On an emitter with a namespace whose gateway has connection state recovery on
         * Redis, the event goes into the gateway's shared history instead (docs/protocol.md section 9), so it is
         * recoverable like a {@code Broadcaster} emit.
         *
         * @param event the event name, 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}
         * @param data  a JSON-P {@link JsonValue} (written as it is), any value JSON-B can serialize, or null
         * @return completes with the number of Redis subscriptions that received the message (0 when no node
         *         runs; -1 when it went into a shared recovery history), or exceptionally when it could not be
         *         published (Redis unreachable for about 5 s, too
         *         many emits waiting, emitter closed)
         * @throws IllegalArgumentException if the event name is not valid, or the message would exceed the 1 MiB
         *                                  (in characters) that nodes accept
         * @throws IllegalStateException    if the emitter is closed
         * @throws jakarta.json.bind.JsonbException if {@code data} cannot be serialized, or no JSON-B
         *                                  implementation is on the class path
         */
        public CompletionStage<Long> emit(String event, Object data) {
            return send(event, data, false);
        }

        /**
         * Like {@link #emit(String, Object)}, but volatile: a client whose outbound queue is full simply does not
         * get it and stays connected.
         *
         * @return as {@link #emit(String, Object)}
         * @throws IllegalArgumentException if the event name is not valid, or the message is too large
         * @throws IllegalStateException    if the emitter is closed
         * @throws jakarta.json.bind.JsonbException if {@code data} cannot be serialized
         */
        public CompletionStage<Long> emitVolatile(String event, Object data) {
            return send(event, data, true);
        }

        private CompletionStage<Long> send(String event, Object data, boolean volatileEvent) {
            EventNames.requireValidEvent(event);
            connection.requireOpen();
            String message = new ClusterMessage(ClusterMessage.EMITTER_SERVER_ID, namespace, recipients, event,
                    connection.toJson(data), volatileEvent).toJson();
            if (message.length() > ClusterMessage.MAX_SIZE) {
                throw new IllegalArgumentException("The message is larger than the " + ClusterMessage.MAX_SIZE
                        + " characters Wiregate nodes accept from Redis");
            }
            String channel = Channels.of(connection.prefix, recipients);
            if (volatileEvent || namespace == null) {
                return connection.publisher.publish(channel, message);
            }
            // Recoverable, on one gateway: into its shared history if it has one (docs/protocol.md section 9),
            // published otherwise; the script decides in Redis, in order with this emitter's other messages.
            String stream = StreamRecoveryLog.streamKey(connection.prefix, namespace);
            List<Object> keys = List.of(stream, StreamRecoveryLog.epochKey(connection.prefix, namespace),
                    StreamRecoveryLog.boundKey(stream));
            return connection.publisher.eval(stream, StreamRecoveryLog.EMIT, keys, connection.origin,
                    String.valueOf(connection.seq.incrementAndGet()), message, channel, StreamRecoveryLog.notifyKey(stream));
        }

        @Override
        public String toString() {
            return "Emitter.Target[" + recipients.kind().wire() + (recipients.id() == null ? "" : " " + recipients.id())
                    + (namespace == null ? "" : " on " + namespace)
                    + (recipients.exclude().isEmpty() ? "" : " except " + recipients.exclude()) + "]";
        }
    }

    /** Configures an {@link Emitter}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private String address;
        private String password;
        private String prefix = RedisSettings.DEFAULT_PREFIX;
        private boolean cluster;
        private String namespace;
        private Jsonb jsonb;

        private Builder() {
        }

        /** The Redis URI ({@code redis://HOST:PORT}, {@code rediss://} for TLS), or comma-separated node URIs in cluster mode. */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** The Redis password; none by default. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The channel prefix the nodes use ({@code wiregate.redis.prefix}); {@code ws} by default. */
        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** Whether the address names Redis Cluster nodes; false by default. */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /** The gateway path to emit on ({@code /chat}); none by default, meaning every gateway. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /**
         * The JSON-B instance that serializes payloads (configured naming, adapters); by default one is created
         * when first needed, and closed with the emitter. One given here is not closed by the emitter.
         */
        public Builder jsonb(Jsonb jsonb) {
            this.jsonb = jsonb;
            return this;
        }

        /**
         * Connects the emitter.
         *
         * @throws IllegalArgumentException if the address is missing or not a redis URI, several addresses are
         *                                  given without cluster mode, the prefix is blank, or the namespace does
         *                                  not start with {@code /}
         * @throws IllegalStateException    if Redis cannot be reached
         */
        public Emitter build() {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("An Emitter needs a Redis address, for example redis://127.0.0.1:6379");
            }
            String ns = checkNamespace(namespace);
            RedisSettings settings = RedisSettings.of(address, password, prefix, cluster);
            return new Emitter(Connection.open(settings, jsonb), ns);
        }
    }

    private static String checkNamespace(String namespace) {
        if (namespace != null && !namespace.startsWith("/")) {
            throw new IllegalArgumentException("A namespace is a gateway's path and starts with /: '" + namespace + "'");
        }
        return namespace;
    }

    private static String requireId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("A " + what + " must not be null or empty");
        }
        return id;
    }

    /** The Redis connection and the JSON-B instance shared by an emitter and its namespace views. */
    private static final class Connection {
        final RedissonClient redis;
        final OrderedPublisher publisher;
        final String prefix;
        /** This emitter's origin in the shared histories it appends to, and its sequence number there. */
        final String origin = "emitter-" + java.util.UUID.randomUUID();
        final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        private final boolean ownsJsonb;
        private final AtomicBoolean closed = new AtomicBoolean();
        private Jsonb jsonb;

        private Connection(RedissonClient redis, String prefix, Jsonb jsonb) {
            this.redis = redis;
            // On every master at once: an emit is a script in a batch, and on a Redis Cluster the batch's own load of it
            // may miss the master of the stream's slot (NOSCRIPT on the first emit, seen in RedisClusterModeTest).
            redis.getScript(StringCodec.INSTANCE).scriptLoad(StreamRecoveryLog.EMIT);
            this.publisher = new OrderedPublisher(redis);
            this.prefix = prefix;
            this.jsonb = jsonb;
            this.ownsJsonb = jsonb == null;
        }

        static Connection open(RedisSettings settings, Jsonb jsonb) {
            RedissonClient client = null;
            try {
                client = Redisson.create(settings.toRedissonConfig("wiregate-emitter"));
                return new Connection(client, settings.prefix(), jsonb);
            } catch (RuntimeException e) {
                if (client != null) {
                    client.shutdown();
                }
                throw new IllegalStateException("The Emitter cannot connect to Redis at " + settings.addresses() + ": "
                        + e.getMessage(), e);
            }
        }

        void requireOpen() {
            if (closed.get()) {
                throw new IllegalStateException("This Emitter is closed");
            }
        }

        String toJson(Object data) {
            if (data == null || data instanceof JsonValue) {
                return ClusterMessage.dataJson((JsonValue) data);
            }
            return jsonb().toJson(data);
        }

        private synchronized Jsonb jsonb() {
            if (jsonb == null) {
                jsonb = JsonbBuilder.create();
            }
            return jsonb;
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                // what was emitted just before close goes out first (bounded): batches complete in order
                publisher.lastPublish().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // still queued or failed: it fails or is reported through its own stage
            }
            publisher.close();
            redis.shutdown(0, 2, TimeUnit.SECONDS);
            synchronized (this) {
                if (ownsJsonb && jsonb != null) {
                    try {
                        jsonb.close();
                    } catch (Exception e) {
                        // nothing left to release
                    }
                }
            }
        }
    }
}
