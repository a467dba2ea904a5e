package io.wiregate;

/** How the clients of a {@link Gateway} authenticate. */
public enum Auth {
    /** No authentication: {@code connected} is sent right after open, with {@code userId} null. */
    NONE,
    /**
     * In-band: the client sends an {@code authenticate} event, checked by the gateway's {@link Authenticate}
     * method. Until then, application events are answered with {@code unauthorized}.
     */
    MESSAGE,
    /** Checked before the upgrade by the gateway's handshake guard; a refusal is HTTP 401 or 403. */
    HANDSHAKE
}
