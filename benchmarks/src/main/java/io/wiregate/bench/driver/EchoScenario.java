package io.wiregate.bench.driver;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.wiregate.bench.gen.ClientPool;
import io.wiregate.bench.gen.Conn;
import io.wiregate.bench.gen.Handler;
import io.wiregate.bench.gen.IoLoop;
import io.wiregate.bench.gen.JsonScan;
import io.wiregate.bench.gen.LatencyStats;
import io.wiregate.bench.gen.Payloads;
import io.wiregate.bench.gen.WsFrames;

/**
 * Echo in a closed loop: each client sends {@code echo} with an {@code id}, waits for the reply carrying that id,
 * and sends the next at once. Round trips per second and round-trip latency; a request whose reply never came
 * is lost.
 */
final class EchoScenario {

    static final int C_ROUND_TRIPS = 0;
    static final int C_UNEXPECTED = 1;
    static final int C_OTHER = 2;

    static final int WARM = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;

    private EchoScenario() {
    }

    static final class Clients implements Handler {
        volatile int phase = WARM;
        private final byte[] pad;
        private final int[] end = new int[1];

        Clients(int payloadBytes) {
            this.pad = Payloads.echoPad(payloadBytes);
        }

        void sendNext(Conn conn) {
            IoLoop loop = conn.loop();
            long id = conn.nextId++;
            int len = Payloads.echo(loop.scratch, System.nanoTime(), pad, id);
            conn.outstandingId = id;
            conn.sendText(loop.out, loop.scratch, len);
        }

        @Override
        public void text(Conn conn, ByteBuffer buf, int offset, int length, long now) {
            int to = offset + length;
            IoLoop loop = conn.loop();
            if (!JsonScan.eventIs(buf, offset, to, Payloads.ECHO)) {
                loop.counts[C_OTHER]++;
                return;
            }
            end[0] = offset;
            long ts = JsonScan.longValue(buf, offset, offset, to, Payloads.TS, -1, end);
            long id = JsonScan.longValue(buf, offset, end[0], to, Payloads.ID, -1, end);
            if (id != conn.outstandingId) {
                loop.counts[C_UNEXPECTED]++;
                return;
            }
            conn.outstandingId = -1;
            int p = phase;
            if (p == MEASURE) {
                loop.counts[C_ROUND_TRIPS]++;
                loop.latencies.record(now - ts);
            }
            if (p != STOP) {
                sendNext(conn);
            }
        }
    }

    static Result run(ServerProcess server, Config cfg, Measure measure) throws Exception {
        int clients = cfg.echoClients();
        Result r = new Result("echo-" + clients, "echo", server.kind.id);
        Clients handler = new Clients(cfg.payloadBytes());
        try (ClientPool pool = new ClientPool(server.uri(), cfg.ioThreads(), handler,
                TimeUnit.SECONDS.toNanos(cfg.keepAliveSeconds()), 256)) {
            List<Conn> conns = pool.open(clients, 60_000);
            if (conns.size() != clients) {
                throw new IllegalStateException("only " + conns.size() + " of " + clients + " clients connected");
            }
            Thread.sleep(500);
            for (Conn c : conns) {
                c.loop().execute(() -> handler.sendNext(c));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(cfg.echoWarmupSeconds()));

            measure.start();
            java.util.Map<String, Long> th0 = Proc.threadCpu(server.pid());
            java.util.Map<String, Long> gth0 = Proc.threadCpu(ProcessHandle.current().pid());
            Proc.Cpu s0 = server.cpu();
            Proc.Cpu g0 = Proc.cpu(ProcessHandle.current().pid());
            long[] m0 = Proc.machine();
            handler.phase = MEASURE;
            Thread.sleep(TimeUnit.SECONDS.toMillis(cfg.echoSeconds()));
            handler.phase = STOP;
            Proc.Cpu s1 = server.cpu();
            Proc.Cpu g1 = Proc.cpu(ProcessHandle.current().pid());
            long[] m1 = Proc.machine();
            java.util.Map<String, Long> th1 = Proc.threadCpu(server.pid());
            java.util.Map<String, Long> gth1 = Proc.threadCpu(ProcessHandle.current().pid());
            measure.end();
            r.note("serverThreads", Proc.threadCpuDiff(th0, th1, (s1.wallNanos() - s0.wallNanos()) / 1e9, 6));
            r.note("generatorThreads", Proc.threadCpuDiff(gth0, gth1, (g1.wallNanos() - g0.wallNanos()) / 1e9, 4));

            // the requests in flight at the stop must still be answered
            long[] outstanding = new long[1];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                Thread.sleep(20);
                outstanding[0] = 0;
                for (IoLoop loop : pool.loops()) {
                    loop.call(() -> {
                        for (Conn c : conns) {
                            if (c.loop() == loop && c.outstandingId >= 0 && c.isOpen()) {
                                outstanding[0]++;
                            }
                        }
                    });
                }
            } while (outstanding[0] > 0 && System.nanoTime() < deadline);
            long lostOnClosed = conns.stream().filter(c -> !c.isOpen()).count();

            LatencyStats lat = new LatencyStats();
            long roundTrips = 0;
            long unexpected = 0;
            for (IoLoop loop : pool.loops()) {
                loop.call(() -> lat.add(loop.latencies));
                roundTrips += loop.published(C_ROUND_TRIPS);
                unexpected += loop.published(C_UNEXPECTED);
            }
            Proc.Cpu s = s1.minus(s0);
            Proc.Cpu g = g1.minus(g0);
            double seconds = s.wallNanos() / 1e9;
            r.put("clients", clients).put("roundTrips", roundTrips).put("seconds", seconds)
                    .put("roundTripsPerSec", roundTrips / seconds)
                    .put("p50Us", lat.percentileMicros(50)).put("p99Us", lat.percentileMicros(99))
                    .put("maxUs", lat.maxMicros()).put("meanUs", lat.meanMicros())
                    .put("lost", outstanding[0] + lostOnClosed).put("unexpected", unexpected)
                    .put("closed", pool.closedCount())
                    .put("serverCpuUsPerRoundTrip", s.totalNanos() / 1e3 / Math.max(1, roundTrips))
                    .put("serverCores", s.cores())
                    .put("serverSystemShare", s.totalNanos() == 0 ? 0 : (double) s.systemNanos() / s.totalNanos())
                    .put("generatorCores", g.cores())
                    .put("otherCores", Math.max(0, Proc.machineCores(m0, m1, s.wallNanos()) - s.cores() - g.cores()))
                    .put("generatorCpuUsPerRoundTrip", g.totalNanos() / 1e3 / Math.max(1, roundTrips));
            if (pool.closedCount() > 0) {
                r.note("closes", pool.closeCodes());
            }
            return r;
        }
    }
}
