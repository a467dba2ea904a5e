package io.wiregate.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without a MicroProfile Config implementation on the class path, as here, the keys come from system properties. */
class SettingsTest {

    private static final String KEY = "wiregate.settings-test.value";

    @AfterEach
    void clear() {
        System.clearProperty(KEY);
    }

    @Test
    void aSystemPropertyIsReadTrimmed() {
        System.setProperty(KEY, "  redis://127.0.0.1:6379 ");

        assertThat(Settings.get(KEY)).contains("redis://127.0.0.1:6379");
    }

    @Test
    void anUnsetOrBlankKeyIsEmpty() {
        assertThat(Settings.get(KEY)).isEmpty();
        System.setProperty(KEY, "   ");
        assertThat(Settings.get(KEY)).isEmpty();
        assertThat(Settings.getLong(KEY)).isEmpty();
    }

    @Test
    void aNumericKeyIsAWholeNumber() {
        System.setProperty(KEY, " 8025 ");
        assertThat(Settings.getLong(KEY)).contains(8025L);

        System.setProperty(KEY, "8025ms");
        assertThatThrownBy(() -> Settings.getLong(KEY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Configuration " + KEY + "=8025ms is not a whole number");
    }
}
