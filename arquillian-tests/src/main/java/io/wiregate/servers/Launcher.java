package io.wiregate.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a WAR at the root context of WildFly, Open Liberty or Payara Micro (as unpacked by this module's build in
 * {@code target/servers}) on 127.0.0.1, the way the conformance kit expects a server to behave:
 *
 * <pre>
 * java -cp arquillian-tests/target/classes io.wiregate.servers.Launcher wildfly|liberty|payara WAR [-Dkey=value ...]
 * </pre>
 *
 * {@code -Dwiregate.port=N} chooses the HTTP port (0 or absent: a free one); every other {@code -Dkey=value}
 * becomes a system property of the server's JVM (Wiregate reads its settings from there, or from MicroProfile
 * Config, which includes system properties). Prints {@code LISTENING ws://127.0.0.1:PORT} once a WebSocket
 * handshake on {@code /echo} succeeds, copies the server's output to stderr, and on SIGTERM stops the server
 * (which closes every client with 1001) and exits. WildFly and Payara Micro run from a temporary directory,
 * removed on exit; Liberty from a persistent one under {@code target/servers/launcher}, to reuse its caches.
 * <p>
 * Several WARs run side by side in the same server when each is given a context root, {@code /NAME=WAR}
 * (for example {@code /wiregate=a.war /raw=b.war}; a plain {@code WAR} is the root context). Settings of the
 * launcher itself are system properties of its own JVM ({@code java -Dlauncher.x=y -cp ... Launcher ...}):
 * <ul>
 * <li>{@code launcher.ready}: the paths, comma-separated, that must accept a WebSocket handshake before
 * {@code LISTENING} is printed ({@code /echo} by default), for example {@code /wiregate/bench,/raw/bench};</li>
 * <li>{@code launcher.jvm-options}: the server JVM's options, space-separated ({@code -Xms64m -Xmx512m} by
 * default);</li>
 * <li>{@code launcher.exit-with-stdin}: {@code true} stops the server and exits when the launcher's standard input
 * ends, so that a parent process (the benchmark driver) never leaves a server behind;</li>
 * <li>{@code launcher.startup-seconds} (240) and {@code launcher.servers} (the unpacked servers).</li>
 * </ul>
 */
public final class Launcher {

    private static final String HOST = "127.0.0.1";
    private static final long STARTUP_SECONDS = Long.getLong("launcher.startup-seconds", 240);
    private static final long STOP_SECONDS = 20;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher wildfly|liberty|payara WAR|/CONTEXT=WAR... [-Dkey=value ...]");
            System.exit(2);
        }
        Map<String, Path> wars = new LinkedHashMap<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-D") && a.length() >= 3) {
                int eq = a.indexOf('=');
                properties.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
            } else if (a.startsWith("-")) {
                fail("unexpected argument '" + a + "': only WARs and -Dkey=value options are accepted");
            } else {
                deployment(a, wars);
            }
        }
        if (wars.isEmpty()) {
            fail("no WAR given");
        }
        List<String> ready = List.of(System.getProperty("launcher.ready", "/echo").split(","));
        List<String> jvmOptions = List.of(System.getProperty("launcher.jvm-options", ServerCommands.DEFAULT_JVM_OPTIONS).trim().split("\\s+"));
        String requested = properties.remove("wiregate.port");
        int port = requested == null || requested.isBlank() || Integer.parseInt(requested.trim()) == 0
                ? freePort() : Integer.parseInt(requested.trim());

        Path servers = serversDirectory();
        Path work = Files.createTempDirectory("wiregate-" + args[0] + "-");
        // Liberty starts much faster with the caches of an earlier run: it keeps a persistent directory per
        // concurrent launch ("slot"), held with a file lock while the server runs. Payara Micro must not reuse its
        // root directory: it would first deploy the WAR recorded there, then redeploy it (503/404 for seconds).
        Runnable beforeStop = () -> { };
        ProcessBuilder command;
        switch (args[0].toLowerCase(Locale.ROOT)) {
            case "wildfly" -> command = ServerCommands.wildfly(servers, work, wars, port, jvmOptions, properties);
            case "liberty" -> {
                Path slot = slot(servers, "liberty");
                command = ServerCommands.liberty(servers, slot, wars, port, jvmOptions, properties);
                beforeStop = () -> ServerCommands.libertyUndeploy(slot, port, ready);
            }
            case "payara" -> command = ServerCommands.payara(servers, work, wars, port, jvmOptions, properties);
            default -> throw new IllegalArgumentException("unknown server '" + args[0] + "': wildfly, liberty or payara");
        }
        command.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process server = command.start();
        pump(server.getInputStream(), System.err);
        Runnable undeploy = beforeStop;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            STOPPING = true;
            if (server.isAlive()) {
                undeploy.run();
            }
            stop(server, work);
        }, "launcher-stop"));
        if (Boolean.getBoolean("launcher.exit-with-stdin")) {
            exitWithStdin();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
        while (!ready.stream().allMatch(path -> handshakeAccepted(port, path.trim()))) {
            if (!server.isAlive()) {
                fail(args[0] + " exited with " + server.exitValue() + " before accepting connections");
            }
            if (System.nanoTime() > deadline) {
                fail(args[0] + " did not accept WebSocket connections on port " + port + " within " + STARTUP_SECONDS + " s");
            }
            Thread.sleep(250);
        }
        System.out.println("LISTENING ws://" + HOST + ":" + port);
        System.out.flush();
        int exit = server.waitFor();
        if (STOPPING) {
            return; // SIGTERM: the shutdown hook stopped the server and exits with the JVM's own status
        }
        System.err.println("launcher: " + args[0] + " exited by itself with " + exit);
        System.exit(1);
    }

    /**
     * Adds {@code WAR} (the root context) or {@code /NAME=WAR} to {@code wars}, by context root. A context root is
     * {@code /} or one path segment, which every server can name a deployment after.
     */
    private static void deployment(String arg, Map<String, Path> wars) {
        int eq = arg.indexOf('=');
        boolean named = arg.startsWith("/") && eq > 0;
        String context = named ? arg.substring(0, eq) : "/";
        Path war = Path.of(named ? arg.substring(eq + 1) : arg).toAbsolutePath();
        if (!context.equals("/") && !context.matches("/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            fail("context root '" + context + "' is not one path segment such as /app");
        }
        if (!Files.isRegularFile(war)) {
            fail("no WAR at " + war + ": build it first (mvn -B package -DskipTests)");
        }
        if (wars.put(context, war) != null) {
            fail("two WARs at context root " + context);
        }
    }

    /** Stops the server (through the shutdown hook) and exits when standard input ends. */
    private static void exitWithStdin() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // anything read is ignored
                }
            } catch (IOException e) {
                // treated as the end of the input
            }
            System.exit(0);
        }, "launcher-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** {@code target/servers} of this module: beside the launcher's classes, or {@code -Dlauncher.servers=DIR}. */
    private static Path serversDirectory() throws Exception {
        String configured = System.getProperty("launcher.servers");
        if (configured != null) {
            return Path.of(configured);
        }
        Path classes = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path servers = classes.getParent().resolve("servers");
        if (!Files.isDirectory(servers)) {
            fail("no unpacked servers in " + servers + ": run mvn -B verify -DskipTests -Dservers.skip=false"
                    + " -pl examples/conformance,arquillian-tests -am first");
        }
        return servers;
    }

    /** The first persistent directory {@code servers/launcher/NAME-N} that no running launcher holds; locked until exit. */
    private static Path slot(Path servers, String name) throws IOException {
        for (int n = 1; ; n++) {
            Path dir = servers.resolve("launcher").resolve(name + "-" + n);
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                HELD.add(lock); // released when this JVM exits
                return dir;
            }
            channel.close();
        }
    }

    private static final List<FileLock> HELD = new ArrayList<>();

    private static volatile boolean STOPPING;

    private static void stop(Process server, Path work) {
        STOPPING = true;
        if (server.isAlive()) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            try {
                if (!server.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    server.descendants().forEach(ProcessHandle::destroyForcibly);
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(work);
    }

    /** Whether an upgrade request for {@code /echo} is answered with 101. */
    static boolean handshakeAccepted(int port) {
        return handshakeAccepted(port, "/echo");
    }

    /** Whether an upgrade request for {@code path} is answered with 101. */
    static boolean handshakeAccepted(int port, String path) {
        try (Socket socket = new Socket(HOST, port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.append((char) b);
            }
            return line.toString().startsWith("HTTP/1.1 101");
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pump(InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                // the server is gone
            }
        }, "launcher-output");
        t.setDaemon(true);
        t.start();
    }

    static List<String> systemProperties(Map<String, String> properties) {
        List<String> options = new ArrayList<>();
        properties.forEach((k, v) -> options.add("-D" + k + "=" + v));
        return options;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory
        }
    }

    private static void fail(String message) {
        System.err.println("launcher: " + message);
        System.exit(1);
    }
}
