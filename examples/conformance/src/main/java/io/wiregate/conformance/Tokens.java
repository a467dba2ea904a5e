package io.wiregate.conformance;

import io.wiregate.Identity;

/** The conformance app's token rule: {@code good-USER} authenticates as {@code USER}; anything else fails. */
final class Tokens {

    private static final String PREFIX = "good-";
    private static final int MAX_TOKEN = 256;

    private Tokens() {
    }

    /** The identity of a token, or null. */
    static Identity identityOf(String token) {
        if (token == null || token.length() > MAX_TOKEN || !token.startsWith(PREFIX) || token.length() == PREFIX.length()) {
            return null;
        }
        return Identity.of(token.substring(PREFIX.length()));
    }
}
