package io.wiregate.bench.driver;

/** Runs around a scenario's measured window (for example a JFR recording); does nothing by default. */
interface Measure {

    Measure NONE = new Measure() {
    };

    /** Just before the measured window starts. */
    default void start() {
    }

    /** Just after the measured window ended (figures taken). */
    default void end() {
    }
}
