package io.wiregate.client;

import java.time.Duration;

/**
 * The client is about to connect again, after {@code delay}.
 *
 * @param attempt the number of this attempt since the last successful connection, from 1
 * @param delay   the jittered backoff before the attempt
 * @param code    the close code of the connection (or attempt) that failed, 1006 when there was none
 */
public record Reconnecting(int attempt, Duration delay, int code) {
}
