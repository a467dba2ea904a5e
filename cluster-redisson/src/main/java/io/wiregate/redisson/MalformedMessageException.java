package io.wiregate.redisson;

/** A message from Redis that does not follow docs/protocol.md section 8; it is counted and delivered to no one. */
final class MalformedMessageException extends Exception {

    MalformedMessageException(String reason) {
        super(reason, null, false, false); // expected on bad input: no stack trace to fill
    }
}
