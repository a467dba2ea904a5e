package io.wiregate.redisson;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.wiregate.Member;
import io.wiregate.spi.PresenceStore;

/**
 * The presence of one gateway in Redis, shared by the nodes (docs/protocol.md section 11, "on several nodes"). Under
 * {@code PREFIX:{NAMESPACE}:presence} (one hash slot, in Redis Cluster too):
 * <ul>
 *   <li>{@code …:room:ROOM}, a hash: client id to {@code NODE USER} (USER is {@code =} and the user id, or {@code -}
 *       for an anonymous connection);</li>
 *   <li>{@code …:users:ROOM}, a hash: user id to how many of its connections are members;</li>
 *   <li>{@code …:node:NODE}, a hash: {@code ROOM\nCLIENT} to the same value, the memberships a node holds;</li>
 *   <li>{@code …:nodes}, a sorted set: each node with the end of its lease (Redis's clock, milliseconds).</li>
 * </ul>
 * A join or a leave is O(1) in Redis whatever the room's size. A node renews its lease every third of it; a node whose
 * lease ended is reaped by another (its memberships removed and announced as leaves), in batches of {@link #REAP_BATCH}.
 * So the members of a node that died without leaving are gone within about 4/3 of the lease.
 *
 * <p>Changes wait in order, one batch of at most {@link #APPLY_BATCH} in flight; a batch that fails is retried until
 * Redis answers. At most {@link #MAX_WAITING} wait: past that, changes are dropped and, once Redis answers, this node
 * registers its memberships again under a new name (the old name's entries are reaped when its lease ends). It does
 * the same when it finds its lease ended (an outage longer than the lease, or a Redis restarted empty). Thread-safe.
 */
final class RedisPresenceStore implements PresenceStore {

    private static final Logger LOG = Logger.getLogger(RedisPresenceStore.class.getName());
    static final int APPLY_BATCH = 256;
    static final int REAP_BATCH = 500;
    static final int MAX_WAITING = 100_000;
    /** The lease, unless configured ({@code wiregate.redis.presence-lease-ms}). */
    static final long DEFAULT_LEASE_MS = 15_000;
    private static final long MAX_BACKOFF_MS = 1_000;

    /**
     * KEYS: the nodes set. ARGV: the key base, this node's name, this node's id (the prefix of every name it had), then
     * per change its kind ({@code j} or {@code l}), room, client id and user ({@code =USER} or {@code -}). Returns per
     * change: whether the members changed, whether the users changed, and the user the membership had.
     */
    static final String APPLY = """
            local base, node, sid = ARGV[1], ARGV[2], ARGV[3] .. '#'
            local out = {}
            for i = 4, #ARGV, 4 do
              local op, room, client, user = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
              local roomKey, usersKey = base .. ':room:' .. room, base .. ':users:' .. room
              local field = room .. '\\n' .. client
              local cur = redis.call('HGET', roomKey, client)
              local curUser = cur and string.match(cur, '^%S+ (.*)$')
              if op == 'j' then
                local value = node .. ' ' .. user
                if cur == value then
                  out[#out + 1] = '0'; out[#out + 1] = '0'; out[#out + 1] = user
                elseif cur then
                  -- a member already, through another node (a resumed session) or an older name of this one: taken over
                  local curNode = string.match(cur, '^(%S+) ')
                  if curNode then redis.call('HDEL', base .. ':node:' .. curNode, field) end
                  redis.call('HSET', roomKey, client, value)
                  redis.call('HSET', base .. ':node:' .. node, field, value)
                  out[#out + 1] = '0'; out[#out + 1] = '0'; out[#out + 1] = user
                else
                  redis.call('HSET', roomKey, client, value)
                  redis.call('HSET', base .. ':node:' .. node, field, value)
                  local first = '0'
                  if user ~= '-' and redis.call('HINCRBY', usersKey, user, 1) == 1 then first = '1' end
                  out[#out + 1] = '1'; out[#out + 1] = first; out[#out + 1] = user
                end
              else
                if cur and string.sub(cur, 1, #sid) == sid then
                  redis.call('HDEL', roomKey, client)
                  redis.call('HDEL', base .. ':node:' .. string.match(cur, '^(%S+) '), field)
                  local last = '0'
                  if curUser ~= '-' and curUser then
                    if redis.call('HINCRBY', usersKey, curUser, -1) <= 0 then
                      redis.call('HDEL', usersKey, curUser); last = '1'
                    end
                  end
                  out[#out + 1] = '1'; out[#out + 1] = last; out[#out + 1] = curUser or '-'
                else
                  out[#out + 1] = '0'; out[#out + 1] = '0'; out[#out + 1] = user
                end
              end
            end
            return out
            """;

    /**
     * KEYS: the nodes set. ARGV: this node's name, the lease, whether to register it. Renews this node's lease if it
     * still runs (or registers it), and claims one node whose lease ended for reaping (its lease is extended meanwhile,
     * so that another node takes over a reaper that dies). Returns whether this node's lease had ended (or was never
     * there), and the node to reap or ''.
     */
    static final String TICK = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local lease = tonumber(ARGV[2])
            local prev = redis.call('ZSCORE', KEYS[1], ARGV[1])
            local lost = '0'
            if ARGV[3] == '1' or (prev and tonumber(prev) >= now) then
              redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
            else
              lost = '1'
            end
            local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)[1]
            if dead then redis.call('ZADD', KEYS[1], now + lease, dead) else dead = '' end
            return {lost, dead}
            """;

    /**
     * KEYS: the nodes set. ARGV: the key base, the dead node, the batch size. Removes a batch of the dead node's
     * memberships (those it still holds: a resumed session's was taken over), and the node once none is left. Returns
     * whether it is done, then per removed membership its room, client, user and whether the user left the room.
     */
    static final String REAP = """
            local base, dead = ARGV[1], ARGV[2]
            local nodeKey = base .. ':node:' .. dead
            local scan = redis.call('HSCAN', nodeKey, '0', 'COUNT', ARGV[3])
            local out = {'0'}
            local fields = scan[2]
            for i = 1, #fields, 2 do
              local field, value = fields[i], fields[i + 1]
              local nl = string.find(field, '\\n', 1, true)
              if nl then
                local room, client = string.sub(field, 1, nl - 1), string.sub(field, nl + 1)
                local roomKey = base .. ':room:' .. room
                if redis.call('HGET', roomKey, client) == value then
                  redis.call('HDEL', roomKey, client)
                  local user = string.match(value, '^%S+ (.*)$') or '-'
                  local last = '0'
                  if user ~= '-' and redis.call('HINCRBY', base .. ':users:' .. room, user, -1) <= 0 then
                    redis.call('HDEL', base .. ':users:' .. room, user); last = '1'
                  end
                  out[#out + 1] = room; out[#out + 1] = client; out[#out + 1] = user; out[#out + 1] = last
                end
              end
              redis.call('HDEL', nodeKey, field)
            end
            if redis.call('HLEN', nodeKey) == 0 then
              redis.call('ZREM', KEYS[1], dead)
              out[1] = '1'
            end
            return out
            """;

    /** KEYS: a room's hash. ARGV: the most members to list. Returns the count, then client and value of each listed. */
    static final String MEMBERS = """
            local limit = tonumber(ARGV[1])
            local out = {tostring(redis.call('HLEN', KEYS[1]))}
            local cursor = '0'
            repeat
              local scan = redis.call('HSCAN', KEYS[1], cursor, 'COUNT', 1000)
              cursor = scan[1]
              for i = 1, #scan[2], 2 do
                if (#out - 1) / 2 >= limit then return out end
                out[#out + 1] = scan[2][i]; out[#out + 1] = scan[2][i + 1]
              end
            until cursor == '0'
            return out
            """;

    /** A change waiting for Redis, or (change null) a flush. */
    private record Op(Change change, Consumer<Outcome> then, Runnable flushed) {
    }

    private final RedissonClient redis;
    private final ScheduledExecutorService timers;
    private final String base;
    private final String nodesKey;
    private final String serverId;
    private final long leaseMs;
    private final ThrottledLog outageLog = new ThrottledLog(LOG, 10_000);
    private final ThrottledLog droppedLog = new ThrottledLog(LOG, 10_000);

    // Guarded by this.
    private final ArrayDeque<Op> waiting = new ArrayDeque<>();
    private int waitingChanges;
    private boolean inFlight;
    private boolean stopped;
    /** Set when changes were dropped or this node's lease ended: register again under a new name. */
    private boolean reregister;
    private int incarnation;
    private long backoff;
    private Supplier<List<Change>> current;
    private Consumer<Outcome> changes;
    private ScheduledFuture<?> ticks;
    private boolean reaping;

    /**
     * @param prefix    the bus's key prefix
     * @param namespace the gateway's declared path
     * @param serverId  this node's id
     * @param leaseMs   how long a node's memberships outlive its last renewal
     */
    RedisPresenceStore(RedissonClient redis, ScheduledExecutorService timers, String prefix, String namespace,
                       String serverId, long leaseMs) {
        this.redis = redis;
        this.timers = timers;
        this.base = base(prefix, namespace);
        this.nodesKey = base + ":nodes";
        this.serverId = serverId;
        this.leaseMs = leaseMs;
    }

    /** The prefix of a gateway's presence keys (one slot with each other). */
    static String base(String prefix, String namespace) {
        return prefix + ":{" + namespace + "}:presence";
    }

    private synchronized String node() {
        return serverId + "#" + incarnation;
    }

    @Override
    public void start(Supplier<List<Change>> current, Consumer<Outcome> changes) throws Exception {
        synchronized (this) {
            this.current = current;
            this.changes = changes;
        }
        tick(true).get(RedissonClusterBus.START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long every = Math.max(100, leaseMs / 3);
        synchronized (this) {
            ticks = timers.scheduleWithFixedDelay(() -> tick(false), every, every, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void apply(Change change, Consumer<Outcome> then) {
        boolean queued = false;
        synchronized (this) {
            if (!stopped && waitingChanges < MAX_WAITING) {
                queued = true;
                waiting.add(new Op(change, then, null));
                waitingChanges++;
                if (inFlight) {
                    return; // the batch in flight sends the next
                }
                inFlight = true;
            } else {
                if (!stopped) {
                    reregister = true;
                    droppedLog.warn("Wiregate presence: " + waitingChanges + " changes wait for Redis under " + base
                            + "; changes are dropped, and this node registers its members again once Redis is back", null);
                }
            }
        }
        if (queued) {
            sendNext();
        } else {
            tell(then, new Outcome(change, false, false)); // dropped: it changed nothing
        }
    }

    @Override
    public void flush(Runnable then) {
        synchronized (this) {
            if (!stopped && (inFlight || !waiting.isEmpty())) {
                waiting.add(new Op(null, null, then)); // runs once the changes before it are applied
                return; // a batch is in flight: its completion sends the next
            }
        }
        run(then);
    }

    @Override
    public CompletionStage<Snapshot> members(String room, int limit) {
        try {
            return redis.getScript(StringCodec.INSTANCE).<List<Object>>evalAsync(nodesKey, RScript.Mode.READ_ONLY, MEMBERS,
                    RScript.ReturnType.MULTI, List.of(base + ":room:" + room), String.valueOf(limit))
                    .thenApply(RedisPresenceStore::snapshot);
        } catch (RuntimeException e) { // the client is shutting down
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Snapshot snapshot(List<Object> answer) {
        long count = Long.parseLong(String.valueOf(answer.get(0)));
        List<Member> members = new ArrayList<>((answer.size() - 1) / 2);
        for (int i = 1; i + 1 < answer.size(); i += 2) {
            members.add(new Member(String.valueOf(answer.get(i)), userOf(String.valueOf(answer.get(i + 1)))));
        }
        return new Snapshot(members, count);
    }

    /** The user id of a stored value {@code NODE USER}: null for {@code -} (or anything malformed). */
    static String userOf(String value) {
        int space = value.indexOf(' ');
        return space < 0 ? null : userOfTag(value.substring(space + 1));
    }

    /** The user id of a stored user tag: {@code =USER}, or null for {@code -} (or anything malformed). */
    static String userOfTag(String tag) {
        return tag.startsWith("=") ? tag.substring(1) : null;
    }

    /** A script's {@code '1'} or {@code '0'}. */
    private static boolean flag(Object answer) {
        return "1".equals(String.valueOf(answer));
    }

    /** Stops renewing the lease; what waits gets up to two seconds to reach Redis. */
    @Override
    public void stop() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<Op> dropped;
        synchronized (this) {
            if (ticks != null) {
                ticks.cancel(false);
            }
            while ((inFlight || !waiting.isEmpty()) && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            stopped = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
            waitingChanges = 0;
        }
        dropped.forEach(RedisPresenceStore::unchanged);
    }

    // ----------------------------------------------------------------------------------------------------- applying

    private void sendNext() {
        List<Op> batch = new ArrayList<>();
        boolean again;
        String node;
        synchronized (this) {
            again = reregister && !stopped; // even with nothing waiting: the node's record in Redis is what is wrong
            if (!again && (stopped || waiting.isEmpty())) {
                inFlight = false;
                notifyAll();
                return;
            }
            for (Op op : waiting) {
                if (batch.size() == APPLY_BATCH) {
                    break;
                }
                batch.add(op);
            }
            node = node();
        }
        if (again) {
            registerAgain();
            return;
        }
        List<Change> changesOf = new ArrayList<>(batch.size());
        batch.stream().filter(op -> op.change() != null).forEach(op -> changesOf.add(op.change()));
        applyAsync(node, changesOf).whenComplete((outcomes, failure) -> {
            if (failure != null) {
                outageLog.warn("Wiregate presence: writing to Redis under " + base + " failed (" + failure + "); "
                        + waitingChanges() + " changes wait for Redis, in order", null);
                retryLater();
                return;
            }
            synchronized (this) {
                backoff = 0;
                for (int i = 0; i < batch.size(); i++) {
                    waiting.poll();
                }
                waitingChanges -= changesOf.size();
            }
            int next = 0;
            for (Op op : batch) {
                if (op.change() == null) {
                    run(op.flushed());
                } else {
                    tell(op.then(), outcomes.get(next++));
                }
            }
            sendNext();
        });
    }

    private synchronized int waitingChanges() {
        return waitingChanges;
    }

    private CompletableFuture<List<Outcome>> applyAsync(String node, List<Change> batch) {
        if (batch.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Object[] args = new Object[3 + 4 * batch.size()];
        args[0] = base;
        args[1] = node;
        args[2] = serverId;
        int i = 3;
        for (Change c : batch) {
            args[i++] = c.joined() ? "j" : "l";
            args[i++] = c.room();
            args[i++] = c.clientId();
            args[i++] = c.userId() == null ? "-" : "=" + c.userId();
        }
        try {
            return redis.getScript(StringCodec.INSTANCE).<List<Object>>evalAsync(nodesKey, RScript.Mode.READ_WRITE, APPLY,
                    RScript.ReturnType.MULTI, List.of(nodesKey), args).toCompletableFuture().thenApply(answer -> {
                        List<Outcome> outcomes = new ArrayList<>(batch.size());
                        for (int k = 0; k < batch.size(); k++) {
                            Change c = batch.get(k);
                            String user = userOfTag(String.valueOf(answer.get(3 * k + 2)));
                            outcomes.add(new Outcome(new Change(c.room(), c.clientId(), c.joined() ? c.userId() : user,
                                    c.joined()), flag(answer.get(3 * k)), flag(answer.get(3 * k + 1))));
                        }
                        return outcomes;
                    });
        } catch (RuntimeException e) { // the client is shutting down
            return CompletableFuture.failedFuture(e);
        }
    }

    private void retryLater() {
        long delay;
        synchronized (this) {
            if (stopped) {
                inFlight = false;
                notifyAll();
                return;
            }
            backoff = backoff == 0 ? 50 : Math.min(MAX_BACKOFF_MS, backoff * 2);
            delay = backoff;
        }
        try {
            timers.schedule(this::sendNext, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) {
                inFlight = false;
                notifyAll();
            }
        }
    }

    /**
     * This node's record in Redis cannot be trusted (changes were dropped, or its lease ended): it takes a new name, and
     * registers every membership it holds now under it, before the changes that wait. The old name's memberships are
     * reaped when its lease ends (by this node or another); those this node holds were taken over meanwhile.
     */
    private void registerAgain() {
        String node;
        Supplier<List<Change>> now;
        synchronized (this) {
            reregister = false;
            incarnation++;
            node = node();
            now = current;
        }
        LOG.warning(() -> "Wiregate presence: this node registers its members under " + base + " again, as " + node);
        List<Change> all = now == null ? List.of() : now.get();
        tickAsync(node, true).thenCompose(t -> applyAll(node, all, 0)).whenComplete((v, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    reregister = true;
                }
                outageLog.warn("Wiregate presence: registering this node's members again under " + base + " failed ("
                        + failure + ")", null);
                retryLater();
            } else {
                sendNext();
            }
        });
    }

    private CompletableFuture<Void> applyAll(String node, List<Change> all, int from) {
        if (from >= all.size()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Change> batch = all.subList(from, Math.min(all.size(), from + APPLY_BATCH));
        return applyAsync(node, batch).thenCompose(outcomes -> {
            outcomes.forEach(this::report);
            return applyAll(node, all, from + batch.size());
        });
    }

    // ------------------------------------------------------------------------------------------- leases and reaping

    private CompletableFuture<Void> tick(boolean register) {
        String node = node();
        return tickAsync(node, register).thenAccept(answer -> {
            if (flag(answer.get(0))) {
                synchronized (this) {
                    if (!node.equals(node()) || reregister) {
                        return;
                    }
                    LOG.warning(() -> "Wiregate presence: the lease of this node (" + node + ") under " + base
                            + " ended (Redis was out of reach for longer than " + leaseMs + " ms, or restarted empty)");
                    reregister = true;
                    if (inFlight) {
                        return;
                    }
                    inFlight = true;
                }
                registerAgain();
                return;
            }
            String dead = String.valueOf(answer.get(1));
            if (!dead.isEmpty()) {
                reap(dead);
            }
        }).exceptionally(failure -> {
            outageLog.warn("Wiregate presence: renewing this node's lease under " + base + " failed (" + failure + ")", null);
            return null;
        });
    }

    private CompletableFuture<List<Object>> tickAsync(String node, boolean register) {
        try {
            return redis.getScript(StringCodec.INSTANCE).<List<Object>>evalAsync(nodesKey, RScript.Mode.READ_WRITE, TICK,
                    RScript.ReturnType.MULTI, List.of(nodesKey), node, String.valueOf(leaseMs), register ? "1" : "0")
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Removes the memberships of a node whose lease ended, batch after batch, and reports each as a leave. */
    private void reap(String dead) {
        synchronized (this) {
            if (reaping || stopped) {
                return;
            }
            reaping = true;
        }
        LOG.info(() -> "Wiregate presence: the lease of node " + dead + " under " + base + " ended; removing its members");
        reapBatch(dead);
    }

    private void reapBatch(String dead) {
        CompletableFuture<List<Object>> answer;
        try {
            answer = redis.getScript(StringCodec.INSTANCE).<List<Object>>evalAsync(nodesKey, RScript.Mode.READ_WRITE, REAP,
                    RScript.ReturnType.MULTI, List.of(nodesKey), base, dead, String.valueOf(REAP_BATCH)).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((list, failure) -> {
            if (failure == null) {
                for (int i = 1; i + 3 < list.size(); i += 4) {
                    report(new Outcome(new Change(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)),
                            userOfTag(String.valueOf(list.get(i + 2))), false), true, flag(list.get(i + 3))));
                }
            }
            boolean more = failure == null && !flag(list.get(0));
            synchronized (this) {
                if (!more || stopped) {
                    reaping = false; // a failure: the next tick claims the node again once its extended lease ends
                    return;
                }
            }
            reapBatch(dead);
        });
    }

    private void report(Outcome o) {
        Consumer<Outcome> c;
        synchronized (this) {
            c = changes;
        }
        if (c != null) {
            tell(c, o);
        }
    }

    private static void tell(Consumer<Outcome> then, Outcome o) {
        try {
            then.accept(o);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Wiregate presence: a change's callback failed", e);
        }
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Wiregate presence: a flush's callback failed", e);
        }
    }

    private static void unchanged(Op op) {
        if (op.change() == null) {
            run(op.flushed());
        } else {
            tell(op.then(), new Outcome(op.change(), false, false));
        }
    }
}
