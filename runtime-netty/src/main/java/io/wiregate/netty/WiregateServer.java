package io.wiregate.netty;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;


import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import jakarta.enterprise.inject.se.SeContainer;

import io.wiregate.cdi.spi.GatewayHost;
import io.wiregate.cdi.spi.StandaloneBuilder;
import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.cdi.transport.TransportSettings;
import io.wiregate.protocol.internal.Settings;

/**
 * Wiregate standalone on Netty: Weld SE discovers the application's gateways, and a Netty server bound to one host
 * serves them, with the HTTP side of {@link HttpEdge} (handshake guards with real 401 and 403, {@code /wiregate.js},
 * static files). {@link #close()} closes every client with 1001 and stops both.
 *
 * <pre>{@code
 * try (WiregateServer server = WiregateServer.builder().port(0).start()) {
 *     System.out.println(server.uri());
 * }
 * }</pre>
 *
 * <p>Threads: one event loop per core reads, decodes and writes every connection (epoll where the platform has it);
 * messages of gateways that may block run on a pool of {@code wiregate.worker-threads} worker threads (default 64),
 * one message of a connection at a time and in order. Java 17 has no virtual threads: a handler that blocks holds
 * one worker, never an event loop, and a connection whose messages pile up is no longer read until they drain.
 * {@link io.wiregate.NonBlocking} gateways skip the workers.
 */
public final class WiregateServer implements StandaloneRuntime.Server {

    /** Largest HTTP request (headers included) before an upgrade: upgrades carry no body. */
    private static final int MAX_HTTP_REQUEST = 64 * 1024;

    private final SeContainer cdi;
    private final GatewayHost gateways;
    private final EventLoopGroup boss;
    private final EventLoopGroup loops;
    private final ExecutorService workers;
    private final Channel listener;
    private final String host;
    private volatile boolean closed;

    private WiregateServer(SeContainer cdi, GatewayHost gateways, EventLoopGroup boss, EventLoopGroup loops,
                           ExecutorService workers, Channel listener, String host) {
        this.cdi = cdi;
        this.gateways = gateways;
        this.boss = boss;
        this.loops = loops;
        this.workers = workers;
        this.listener = listener;
        this.host = host;
    }

    /** A builder with the configured defaults ({@code wiregate.host}, {@code wiregate.port}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The port actually bound. */
    @Override
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** {@code ws://HOST:PORT}. */
    @Override
    public String uri() {
        return "ws://" + host + ":" + port();
    }

    /** The CDI container. */
    @Override
    public SeContainer cdi() {
        return cdi;
    }

    /**
     * Stops accepting, closes every client with 1001 (waiting at most 2 s for them), then stops the event loops, the
     * workers and CDI. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        gateways.shutdown(2000);
        stop(boss, loops, workers);
        if (cdi.isRunning()) {
            cdi.close();
        }
    }

    private static void stop(EventLoopGroup boss, EventLoopGroup loops, ExecutorService workers) {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdown();
        }
    }

    /** Configures and starts a {@link WiregateServer}: see {@link StandaloneBuilder} for the options. */
    public static final class Builder extends StandaloneBuilder<Builder> {
        private final int workerThreads = Settings.getLong("wiregate.worker-threads").orElse(64L).intValue();

        private Builder() {
        }

        /**
         * Boots CDI, registers every gateway and starts listening.
         *
         * @throws IllegalStateException if the deployment is invalid (the message lists every problem), a setting is
         *                               out of range, or the port cannot be bound
         */
        public WiregateServer start() {
            if (System.getProperty("io.netty.leakDetection.level") == null) {
                // Netty samples one buffer in 128 with a stack trace by default: a debugging aid that showed up at 3 to
                // 6% of the CPU of an echo. Off unless asked for (-Dio.netty.leakDetection.level=simple or paranoid).
                io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
            }
            if (workerThreads < 1) {
                throw new IllegalStateException("wiregate.worker-threads=" + workerThreads + " must be at least 1");
            }
            SeContainer cdi = startCdi();
            EventLoopGroup boss = null;
            EventLoopGroup loops = null;
            ExecutorService workers = null;
            try {
                GatewayHost gateways = GatewayHost.of(cdi.getBeanManager());
                TransportSettings settings = TransportSettings.fromConfig();
                boolean epoll = Epoll.isAvailable();
                boss = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("wiregate-accept", true))
                        : new NioEventLoopGroup(1, new DefaultThreadFactory("wiregate-accept", true));
                loops = epoll ? new EpollEventLoopGroup(0, new DefaultThreadFactory("wiregate-io", true))
                        : new NioEventLoopGroup(0, new DefaultThreadFactory("wiregate-io", true));
                workers = workers(workerThreads);
                HttpEdge edge = new HttpEdge(gateways, new StaticFiles(staticResources()), workers, settings);
                Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
                Channel listener = new ServerBootstrap()
                        .group(boss, loops)
                        .channel(type)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline()
                                        .addLast("http", new HttpServerCodec(4096, 8192, 8192))
                                        .addLast("aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST))
                                        .addLast("edge", edge);
                            }
                        })
                        .bind(host(), port()).syncUninterruptibly().channel();
                return new WiregateServer(cdi, gateways, boss, loops, workers, listener, host());
            } catch (RuntimeException e) {
                stop(boss, loops, workers);
                if (cdi.isRunning()) {
                    cdi.close();
                }
                if (e instanceof IllegalArgumentException) {
                    throw new IllegalStateException("Wiregate could not start: " + e.getMessage(), e);
                }
                throw new IllegalStateException("Cannot listen on " + host() + ":" + port() + ": " + e.getMessage(), e);
            }
        }

        /** The worker pool: up to {@code threads}, made as needed and ended after a minute idle. */
        private static ExecutorService workers(int threads) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "wiregate-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), factory);
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
