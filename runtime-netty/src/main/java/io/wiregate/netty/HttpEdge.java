package io.wiregate.netty;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;

import io.wiregate.cdi.HandshakeCheck;
import io.wiregate.cdi.spi.GatewayConnection;
import io.wiregate.cdi.spi.GatewayHost;
import io.wiregate.cdi.spi.RequestTargets;
import io.wiregate.cdi.transport.TransportSettings;

/**
 * The HTTP side of every connection until it upgrades: a malformed request or request target gets a plain 400;
 * a WebSocket upgrade to a gateway's path runs the gateway's handshake guard (on a worker: an authenticator may
 * block) and is refused with its 401 or 403 before any upgrade, or upgraded, handing the channel to a
 * {@link GatewayChannel}; other GET and HEAD requests get {@code /wiregate.js} or a static file, or 404; any other
 * method 405. No answer names the server or echoes the request.
 */
@ChannelHandler.Sharable
final class HttpEdge extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(HttpEdge.class.getName());

    /** The health and metrics endpoint, when {@code wiregate.health.path} or {@code wiregate.metrics.path} is set; else null. */
    private final io.wiregate.cdi.spi.OperationsEndpoint operations;
    private final GatewayHost gateways;
    private final StaticFiles files;
    private final Executor workers;
    private final TransportSettings settings;

    HttpEdge(GatewayHost gateways, StaticFiles files, Executor workers, TransportSettings settings) {
        this.operations = io.wiregate.cdi.spi.OperationsEndpoint.of(gateways).orElse(null);
        this.gateways = gateways;
        this.files = files;
        this.workers = workers;
        this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        boolean handedOver = false;
        try {
            handedOver = handle(ctx, request);
        } finally {
            if (!handedOver) {
                request.release();
            }
        }
    }

    /** @return true if the request now belongs to an upgrade in progress */
    private boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, true);
            return false;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String rawPath = query < 0 ? uri : uri.substring(0, query);
        if (!RequestTargets.wellFormed(rawPath)) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, true);
            return false;
        }
        if (isUpgrade(request)) {
            Optional<GatewayHost.Route> route = gateways.route(rawPath);
            if (route.isPresent()) {
                return upgrade(ctx, request, rawPath, route.get());
            }
        }
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, false);
            return false;
        }
        String decodedPath = RequestTargets.decodedPath(rawPath);
        if (operations != null && operations.matches(decodedPath)) {
            answerOperations(ctx, request, decodedPath);
            return false;
        }
        StaticFiles.File file = files.find(decodedPath);
        if (file == null) {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, false);
            return false;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                method.equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.content()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, file.content().length);
        if (file.noCache()) {
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        }
        send(ctx, request, response, false);
        return false;
    }

    /**
     * Answers the health or metrics endpoint on a worker (its readiness check may wait for the broker); nothing more is read on
     * the connection until then, so that responses keep the order of requests.
     */
    private void answerOperations(ChannelHandlerContext ctx, FullHttpRequest request, String decodedPath) {
        ctx.channel().config().setAutoRead(false);
        request.retain(); // until the answer is sent: send() reads its keep-alive
        try {
            workers.execute(() -> {
                io.wiregate.cdi.spi.OperationsEndpoint.Answer answer = operations.answer(decodedPath);
                ctx.executor().execute(() -> {
                    try {
                        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                HttpResponseStatus.valueOf(answer.status()),
                                HttpMethod.HEAD.equals(request.method()) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
                        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                        send(ctx, request, response, false);
                    } finally {
                        request.release();
                        ctx.channel().config().setAutoRead(true);
                    }
                });
            });
        } catch (RejectedExecutionException e) { // stopping
            request.release();
            ctx.close();
        }
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Checks the handshake on a worker, then upgrades or refuses it on the event loop. */
    private boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String rawPath, GatewayHost.Route route) {
        UpgradeRequest view;
        try {
            view = new UpgradeRequest(request, rawPath);
        } catch (IllegalArgumentException e) { // a malformed escape in the query
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, true);
            return false;
        }
        ctx.channel().config().setAutoRead(false); // nothing more is read until the verdict
        try {
            workers.execute(() -> {
                HandshakeCheck.Verdict verdict;
                try {
                    verdict = route.gateway().check(view);
                } catch (Throwable e) {
                    LOG.log(Level.WARNING, "the handshake guard of " + route.gateway().path() + " failed", e);
                    verdict = new HandshakeCheck.Verdict(500, null);
                }
                HandshakeCheck.Verdict v = verdict;
                ctx.executor().execute(() -> {
                    try {
                        finish(ctx, request, view, route, v);
                    } finally {
                        request.release();
                        ctx.channel().config().setAutoRead(true);
                    }
                });
            });
        } catch (RejectedExecutionException e) { // stopping
            ctx.close();
            return false;
        }
        return true;
    }

    private void finish(ChannelHandlerContext ctx, FullHttpRequest request, UpgradeRequest view, GatewayHost.Route route,
                        HandshakeCheck.Verdict verdict) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!verdict.admitted()) {
            respond(ctx, request, HttpResponseStatus.valueOf(verdict.status()), true);
            return;
        }
        int max = route.gateway().maxMessageBytes();
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(max)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(false) // GatewayChannel answers with the close code itself
                .withUTF8Validator(false) // added below, reporting to GatewayChannel too
                .build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://127.0.0.1" + request.uri(), null, decoder).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        GatewayChannel channel = new GatewayChannel(ctx.channel(), workers, route.gateway().nonBlocking(),
                settings.sendBuffer(), max);
        try {
            handshaker.handshake(ctx.channel(), request).addListener(done -> {
                if (!done.isSuccess()) {
                    ctx.channel().close();
                }
            });
        } catch (WebSocketHandshakeException e) { // a malformed upgrade: no key, a bad version
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, true);
            return;
        }
        ctx.pipeline().addAfter("wsdecoder", "utf8", new Utf8FrameValidator(false));
        ctx.pipeline().replace(this, "gateway", channel);
        GatewayConnection connection = route.gateway().connect(channel, route.pathParameters(), settings);
        channel.bind(connection);
        channel.dispatch(() -> connection.open(verdict.identity(), view.queryParameters()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "HTTP connection " + ctx.channel() + " failed", cause);
        ctx.close();
    }

    /** A plain page for {@code status}; closes the connection when {@code close} or the client asked to. */
    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, boolean close) {
        String title = status.code() + " " + status.reasonPhrase();
        byte[] page = ("<!doctype html><html><head><title>" + title + "</title></head><body><h1>" + title
                + "</h1></body></html>\n").getBytes(StandardCharsets.UTF_8);
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(page));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, page.length);
        send(ctx, request, response, close);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean close) {
        boolean keepAlive = !close && request.decoderResult().isSuccess() && HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
