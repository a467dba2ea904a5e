package io.wiregate.redisson;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.ConstantDelay;

/**
 * Publishes messages in the order they are handed over, without ever blocking the caller: messages queue
 * up (bounded) and go to Redis in pipelined batches, one batch in flight at a time. One batch travels on one
 * connection, so Redis receives them in order, which keeps docs/protocol.md section 7's per-sender order across
 * nodes; and a batch carries everything queued meanwhile, so throughput does not depend on the round trip.
 * When the queue is full (Redis unreachable for long), a publish fails at once instead of growing memory.
 * Thread-safe.
 */
final class OrderedPublisher {

    static final int MAX_QUEUED = 10_000;
    static final int MAX_BATCH = 512;

    /** One command of a batch: a publish, or a script. */
    private record Item(java.util.function.Function<RBatch, org.redisson.api.RFuture<Long>> command,
                        CompletableFuture<Long> result) {
    }

    private final RedissonClient redis;
    private final BatchOptions options;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean closed;
    private volatile CompletableFuture<Long> last = CompletableFuture.completedFuture(0L);

    OrderedPublisher(RedissonClient redis) {
        this.redis = redis;
        // A publish still failing after ~5 s is reported; later ones queue behind it meanwhile.
        this.options = BatchOptions.defaults()
                .executionMode(BatchOptions.ExecutionMode.IN_MEMORY)
                .responseTimeout(3, TimeUnit.SECONDS)
                .retryAttempts(1)
                .retryDelay(new ConstantDelay(java.time.Duration.ofSeconds(1)));
    }

    /**
     * Queues a message. Never blocks.
     *
     * @return completes with the number of Redis subscribers that received it, or exceptionally (queue full,
     *         publisher closed, Redis unreachable)
     */
    CompletableFuture<Long> publish(String channel, String message) {
        return enqueue(b -> b.getTopic(channel, StringCodec.INSTANCE).publishAsync(message));
    }

    /**
     * Queues a Lua script, in order with the publishes. Never blocks.
     *
     * @return completes with the script's answer (an integer), or exceptionally as {@link #publish}
     */
    CompletableFuture<Long> eval(String routingKey, String script, List<Object> keys, Object... args) {
        return enqueue(b -> b.getScript(StringCodec.INSTANCE).evalAsync(routingKey, org.redisson.api.RScript.Mode.READ_WRITE,
                script, org.redisson.api.RScript.ReturnType.INTEGER, keys, args));
    }

    private CompletableFuture<Long> enqueue(java.util.function.Function<RBatch, org.redisson.api.RFuture<Long>> command) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the Redis connection is closed"));
            return result;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            result.completeExceptionally(new RejectedExecutionException(
                    MAX_QUEUED + " messages already wait for Redis: publish refused"));
            return result;
        }
        last = result;
        queue.add(new Item(command, result));
        drain();
        return result;
    }

    /** How many messages wait for Redis. */
    int queued() {
        return queued.get();
    }

    /** The outcome of the latest publish: once it is complete, so are all earlier ones (batches go in order). */
    CompletableFuture<Long> lastPublish() {
        return last;
    }

    /** Fails what is still queued; later publishes fail at once. */
    void close() {
        closed = true;
        for (Item item; (item = queue.poll()) != null; ) {
            queued.decrementAndGet();
            item.result().completeExceptionally(new IllegalStateException("the Redis connection was closed"));
        }
    }

    // The holder of inFlight sends one batch; whoever releases it, or queues behind it, looks again.
    private void drain() {
        while (!queue.isEmpty() && inFlight.compareAndSet(false, true)) {
            List<Item> batch = new ArrayList<>(Math.min(MAX_BATCH, queued.get()));
            for (Item item; batch.size() < MAX_BATCH && (item = queue.poll()) != null; ) {
                batch.add(item);
            }
            queued.addAndGet(-batch.size());
            if (batch.isEmpty()) {
                inFlight.set(false);
                continue;
            }
            send(batch);
            return;
        }
    }

    private void send(List<Item> batch) {
        CompletableFuture<?> done;
        try {
            RBatch b = redis.createBatch(options);
            for (Item item : batch) {
                item.command().apply(b).whenComplete((n, e) -> complete(item, n, e));
            }
            done = b.executeAsync().toCompletableFuture();
        } catch (RuntimeException e) { // the client is shutting down
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((r, e) -> {
            if (e != null) {
                batch.forEach(item -> item.result().completeExceptionally(e));
            }
            inFlight.set(false);
            drain();
        });
    }

    private static void complete(Item item, Long receivers, Throwable failure) {
        if (failure != null) {
            item.result().completeExceptionally(failure);
        } else {
            item.result().complete(receivers == null ? 0L : receivers);
        }
    }
}
