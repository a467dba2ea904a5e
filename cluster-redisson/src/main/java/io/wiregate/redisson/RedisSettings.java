package io.wiregate.redisson;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.redisson.client.codec.StringCodec;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.ReadMode;
import org.redisson.config.ShardedSubscriptionMode;
import org.redisson.config.SingleServerConfig;
import org.redisson.config.SubscriptionMode;

import io.wiregate.protocol.internal.Settings;

/**
 * Where the Redis of the cluster bus is and how to reach it: {@code wiregate.redis.address} (one
 * {@code redis://} or {@code rediss://} address, or comma-separated node addresses in Redis Cluster mode),
 * {@code wiregate.redis.password}, {@code wiregate.redis.prefix} (channel prefix, {@code ws} by default) and
 * {@code wiregate.redis.cluster}. Immutable.
 */
record RedisSettings(List<String> addresses, String password, String prefix, boolean cluster) {

    static final String ADDRESS = "wiregate.redis.address";
    static final String PASSWORD = "wiregate.redis.password";
    static final String PREFIX = "wiregate.redis.prefix";
    static final String CLUSTER = "wiregate.redis.cluster";
    static final String DEFAULT_PREFIX = "ws";

    /**
     * @throws IllegalArgumentException if there is no address, an address is not a redis URI, several addresses
     *                                  are given outside cluster mode, or the prefix is blank
     */
    RedisSettings {
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("No Redis address: set " + ADDRESS + " (for example redis://127.0.0.1:6379)");
        }
        for (String a : addresses) {
            if (!a.startsWith("redis://") && !a.startsWith("rediss://")) {
                throw new IllegalArgumentException("Redis address '" + a + "' must start with redis:// or rediss://");
            }
        }
        if (!cluster && addresses.size() > 1) {
            throw new IllegalArgumentException("Several Redis addresses " + addresses + " but " + CLUSTER
                    + " is not true: set it for Redis Cluster, or give one address");
        }
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
        if (prefix.isBlank()) {
            throw new IllegalArgumentException(PREFIX + " must not be blank");
        }
        password = password == null || password.isEmpty() ? null : password;
    }

    /** Settings from comma-separated addresses (blanks ignored). */
    static RedisSettings of(String addresses, String password, String prefix, boolean cluster) {
        List<String> list = Arrays.stream(Objects.requireNonNull(addresses, "address").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new RedisSettings(list, password, prefix, cluster);
    }

    /**
     * Reads the {@code wiregate.redis.*} keys from MicroProfile Config when present, else system properties.
     *
     * @return empty when {@code wiregate.redis.address} is not set (the node then runs alone)
     * @throws IllegalArgumentException if the keys are set but invalid
     */
    static Optional<RedisSettings> fromConfiguration() {
        return fromConfiguration(Settings::get);
    }

    static Optional<RedisSettings> fromConfiguration(Function<String, Optional<String>> source) {
        Function<String, Optional<String>> get = key -> source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
        Optional<String> address = get.apply(ADDRESS);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        String cluster = get.apply(CLUSTER).orElse("false");
        if (!cluster.equalsIgnoreCase("true") && !cluster.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("Configuration " + CLUSTER + "=" + cluster + " is not true or false");
        }
        return Optional.of(of(address.get(), get.apply(PASSWORD).orElse(null), get.apply(PREFIX).orElse(null),
                Boolean.parseBoolean(cluster)));
    }

    /** The channel pattern matching every channel of docs/protocol.md section 8 under this prefix. */
    String channelPattern() {
        StringBuilder b = new StringBuilder(prefix.length() + 2);
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\'); // glob characters of the prefix are literal
            }
            b.append(c);
        }
        return b.append(":*").toString();
    }

    /**
     * The Redisson configuration: few connections (a bus publishes through one ordered pipeline and
     * subscribes on one connection), dead connections detected within seconds by pings, reconnection tried
     * at least every two seconds, so that a restarted Redis is back in use well within 30 s.
     */
    Config toRedissonConfig(String clientName) {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE); // also keeps Redisson from instantiating its Kryo default
        config.setThreads(2);
        config.setNettyThreads(4);
        if (cluster) {
            ClusterServersConfig c = config.useClusterServers();
            addresses.forEach(c::addNodeAddress);
            c.setScanInterval(2000)
                    .setReadMode(ReadMode.MASTER)
                    .setSubscriptionMode(SubscriptionMode.MASTER)
                    .setShardedSubscriptionMode(ShardedSubscriptionMode.OFF)
                    .setMasterConnectionPoolSize(4)
                    .setMasterConnectionMinimumIdleSize(1)
                    .setSlaveConnectionPoolSize(1)
                    .setSlaveConnectionMinimumIdleSize(0)
                    .setSubscriptionConnectionPoolSize(4)
                    .setSubscriptionConnectionMinimumIdleSize(1)
                    .setFailedSlaveReconnectionInterval(2000);
            tune(c);
            c.setPassword(password);
            c.setClientName(clientName);
        } else {
            SingleServerConfig c = config.useSingleServer();
            c.setAddress(addresses.get(0))
                    .setConnectionPoolSize(4)
                    .setConnectionMinimumIdleSize(1)
                    .setSubscriptionConnectionPoolSize(2)
                    .setSubscriptionConnectionMinimumIdleSize(1);
            tune(c);
            c.setPassword(password);
            c.setClientName(clientName);
        }
        return config;
    }

    private static void tune(org.redisson.config.BaseConfig<?> c) {
        c.setConnectTimeout(5000)
                .setTimeout(3000)
                .setRetryAttempts(2)
                .setRetryDelay(new ConstantDelay(Duration.ofMillis(1000)))
                .setReconnectionDelay(new EqualJitterDelay(Duration.ofMillis(100), Duration.ofSeconds(2)))
                .setPingConnectionInterval(2000)
                .setSubscriptionTimeout(7500)
                .setKeepAlive(true)
                .setTcpNoDelay(true);
    }

    @Override
    public String toString() {
        return "RedisSettings[addresses=" + addresses + ", prefix=" + prefix + ", cluster=" + cluster
                + ", password=" + (password == null ? "none" : "****") + "]";
    }
}
