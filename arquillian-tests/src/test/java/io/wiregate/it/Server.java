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

    /**
     * The lines of a log excerpt at warning level or worse that mention one of {@code topics} (case-insensitive), and
     * any line that mentions a leak; the log format is this server's.
     */
    java.util.List<String> warningsAbout(String log, String... topics) {
        java.util.regex.Pattern level = switch (this) {
            case WILDFLY -> java.util.regex.Pattern.compile("^\\S+ \\S+ (WARN|ERROR|FATAL) ");
            case LIBERTY -> java.util.regex.Pattern.compile("^\\[[^\\]]*\\] [0-9a-f]+ \\S+\\s+[WEF] ");
            case PAYARA -> java.util.regex.Pattern.compile("^\\[[^\\]]*\\] \\[[^\\]]*\\] \\[(WARNING|SEVERE)\\]");
        };
        return log.replaceAll("\u001B\\[[0-9;]*m", "").lines().filter(line -> {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            return lower.contains("leak") || level.matcher(line).find()
                    && java.util.Arrays.stream(topics).anyMatch(t -> lower.contains(t.toLowerCase(java.util.Locale.ROOT)));
        }).toList();
    }

    /** The server's log as text (for messages of a failed deployment), or "" when there is none yet. */
    static String log() throws java.io.IOException {
        Path log = Path.of(System.getProperty("it.server.log", "missing"));
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
