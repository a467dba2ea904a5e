package io.wiregate.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which server this run deploys to, and where its log is: set by the failsafe execution. */
enum Server {
    WILDFLY, LIBERTY, PAYARA;

    static Server current() {
        return valueOf(System.getProperty("it.server", "wildfly").toUpperCase(java.util.Locale.ROOT));
    }

    /** Whether this server answers a refused handshake with a real HTTP status (README: "Application servers"). */
    boolean refusesWithStatus() {
        return Boolean.parseBoolean(System.getProperty("it.handshake-status", "true"));
    }

    /** The server's log as text (for messages of a failed deployment), or "" when there is none yet. */
    static String log() throws java.io.IOException {
        Path log = Path.of(System.getProperty("it.server.log", "missing"));
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
