package io.wiregate.protocol;

/**
 * A cluster message that does not follow docs/protocol.md section 8 ({@link ClusterMessage#parse}); a node counts
 * it and delivers it to no one. The message says what is wrong, without echoing the input at length.
 */
public final class MalformedMessageException extends Exception {

    MalformedMessageException(String reason) {
        super(reason, null, false, false); // expected on bad input: no stack trace to fill
    }
}
