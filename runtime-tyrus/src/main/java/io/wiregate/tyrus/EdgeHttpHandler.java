package io.wiregate.tyrus;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The one HTTP handler of the standalone server, for every request that is not a WebSocket upgrade to a gateway:
 * a malformed request target gets a plain 400 (before anything decodes it: Grizzly's own decoding answers 500),
 * a well-formed one goes to the static files when there are any, or gets 404.
 */
final class EdgeHttpHandler extends HttpHandler {

    private final HttpHandler files;

    /** @param files serves static files, or null for 404 everywhere */
    EdgeHttpHandler(HttpHandler files) {
        super("wiregate");
        this.files = files;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        if (!RequestTargets.wellFormed(request.getRequestURI())) {
            response.sendError(400);
        } else if (files == null) {
            response.sendError(404);
        } else {
            files.service(request, response);
        }
    }
}
