package io.wiregate.protocol;

/**
 * One entry of a {@code validation} error's {@code violations}.
 *
 * @param path    the property path, {@code ""} for the payload as a whole
 * @param message what is wrong, for a human
 */
public record Violation(String path, String message) {
}
