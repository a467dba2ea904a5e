package io.wiregate.conformance;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wiregate.Identity;

/**
 * The conformance app's token rule: {@code good-USER} authenticates as {@code USER}; {@code expiring-USER-MS} as
 * {@code USER} with an identity expiring MS milliseconds later (1 to 600000); anything else fails.
 */
final class Tokens {

    private static final String PREFIX = "good-";
    private static final Pattern EXPIRING = Pattern.compile("expiring-(.+)-([0-9]{1,6})");
    private static final int MAX_TOKEN = 256;

    private Tokens() {
    }

    /** The identity of a token, or null. */
    static Identity identityOf(String token) {
        if (token == null || token.length() > MAX_TOKEN) {
            return null;
        }
        Matcher expiring = EXPIRING.matcher(token);
        if (expiring.matches()) {
            long ms = Long.parseLong(expiring.group(2));
            return ms < 1 || ms > 600_000 ? null
                    : Identity.of(expiring.group(1)).expiringAt(Instant.now().plusMillis(ms));
        }
        if (!token.startsWith(PREFIX) || token.length() == PREFIX.length()) {
            return null;
        }
        return Identity.of(token.substring(PREFIX.length()));
    }
}
