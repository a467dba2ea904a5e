package io.wiregate.protocol.internal;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads Wiregate's configuration: from MicroProfile Config when its API and an implementation are present,
 * from system properties otherwise. Keys are documented in the README.
 *
 * <p><b>Internal SPI, not API:</b> the one configuration lookup of Wiregate's own modules (the CDI extension, the
 * standalone runtime, the Redis bus), none of which may need CDI for it. Applications do not call it; it may
 * change in any release. Thread-safe; the source is chosen once, when the class initializes.
 */
public final class Settings {

    private static final Function<String, Optional<String>> SOURCE = detectSource();

    private Settings() {
    }

    /**
     * The value of a key, trimmed.
     *
     * @param key the full key, for example {@code wiregate.redis.address}
     * @return the value, or empty when the key is not set or blank
     */
    public static Optional<String> get(String key) {
        return SOURCE.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * A numeric key.
     *
     * @param key the full key, for example {@code wiregate.port}
     * @return the value, or empty when the key is not set or blank
     * @throws IllegalArgumentException if it is set but not a whole number
     */
    public static Optional<Long> getLong(String key) {
        return get(key).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Configuration " + key + "=" + v + " is not a whole number");
            }
        });
    }

    private static Function<String, Optional<String>> detectSource() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, Settings.class.getClassLoader());
            return MicroProfileSource.create();
        } catch (ClassNotFoundException | LinkageError | IllegalStateException e) {
            return key -> Optional.ofNullable(System.getProperty(key));
        }
    }

    /** Kept in its own class so that nothing loads MicroProfile Config classes unless they are present. */
    private static final class MicroProfileSource {
        static Function<String, Optional<String>> create() {
            org.eclipse.microprofile.config.ConfigProvider.getConfig(); // fails here if no implementation is present
            return key -> {
                try {
                    return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(key, String.class);
                } catch (RuntimeException e) {
                    return Optional.ofNullable(System.getProperty(key));
                }
            };
        }
    }
}
