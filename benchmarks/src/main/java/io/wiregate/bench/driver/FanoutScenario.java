package io.wiregate.bench.driver;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.wiregate.bench.gen.ClientPool;
import io.wiregate.bench.gen.Conn;
import io.wiregate.bench.gen.Handler;
import io.wiregate.bench.gen.IoLoop;
import io.wiregate.bench.gen.JsonScan;
import io.wiregate.bench.gen.LatencyStats;
import io.wiregate.bench.gen.Payloads;
import io.wiregate.bench.gen.WsFrames;

/**
 * Fanout: one sender connection and N receivers; each message the sender sends is delivered by the server to
 * every receiver (the sender excluded). The sender stamps {@code System.nanoTime()} in the payload, each
 * receiver measures on the same clock; each receiver checks it got every message of the measured run, in order.
 * <ul>
 * <li><b>burst</b>: as fast as the server allows, with a bounded window: message k is sent only once
 * (k - window) messages were fully delivered, so that no client is ever deliberately slow and no queue holds
 * more than {@code window} messages;</li>
 * <li><b>paced</b>: a fixed rate; the timestamp is the scheduled send time (no coordinated omission).</li>
 * </ul>
 * Phases: probes until every receiver got one (all registered), warm-up, then the measured run.
 */
final class FanoutScenario {

    static final int RUN_PROBE = 0;
    static final int RUN_WARM = 1;
    static final int RUN_MEASURE = 2;
    // per-loop counters
    static final int C_READY = 3;
    static final int C_DISORDER = 4;
    static final int C_LAST = 5;
    static final int C_OTHER = 6;

    private FanoutScenario() {
    }

    /** Counts and timestamps what receivers get. */
    static final class Receivers implements Handler {
        volatile Thread waiter;
        volatile int waitRun;
        volatile long waitFor = Long.MAX_VALUE;
        private final int[] end = new int[1];
        List<IoLoop> loops;

        @Override
        public void text(Conn conn, ByteBuffer buf, int offset, int length, long now) {
            int to = offset + length;
            IoLoop loop = conn.loop();
            if (!JsonScan.eventIs(buf, offset, to, Payloads.FANOUT)) {
                loop.counts[C_OTHER]++;
                return;
            }
            end[0] = offset;
            long run = JsonScan.longValue(buf, offset, offset, to, Payloads.RUN, -1, end);
            long seq = JsonScan.longValue(buf, offset, end[0], to, Payloads.SEQ, -1, end);
            long ts = JsonScan.longValue(buf, offset, end[0], to, Payloads.TS, -1, end);
            if (run < 0 || run > RUN_MEASURE) {
                loop.counts[C_OTHER]++;
                return;
            }
            loop.counts[(int) run]++;
            if (conn.warm++ == 0) {
                loop.counts[C_READY]++;
            }
            if (run == RUN_MEASURE) {
                if (seq <= conn.lastSeq) {
                    loop.counts[C_DISORDER]++;
                }
                conn.lastSeq = seq;
                conn.received++;
                loop.latencies.record(now - ts);
                loop.counts[C_LAST] = now;
            }
        }

        @Override
        public void afterRound(IoLoop loop) {
            Thread w = waiter;
            if (w != null && received(waitRun) >= waitFor) {
                LockSupport.unpark(w);
            }
        }

        long received(int run) {
            long n = 0;
            for (IoLoop l : loops) {
                n += l.published(run);
            }
            return n;
        }

        long ready() {
            long n = 0;
            for (IoLoop l : loops) {
                n += l.published(C_READY);
            }
            return n;
        }
    }

    /** Sends from the driver's thread on the sender connection. */
    static final class Sender {
        private final Conn conn;
        private final Receivers receivers;
        private final int n;
        private final byte[] pad;
        private final byte[] text = new byte[WsFrames.MAX_FRAME];
        private final ByteBuffer out = ByteBuffer.allocateDirect(WsFrames.MAX_FRAME + 16);
        boolean stalled;

        Sender(Conn conn, Receivers receivers, int n, int payloadBytes) {
            this.conn = conn;
            this.receivers = receivers;
            this.n = n;
            this.pad = Payloads.fanoutPad(payloadBytes);
        }

        void send(int run, long seq, long ts) {
            int len = Payloads.fanout(text, run, seq, ts, pad);
            if (!conn.sendText(out, text, len)) {
                throw new IllegalStateException("the sender connection is gone (close code " + conn.closeCode() + ")");
            }
        }

        /** Waits until {@code count} deliveries of {@code run} arrived; false if nothing moved for 10 s. */
        boolean await(int run, long count) {
            long last = receivers.received(run);
            long lastMove = System.nanoTime();
            while (true) {
                long now = receivers.received(run);
                if (now >= count) {
                    receivers.waiter = null;
                    return true;
                }
                if (now != last) {
                    last = now;
                    lastMove = System.nanoTime();
                } else if (System.nanoTime() - lastMove > TimeUnit.SECONDS.toNanos(10)) {
                    receivers.waiter = null;
                    stalled = true;
                    return false;
                }
                receivers.waitRun = run;
                receivers.waitFor = count;
                receivers.waiter = Thread.currentThread();
                if (receivers.received(run) < count) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }

        /** Burst: as fast as the window allows, for {@code seconds} or {@code messages}; returns messages sent. */
        long burst(int run, int window, int seconds, int messages) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (messages > 0 ? sent < messages : System.nanoTime() < end) {
                long need = (sent - window) * n;
                if (need > 0 && !await(run, need)) {
                    break;
                }
                send(run, sent, System.nanoTime());
                sent++;
            }
            return sent;
        }

        /** Paced: {@code rate} messages per second for {@code seconds}; returns messages sent. */
        long paced(int run, int rate, int seconds, int window) {
            long interval = 1_000_000_000L / rate;
            long count = (long) rate * seconds;
            long t0 = System.nanoTime();
            long sent = 0;
            for (long k = 0; k < count; k++) {
                long target = t0 + k * interval;
                long wait;
                while ((wait = target - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long need = (k - window) * n;
                if (need > 0 && !await(run, need)) {
                    break;
                }
                send(run, k, target);
                sent++;
            }
            return sent;
        }

        /**
         * Waits until every delivery of the {@code sent} messages of {@code run} arrived, or until none arrived
         * for {@code quietMillis}.
         */
        void drain(int run, long sent, long quietMillis) throws InterruptedException {
            long expected = sent * n;
            long last = -1;
            long lastMove = System.nanoTime();
            while (true) {
                long now = receivers.received(run);
                if (now >= expected) {
                    return;
                }
                if (now != last) {
                    last = now;
                    lastMove = System.nanoTime();
                } else if (System.nanoTime() - lastMove > TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                    return;
                }
                Thread.sleep(2);
            }
        }

        /** Sends probes until every receiver got one (every receiver is registered); false after 60 s. */
        boolean probe() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long seq = 0;
            while (receivers.ready() < n) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                send(RUN_PROBE, seq++, System.nanoTime());
                Thread.sleep(50);
            }
            return true;
        }
    }

    static Result run(ServerProcess server, Config cfg, int clients, boolean paced, Measure measure) throws Exception {
        return run(server, server, cfg, clients, paced, measure);
    }

    /**
     * Like {@link #run(ServerProcess, Config, int, boolean, Measure)}, with the sender connected to
     * {@code sendTo} and the receivers to {@code server} (another node of a cluster: the cluster hop); the server
     * CPU figures are those of {@code server}, the receivers' node.
     */
    static Result run(ServerProcess sendTo, ServerProcess server, Config cfg, int clients, boolean paced, Measure measure)
            throws Exception {
        String kind = paced ? "fanout-paced" : "fanout-burst";
        Result r = new Result(kind + "-" + clients, kind, server.kind.id);
        Receivers handler = new Receivers();
        long keepAlive = TimeUnit.SECONDS.toNanos(cfg.keepAliveSeconds());
        try (ClientPool pool = new ClientPool(server.uri(), cfg.ioThreads(), handler, keepAlive, 256);
             ClientPool senderPool = sendTo == server ? null : new ClientPool(sendTo.uri(), 1, handler, keepAlive, 1)) {
            handler.loops = pool.loops();
            List<Conn> senders = (senderPool == null ? pool : senderPool).open(1, 30_000);
            long c0 = System.nanoTime();
            List<Conn> receivers = pool.open(clients, 180_000);
            double connectSeconds = (System.nanoTime() - c0) / 1e9;
            if (senders.size() != 1 || receivers.size() != clients) {
                throw new IllegalStateException("only " + receivers.size() + " of " + clients + " receivers connected");
            }
            BenchmarkDriver.log(String.format("   %d receivers connected in %.1f s", clients, connectSeconds));
            Sender sender = new Sender(senders.get(0), handler, clients, cfg.payloadBytes());
            if (!sender.probe()) {
                r.note("probe", "only " + handler.ready() + " of " + clients + " receivers got a probe in 60 s");
            }
            int rate = cfg.pacedRate(clients);
            int window = cfg.burstWindow();
            long warm = paced ? sender.paced(RUN_WARM, rate, cfg.warmupSeconds(), window * 4)
                    : sender.burst(RUN_WARM, window, cfg.warmupSeconds(), 0);
            sender.drain(RUN_WARM, warm, 3000);
            BenchmarkDriver.log("   warmed up (" + warm + " messages); measuring");

            measure.start();
            java.util.Map<String, Long> th0 = Proc.threadCpu(server.pid());
            java.util.Map<String, Long> gth0 = Proc.threadCpu(ProcessHandle.current().pid());
            Proc.Cpu s0 = server.cpu();
            Proc.Cpu g0 = Proc.cpu(ProcessHandle.current().pid());
            long[] m0 = Proc.machine();
            long t0 = System.nanoTime();
            long sent = paced ? sender.paced(RUN_MEASURE, rate, cfg.pacedSeconds(), window * 4)
                    : sender.burst(RUN_MEASURE, window, cfg.burstSeconds(), cfg.burstMessages());
            sender.drain(RUN_MEASURE, sent, 3000);
            Proc.Cpu s1 = server.cpu();
            Proc.Cpu g1 = Proc.cpu(ProcessHandle.current().pid());
            long[] m1 = Proc.machine();
            java.util.Map<String, Long> th1 = Proc.threadCpu(server.pid());
            java.util.Map<String, Long> gth1 = Proc.threadCpu(ProcessHandle.current().pid());
            measure.end();
            r.note("serverThreads", Proc.threadCpuDiff(th0, th1, (s1.wallNanos() - s0.wallNanos()) / 1e9, 6));
            r.note("generatorThreads", Proc.threadCpuDiff(gth0, gth1, (g1.wallNanos() - g0.wallNanos()) / 1e9, 4));

            LatencyStats lat = new LatencyStats();
            long[] perConn = new long[4]; // lost, duplicates, closed
            long disorder = 0;
            long last = t0;
            for (IoLoop loop : pool.loops()) {
                loop.call(() -> {
                    lat.add(loop.latencies);
                    for (Conn c : receivers) {
                        if (c.loop() == loop) {
                            perConn[0] += Math.max(0, sent - c.received);
                            perConn[1] += Math.max(0, c.received - sent);
                        }
                    }
                });
                disorder += loop.published(C_DISORDER);
                last = Math.max(last, loop.published(C_LAST));
            }
            long delivered = handler.received(RUN_MEASURE);
            double seconds = (last - t0) / 1e9;
            Proc.Cpu s = s1.minus(s0);
            Proc.Cpu g = g1.minus(g0);
            r.put("clients", clients).put("messages", sent).put("deliveries", delivered)
                    .put("seconds", seconds)
                    .put("deliveriesPerSec", delivered / seconds);
            if (paced) {
                r.put("targetDeliveriesPerSec", (double) rate * clients).put("rate", rate);
            }
            r.put("p50Us", lat.percentileMicros(50)).put("p99Us", lat.percentileMicros(99))
                    .put("maxUs", lat.maxMicros()).put("meanUs", lat.meanMicros())
                    .put("lost", perConn[0]).put("duplicates", perConn[1]).put("outOfOrder", disorder)
                    .put("closed", pool.closedCount())
                    .put("serverCpuUsPerDelivery", s.totalNanos() / 1e3 / Math.max(1, delivered))
                    .put("serverCores", s.cores())
                    .put("serverSystemShare", s.totalNanos() == 0 ? 0 : (double) s.systemNanos() / s.totalNanos())
                    .put("generatorCores", g.cores())
                    .put("otherCores", Math.max(0, Proc.machineCores(m0, m1, s.wallNanos()) - s.cores() - g.cores()))
                    .put("generatorCpuUsPerDelivery", g.totalNanos() / 1e3 / Math.max(1, delivered))
                    .put("connectSeconds", connectSeconds);
            if (sender.stalled) {
                r.note("stalled", "deliveries stopped for 10 s during the run");
            }
            if (pool.closedCount() > 0) {
                r.note("closes", pool.closeCodes());
            }
            return r;
        }
    }
}
