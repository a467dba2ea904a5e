package io.wiregate.tyrus;

import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.util.HttpStatus;

/**
 * Error pages that state the status and nothing else: Grizzly's default ones name the server and its version,
 * echo the request path, and print the stack trace of an exception.
 */
final class PlainErrorPages implements ErrorPageGenerator {

    @Override
    public String generate(Request request, int status, String reasonPhrase, String description, Throwable exception) {
        String title = status + " " + HttpStatus.getHttpStatus(status).getReasonPhrase();
        return "<!doctype html><html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>\n";
    }
}
