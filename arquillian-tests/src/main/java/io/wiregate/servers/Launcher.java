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
 */
public final class Launcher {

    private static final String HOST = "127.0.0.1";
    private static final long STARTUP_SECONDS = Long.getLong("launcher.startup-seconds", 240);
    private static final long STOP_SECONDS = 20;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher wildfly|liberty|payara WAR [-Dkey=value ...]");
            System.exit(2);
        }
        Path war = Path.of(args[1]).toAbsolutePath();
        if (!Files.isRegularFile(war)) {
            fail("no WAR at " + war + ": build it first (mvn -B package -DskipTests)");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-D") || a.length() < 3) {
                fail("unexpected argument '" + a + "': only -Dkey=value options are accepted");
            }
            int eq = a.indexOf('=');
            properties.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
        }
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
            case "wildfly" -> command = ServerCommands.wildfly(servers, work, war, port, properties);
            case "liberty" -> {
                Path slot = slot(servers, "liberty");
                command = ServerCommands.liberty(servers, slot, war, port, properties);
                beforeStop = () -> ServerCommands.libertyUndeploy(slot, port);
            }
            case "payara" -> command = ServerCommands.payara(servers, work, war, port, properties);
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

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
        while (!handshakeAccepted(port)) {
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
        try (Socket socket = new Socket(HOST, port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /echo HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
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
