package io.wiregate.bench.driver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.wiregate.bench.gen.ClientPool;
import io.wiregate.bench.gen.Conn;
import io.wiregate.bench.gen.Handler;

/**
 * Idle connections: open N/10, measure; open the other 9N/10, measure again; the difference divided by 9N/10 is
 * the cost of one idle connection, with every one-time cost (class loading, first-connection caches) left out.
 * Live heap: {@code jcmd GC.class_histogram} (it runs a full GC first). RSS: {@code VmRSS}; the server JVMs
 * pre-touch their heap, so the RSS growth is the memory outside the Java heap. Then the server's CPU while
 * idle for a few seconds. Last, the connections are closed and the server must release them: on an application
 * server the other WAR's connections come next in the same JVM, and their figures must not include these.
 */
final class IdleScenario {

    private IdleScenario() {
    }

    static Result run(ServerProcess server, Config cfg) throws Exception {
        int total = cfg.idleClients();
        int first = Math.max(1, total / 10);
        int rest = total - first;
        Result r = new Result("idle-" + total, "idle", server.kind.id);
        Handler quiet = (Conn conn, ByteBuffer buf, int offset, int length, long now) -> conn.otherFrames++;
        ServerProcess.Histogram baseline;
        try (ClientPool pool = new ClientPool(server.uri(), cfg.ioThreads(), quiet,
                TimeUnit.SECONDS.toNanos(cfg.keepAliveSeconds()), 256)) {
            List<Conn> a = pool.open(first, 120_000);
            Thread.sleep(1500);
            ServerProcess.Histogram h0 = server.classHistogram();
            baseline = h0;
            long rss0 = server.rss();
            long genRss0 = Proc.rssBytes(ProcessHandle.current().pid());
            long c0 = System.nanoTime();
            List<Conn> b = pool.open(rest, 300_000);
            double connectSeconds = (System.nanoTime() - c0) / 1e9;
            if (a.size() != first || b.size() != rest) {
                throw new IllegalStateException("only " + (a.size() + b.size()) + " of " + total + " connections opened");
            }
            Thread.sleep(1500);
            ServerProcess.Histogram h1 = server.classHistogram();
            long rss1 = server.rss();
            long genRss1 = Proc.rssBytes(ProcessHandle.current().pid());

            Proc.Cpu s0 = server.cpu();
            Thread.sleep(5000);
            Proc.Cpu s = server.cpu().minus(s0);

            r.put("connections", total)
                    .put("heapPerConnBytes", (double) (h1.totalBytes() - h0.totalBytes()) / rest)
                    .put("objectsPerConn", (double) (h1.totalInstances() - h0.totalInstances()) / rest)
                    .put("rssPerConnBytes", (double) (rss1 - rss0) / rest)
                    .put("liveHeapMiB", h1.totalBytes() / 1048576.0)
                    .put("rssMiB", rss1 / 1048576.0)
                    .put("idleServerCpuMsPerSec", s.totalNanos() / 1e6 / (s.wallNanos() / 1e9))
                    .put("connectsPerSec", rest / connectSeconds)
                    .put("generatorRssPerConnBytes", (double) (genRss1 - genRss0) / rest)
                    .put("closed", pool.closedCount());
            List<String[]> grown = growth(h0, h1);
            for (String[] g : grown.subList(0, Math.min(15, grown.size()))) {
                r.topClasses.add(new String[] {g[0], String.format("%.1f", Long.parseLong(g[1]) / (double) rest),
                        String.format("%.2f", Long.parseLong(g[2]) / (double) rest)});
            }
            if (pool.closedCount() > 0) {
                r.note("closes", pool.closeCodes());
            }
        }
        awaitReleased(server, baseline, total, r);
        return r;
    }

    /** The classes whose live bytes grew from {@code h0} to {@code h1}: name, bytes, instances; largest first. */
    private static List<String[]> growth(ServerProcess.Histogram h0, ServerProcess.Histogram h1) {
        List<String[]> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : h1.byClass().entrySet()) {
            long[] before = h0.byClass().getOrDefault(e.getKey(), new long[2]);
            long bytes = e.getValue()[1] - before[1];
            long count = e.getValue()[0] - before[0];
            if (bytes > 0) {
                grown.add(new String[] {e.getKey(), Long.toString(bytes), Long.toString(count)});
            }
        }
        grown.sort((x, y) -> Long.compare(Long.parseLong(y[1]), Long.parseLong(x[1])));
        return grown;
    }

    /**
     * Waits (at most 30 s) until the live heap is back within 1 KB per connection of what it was with a tenth of
     * them open; notes it on the result when it is not.
     */
    private static void awaitReleased(ServerProcess server, ServerProcess.Histogram before, int connections, Result r)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ServerProcess.Histogram after;
        long left;
        do {
            Thread.sleep(1000);
            after = server.classHistogram();
            left = after.totalBytes() - before.totalBytes();
        } while (left > 1024L * connections && System.nanoTime() < deadline);
        if (left > 1024L * connections) {
            List<String[]> grown = growth(before, after);
            StringBuilder top = new StringBuilder();
            for (String[] g : grown.subList(0, Math.min(4, grown.size()))) {
                top.append(top.length() == 0 ? "" : ", ").append(g[0]).append(' ')
                        .append(String.format("%.0f", Long.parseLong(g[1]) / (double) connections)).append(" B");
            }
            r.note("released", String.format("%.0f bytes per connection still live 30 s after the clients closed (%s)",
                    (double) left / connections, top));
        }
    }
}
