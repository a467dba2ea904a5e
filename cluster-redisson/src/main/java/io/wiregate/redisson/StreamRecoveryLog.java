package io.wiregate.redisson;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.codec.StringCodec;

import io.wiregate.spi.RecoveryLog;

/**
 * The shared history of one recovery gateway on a Redis Stream (docs/protocol.md section 9, "on several nodes"):
 * {@code PREFIX:{NAMESPACE}:history}, with its epoch in {@code PREFIX:{NAMESPACE}:epoch}. Every entry carries the epoch
 * it was appended under ({@code e}), its origin ({@code o}: the appending node, or an emitter), the origin's sequence
 * number ({@code s}) and the record ({@code r}); an entry with {@code g} instead of {@code r} marks records an origin
 * had to drop.
 *
 * <p><b>Appending.</b> One Lua script appends a batch of a node's records only if the epoch key still holds the
 * node's epoch, so an append never lands in a history that lost what came before it unnoticed. Records wait in
 * order, one batch in flight, and a batch that fails is retried until Redis answers: a Redis outage delays this
 * node's records, it does not lose or reorder them. Waiting records are bounded ({@link #MAX_WAITING} records and
 * {@link #MAX_WAITING_CHARS} characters); past the bound a record is refused (logged), and a gap entry follows once
 * Redis is back, so that no node recovers a session exactly across it.
 *
 * <p><b>Losing the history.</b> When the epoch key is gone (Redis restarted empty), the node sets a new epoch (the
 * first node to do so wins) and appends again what it appended during the last {@link #RESEND_MS} ms, then what
 * waits: records that the other nodes had not read when Redis went down reach them in the new epoch. Readers drop
 * what they already have by origin and sequence number.
 *
 * <p><b>Reading.</b> At start the whole stream is read (it is trimmed to about twice the gateway's history); then
 * every append announces itself on a pub/sub channel, and each notice reads up to {@link #READ_BATCH} new entries,
 * one read in flight, with a poll every {@link #POLL_MS} ms besides (no blocking command: Redisson would queue
 * other commands behind it). Entries are untrusted: a malformed one is logged and skipped. Thread-safe.
 */
final class StreamRecoveryLog implements RecoveryLog {

    private static final Logger LOG = Logger.getLogger(StreamRecoveryLog.class.getName());
    /** The most records waiting for Redis. */
    static final int MAX_WAITING = 10_000;
    /** The most characters of records waiting for Redis. */
    static final long MAX_WAITING_CHARS = 32L * 1024 * 1024;
    /** How long appended records are kept to be appended again if Redis loses them. */
    static final long RESEND_MS = 10_000;
    static final int APPEND_BATCH = 256;
    static final int READ_BATCH = 512;
    /** How often the stream is read without a notice. */
    static final long POLL_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 1_000;

    /**
     * KEYS: stream, epoch, bound (where emitters read the stream's bound). ARGV: expected epoch ('' to take the current one, setting ARGV[2] when there is none),
     * a new epoch, the stream's approximate bound, the origin, the channel announcing appends, then per record its
     * sequence number and text ('' for a gap entry). Returns '+EPOCH' once appended, '-' when the epoch key does not hold the expected epoch.
     */
    static final String APPEND = """
            local cur = redis.call('GET', KEYS[2])
            if ARGV[1] == '' then
              if not cur then cur = ARGV[2]; redis.call('SET', KEYS[2], cur) end
              redis.call('SET', KEYS[3], ARGV[3])
            elseif cur ~= ARGV[1] then
              return '-'
            end
            for i = 6, #ARGV, 2 do
              if ARGV[i + 1] == '' then
                redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', cur, 'o', ARGV[4], 's', ARGV[i], 'g', '1')
              else
                redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', cur, 'o', ARGV[4], 's', ARGV[i], 'r', ARGV[i + 1])
              end
            end
            if #ARGV > 5 then redis.call('PUBLISH', ARGV[5], '') end
            return '+' .. cur
            """;

    /**
     * What an {@link Emitter} runs for a recoverable event of one gateway. KEYS: stream, epoch, bound. ARGV: origin, sequence
     * number, the cluster message, its pub/sub channel, the channel announcing appends. Appends the message to the gateway's shared history when it
     * has one (its epoch key exists: some node runs the gateway with recovery on Redis) and answers -1; publishes
     * it otherwise and answers the number of subscribers that received it.
     */
    static final String EMIT = """
            local cur = redis.call('GET', KEYS[2])
            if cur then
              local bound = redis.call('GET', KEYS[3]) or '21000'
              redis.call('XADD', KEYS[1], 'MAXLEN', '~', bound, '*', 'e', cur, 'o', ARGV[1], 's', ARGV[2], 'r', ARGV[3])
              redis.call('PUBLISH', ARGV[5], '')
              return -1
            end
            return redis.call('PUBLISH', ARGV[4], ARGV[3])
            """;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private record Item(long seq, String record, long sentMillis) {
    }

    private final RedissonClient redis;
    private final ScheduledExecutorService retries;
    private final String streamKey;
    private final String epochKey;
    /** The pub/sub channel every append publishes on, for the readers. */
    private final String notifyKey;
    private final String origin;
    private final long maxLen;
    private final ThrottledLog outageLog = new ThrottledLog(LOG, 10_000);
    private final ThrottledLog refusedLog = new ThrottledLog(LOG, 10_000);
    private final ThrottledLog malformedLog = new ThrottledLog(LOG, 10_000);

    // Guarded by this.
    private final ArrayDeque<Item> waiting = new ArrayDeque<>();
    private final ArrayDeque<Item> recent = new ArrayDeque<>();
    private long waitingChars;
    private long refused;
    private long nextSeq = 1;
    private boolean inFlight;
    private boolean gapPending;
    private boolean stopped;
    private String epoch;
    private long appendBackoff;

    // The reader's state: one read in flight at a time.
    private final Map<String, Long> lastSeqByOrigin = new HashMap<>();
    private volatile StreamMessageId lastRead = new StreamMessageId(0, 0);
    /** The epoch of the last entry handed over. */
    private String readEpoch;
    private Reader reader;
    private boolean reading;
    private boolean readAgain;
    private java.util.concurrent.ScheduledFuture<?> poll;

    /**
     * @param prefix    the bus's key prefix
     * @param namespace the gateway's declared path
     * @param origin    this node's id
     * @param maxEvents the gateway's history bound (the stream keeps about twice as many entries)
     */
    StreamRecoveryLog(RedissonClient redis, ScheduledExecutorService retries, String prefix, String namespace, String origin,
                      int maxEvents) {
        this.redis = redis;
        this.retries = retries;
        this.streamKey = streamKey(prefix, namespace);
        this.epochKey = epochKey(prefix, namespace);
        this.notifyKey = notifyKey(streamKey);
        this.origin = origin;
        this.maxLen = 2L * maxEvents + 1_000;
    }

    /** The stream of a gateway's history (one slot with its epoch key, in Redis Cluster too). */
    static String streamKey(String prefix, String namespace) {
        return prefix + ":{" + namespace + "}:history";
    }

    /** The pub/sub channel that announces appends to a gateway's history. */
    static String notifyKey(String streamKey) {
        return streamKey + "-appended";
    }

    /** The key holding the approximate bound of a gateway's history stream, for emitters. */
    static String boundKey(String streamKey) {
        return streamKey + "-bound";
    }

    /** The key holding the epoch of a gateway's history. */
    static String epochKey(String prefix, String namespace) {
        return prefix + ":{" + namespace + "}:epoch";
    }

    @Override
    public void start(Reader reader) throws Exception {
        String current = eval("", List.of()).get(RedissonClusterBus.START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        synchronized (this) {
            epoch = current.substring(1);
        }
        RStream<String, String> stream = redis.getStream(streamKey, StringCodec.INSTANCE);
        for (StreamMessageId from = StreamMessageId.MIN; ; ) {
            Map<StreamMessageId, Map<String, String>> page = stream.rangeAsync(READ_BATCH, from, StreamMessageId.MAX)
                    .toCompletableFuture().get(RedissonClusterBus.START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            handOver(page, reader);
            if (page.size() < READ_BATCH) {
                break;
            }
            from = new StreamMessageId(lastRead.getId0(), lastRead.getId1() + 1);
        }
        follow(reader);
    }

    @Override
    public boolean append(String record) {
        synchronized (this) {
            if (stopped) {
                return false;
            }
            if (waiting.size() >= MAX_WAITING || waitingChars + record.length() > MAX_WAITING_CHARS) {
                refused++;
                refusedLog.warn("Wiregate recovery: " + waiting.size() + " records wait for Redis to append to " + streamKey
                        + ": a record was refused, and a gap follows once Redis is back", null);
                gapPending = true;
                return false;
            }
            if (gapPending) {
                gapPending = false;
                waiting.add(new Item(nextSeq++, "", 0));
            }
            waiting.add(new Item(nextSeq++, record, 0));
            waitingChars += record.length();
            if (inFlight) {
                return true;
            }
            inFlight = true;
        }
        sendNext();
        return true;
    }

    /** Stops: what waits for Redis gets up to a second to leave, then is dropped. */
    @Override
    public void stop() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        synchronized (this) {
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            stopped = true;
            waiting.clear();
            recent.clear();
            if (poll != null) {
                poll.cancel(false);
            }
        }
    }

    /** Records waiting for Redis now. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Records refused since start, because too many waited. */
    synchronized long refused() {
        return refused;
    }

    // ------------------------------------------------------------------------------------------------- appending

    private void sendNext() {
        List<Item> batch;
        String expected;
        synchronized (this) {
            if (stopped || waiting.isEmpty()) {
                inFlight = false;
                notifyAll();
                return;
            }
            batch = new ArrayList<>(Math.min(APPEND_BATCH, waiting.size()));
            for (Item item : waiting) {
                if (batch.size() == APPEND_BATCH) {
                    break;
                }
                batch.add(item);
            }
            expected = epoch;
        }
        eval(expected, batch).whenComplete((answer, failure) -> {
            if (failure != null) {
                outageLog.warn("Wiregate recovery: appending to " + streamKey + " failed (" + failure
                        + "); " + waiting() + " records wait for Redis, in order", null);
                retryLater();
            } else if (answer.startsWith("+")) {
                appended(batch);
                sendNext();
            } else {
                historyLost();
            }
        });
    }

    private synchronized void appended(List<Item> batch) {
        appendBackoff = 0;
        long now = System.currentTimeMillis();
        for (Item item : batch) {
            waiting.poll();
            waitingChars -= item.record().length();
            recent.add(new Item(item.seq(), item.record(), now));
        }
        while (!recent.isEmpty() && (recent.size() > MAX_WAITING || now - recent.peek().sentMillis() > RESEND_MS)) {
            recent.poll();
        }
    }

    /** The epoch key lost the node's epoch: take the new one (or make it), and append the recent records again. */
    private void historyLost() {
        eval("", List.of()).whenComplete((answer, failure) -> {
            if (failure != null) {
                retryLater();
                return;
            }
            synchronized (this) {
                String next = answer.substring(1);
                LOG.warning(() -> "Wiregate recovery: Redis lost the history of " + streamKey + " (epoch " + epoch
                        + " is gone); continuing in epoch " + next + ", appending again the last " + recent.size()
                        + " records of this node");
                epoch = next;
                requeueRecent();
            }
            sendNext();
        });
    }

    /**
     * An entry of another epoch than this node appends under: Redis lost the history, and another node noticed
     * first. This node's recent records go again, in the new epoch, before what waits.
     */
    private void foreignEpoch(String entryEpoch) {
        synchronized (this) {
            if (entryEpoch.equals(epoch) || stopped) {
                return;
            }
            epoch = entryEpoch;
            requeueRecent();
            if (inFlight) {
                return; // the batch in flight fails on the old epoch, and the next one goes in the new
            }
            inFlight = true;
        }
        sendNext();
    }

    /** Puts the recent records back at the head of the waiting ones. Holding this. */
    private void requeueRecent() {
        for (java.util.Iterator<Item> it = recent.descendingIterator(); it.hasNext(); ) {
            Item item = it.next();
            waiting.addFirst(item);
            waitingChars += item.record().length();
        }
        recent.clear();
    }

    private void retryLater() {
        long delay;
        synchronized (this) {
            appendBackoff = Math.min(MAX_BACKOFF_MS, Math.max(50, appendBackoff * 2));
            delay = appendBackoff;
        }
        try {
            retries.schedule(this::sendNext, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the bus is stopping
        }
    }

    private CompletableFuture<String> eval(String expected, List<Item> batch) {
        Object[] args = new Object[5 + 2 * batch.size()];
        args[0] = expected;
        args[1] = expected.isEmpty() ? newEpoch() : ""; // a fresh epoch is used only when none is expected
        args[2] = String.valueOf(maxLen);
        args[3] = origin;
        args[4] = notifyKey;
        int i = 5;
        for (Item item : batch) {
            args[i++] = String.valueOf(item.seq());
            args[i++] = item.record();
        }
        try {
            return redis.getScript(StringCodec.INSTANCE).<String>evalAsync(streamKey, RScript.Mode.READ_WRITE, APPEND,
                    RScript.ReturnType.VALUE, List.of(streamKey, epochKey, boundKey(streamKey)), args).toCompletableFuture();
        } catch (RuntimeException e) { // the client is shutting down
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String newEpoch() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // --------------------------------------------------------------------------------------------------- reading

    /**
     * Follows the stream without blocking commands (a blocked connection would hold up the commands Redisson
     * queues behind it): every append publishes on {@code NOTIFY}, and each notice reads what is new; a poll every
     * {@link #POLL_MS} ms catches up after a lost notice (pub/sub reconnecting) or a failed read.
     */
    private void follow(Reader reader) throws Exception {
        this.reader = reader;
        redis.getTopic(notifyKey, StringCodec.INSTANCE).addListenerAsync(String.class, (channel, message) -> readNow())
                .toCompletableFuture().get(RedissonClusterBus.START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        poll = retries.scheduleWithFixedDelay(this::readNow, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        readNow();
    }

    /** Reads what is new, unless a read is in flight: that one reads again when it is done. */
    private void readNow() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (reading) {
                readAgain = true;
                return;
            }
            reading = true;
            readAgain = false;
        }
        CompletableFuture<Map<StreamMessageId, Map<String, String>>> read;
        try {
            RStream<String, String> stream = redis.getStream(streamKey, StringCodec.INSTANCE);
            read = stream.readAsync(StreamReadArgs.greaterThan(lastRead).count(READ_BATCH)).toCompletableFuture();
        } catch (RuntimeException e) { // the client is shutting down
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((page, failure) -> {
            boolean more;
            if (failure != null) {
                if (!redis.isShuttingDown()) {
                    outageLog.warn("Wiregate recovery: reading " + streamKey + " failed (" + failure + "); retrying", null);
                }
                more = false; // the poll tries again
            } else {
                handOver(page == null ? Map.of() : page, reader);
                more = page != null && page.size() == READ_BATCH;
            }
            synchronized (this) {
                reading = false;
                more |= readAgain && failure == null;
            }
            if (more) {
                readNow();
            }
        });
    }

    /** Hands a page of entries to the reader in stream order, each origin's records once. */
    private void handOver(Map<StreamMessageId, Map<String, String>> page, Reader reader) {
        TreeMap<StreamMessageId, Map<String, String>> ordered = new TreeMap<>((a, b) -> a.getId0() != b.getId0()
                ? Long.compare(a.getId0(), b.getId0()) : Long.compare(a.getId1(), b.getId1()));
        ordered.putAll(page);
        for (Map.Entry<StreamMessageId, Map<String, String>> e : ordered.entrySet()) {
            StreamMessageId id = e.getKey();
            lastRead = id;
            Map<String, String> f = e.getValue();
            String entryEpoch = f.get("e");
            String from = f.get("o");
            long seq = parseSeq(f.get("s"));
            String record = f.get("r");
            boolean gap = f.containsKey("g");
            if (entryEpoch == null || entryEpoch.isEmpty() || entryEpoch.length() > 64 || from == null || from.length() > 200
                    || seq <= 0 || (record == null) == !gap || id.getId1() >= (1L << 20)) {
                malformedLog.warn("Wiregate recovery: skipped a malformed entry " + id + " of " + streamKey, null);
                continue;
            }
            if (!entryEpoch.equals(readEpoch)) { // rare: only then may the appender have to move to it
                readEpoch = entryEpoch;
                foreignEpoch(entryEpoch);
            }
            Long last = lastSeqByOrigin.get(from);
            if (last != null && seq <= last) {
                continue; // appended again after a failure or a lost history: handed over already
            }
            lastSeqByOrigin.put(from, seq);
            long position = (id.getId0() << 20) | id.getId1();
            try {
                if (gap) {
                    reader.gap(entryEpoch, position);
                } else {
                    reader.record(entryEpoch, position, id.getId0(), record);
                }
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "Wiregate recovery: a reader of " + streamKey + " failed", ex);
            }
        }
    }

    private static long parseSeq(String s) {
        if (s == null || s.isEmpty() || s.length() > 18 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        return Long.parseLong(s);
    }
}
