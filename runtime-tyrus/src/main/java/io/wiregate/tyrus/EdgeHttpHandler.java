package io.wiregate.tyrus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.glassfish.grizzly.http.Method;

import io.wiregate.cdi.spi.RequestTargets;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The one HTTP handler of the standalone server, for every request that is not a WebSocket upgrade to a gateway:
 * a malformed request target gets a plain 400 (before anything decodes it: Grizzly's own decoding answers 500),
 * {@code /wiregate.js} gets the browser client, any other well-formed one goes to the static files when there are
 * any, or gets 404.
 */
final class EdgeHttpHandler extends HttpHandler {

    /** The browser client, as {@code wiregate-cdi} carries it for servlet containers. */
    static final String CLIENT_RESOURCE = "META-INF/resources/wiregate.js";

    private final HttpHandler files;
    private final io.wiregate.cdi.spi.OperationsEndpoint operations;
    private final byte[] client;

    /**
     * @param files  serves static files, or null for 404 everywhere
     * @param operations the health and metrics endpoint, or null when both are off
     */
    EdgeHttpHandler(HttpHandler files, io.wiregate.cdi.spi.OperationsEndpoint operations) {
        super("wiregate");
        this.files = files;
        this.operations = operations;
        this.client = clientScript();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        boolean read = request.getMethod() == Method.GET || request.getMethod() == Method.HEAD;
        if (!RequestTargets.wellFormed(request.getRequestURI())) {
            response.sendError(400);
        } else if ("/wiregate.js".equals(request.getRequestURI()) && client != null && read) {
            response.setContentType("text/javascript; charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setContentLength(client.length);
            if (request.getMethod() == Method.GET) {
                response.getOutputStream().write(client);
            }
        } else if (operations != null && read && operations.matches(RequestTargets.decodedPath(request.getRequestURI()))) {
            answerOperations(request, response);
        } else if (files == null) {
            response.sendError(404);
        } else {
            files.service(request, response);
        }
    }

    /** On a Grizzly worker thread: the readiness check may wait for the broker. */
    private void answerOperations(Request request, Response response) throws IOException {
        io.wiregate.cdi.spi.OperationsEndpoint.Answer answer = operations.answer(RequestTargets.decodedPath(request.getRequestURI()));
        byte[] body = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        if (request.getMethod() == Method.GET) {
            response.getOutputStream().write(body);
        }
    }

    private static byte[] clientScript() {
        try (InputStream in = EdgeHttpHandler.class.getClassLoader().getResourceAsStream(CLIENT_RESOURCE)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLIENT_RESOURCE, e);
        }
    }
}
