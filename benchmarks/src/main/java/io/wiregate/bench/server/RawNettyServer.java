package io.wiregate.bench.server;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import io.wiregate.bench.watch.ParentWatch;

/**
 * The Netty runtime's floor: a hand-written raw Netty WebSocket server doing what {@link RawVerbatimBenchEndpoint}
 * does on Tyrus, as a Netty user would write it: Netty's {@link WebSocketServerProtocolHandler} (handshake, pings,
 * close), the same event loops and transport as {@code wiregate-netty} (epoll where available), every frame's text
 * back to its sender as it came, a fanout frame to every other channel through a {@link ChannelGroup} (one frame,
 * a retained duplicate of its buffer per channel), the heartbeat ignored. Prints
 * {@code LISTENING ws://127.0.0.1:PORT}; {@code -Dbench.port} (0, a free port, by default).
 */
public final class RawNettyServer {

    private RawNettyServer() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.start();
        String host = System.getProperty("bench.host", "127.0.0.1");
        int port = Integer.getInteger("bench.port", 0);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        EventLoopGroup loops = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
        ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Verbatim verbatim = new Verbatim(all);
        Channel listener = new ServerBootstrap()
                .group(boss, loops)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(new WebSocketServerProtocolHandler("/bench"))
                                .addLast(verbatim);
                    }
                })
                .bind(host, port).sync().channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            listener.close();
            boss.shutdownGracefully();
            loops.shutdownGracefully();
        }, "raw-shutdown"));
        System.out.println("LISTENING ws://" + host + ":" + ((InetSocketAddress) listener.localAddress()).getPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    @ChannelHandler.Sharable
    private static final class Verbatim extends SimpleChannelInboundHandler<TextWebSocketFrame> {

        private final ChannelGroup all;

        Verbatim(ChannelGroup all) {
            this.all = all;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                all.add(ctx.channel());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            if (text.startsWith(RawVerbatimBenchEndpoint.FANOUT_PREFIX)) {
                Channel sender = ctx.channel();
                all.writeAndFlush(frame.retainedDuplicate(), channel -> channel != sender);
            } else if (!text.equals(RawVerbatimBenchEndpoint.HEARTBEAT)) {
                ctx.writeAndFlush(frame.retainedDuplicate());
            }
        }
    }
}
