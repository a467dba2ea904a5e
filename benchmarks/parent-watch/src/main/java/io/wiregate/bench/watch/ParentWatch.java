package io.wiregate.bench.watch;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ends a benchmark server when its driver goes away: the driver holds the server's standard input open, and
 * end of file on it (the driver exited, normally or not) exits the JVM, running its shutdown hooks.
 * A benchmark server is therefore never left behind.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /** Starts the watch on a daemon thread of its own; returns at once. */
    public static void start() {
        Thread t = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            try {
                while (in.read(buf) >= 0) {
                    // the driver sends nothing; anything read is ignored
                }
            } catch (IOException e) {
                // treated as end of file
            }
            System.exit(0);
        }, "bench-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
