package io.wiregate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A private redis-server for a test: on a free loopback port, no persistence. {@link #close()} kills it.
 * Fails with a clear message when redis-server is not installed. Used by the tests of {@code cluster-redisson}
 * and {@code arquillian-tests}; this module is never published.
 */
public final class RedisServer implements AutoCloseable {

    private final String binary;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(String binary, int port, List<String> extraArgs) {
        this.binary = binary;
        this.port = port;
        this.extraArgs = extraArgs;
    }

    /** Starts redis-server on a free 127.0.0.1 port and waits (at most 10 s) until it answers PING. */
    public static RedisServer start() throws IOException {
        return start(List.of());
    }

    /** Starts redis-server with extra arguments (for example {@code --cluster-enabled yes}). */
    public static RedisServer start(List<String> extraArgs) throws IOException {
        RedisServer server = new RedisServer(findBinary(), freePort(), List.copyOf(extraArgs));
        server.restart();
        return server;
    }

    /**
     * The binary: {@code WG_REDIS_SERVER}, else {@code redis-server} on the PATH.
     *
     * @return the path of the redis-server executable
     * @throws IllegalStateException when none is installed
     */
    public static String findBinary() {
        String explicit = System.getenv("WG_REDIS_SERVER");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return explicit;
        }
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
                return Path.of(dir, "redis-server").toString();
            }
        }
        throw new IllegalStateException("These tests need a real redis-server and none is installed: "
                + "install the Debian package (apt-get install -y redis-server) or set WG_REDIS_SERVER=/path/to/redis-server");
    }

    /**
     * A port free on the loopback interface when this returns.
     *
     * @return the port
     * @throws IOException if no port can be bound
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The port this server listens on, the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The Redisson address of this server, {@code redis://127.0.0.1:PORT}. */
    public String address() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts (again) on the same port; waits at most 10 s until it answers. */
    public synchronized void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is running already");
        }
        Path log = Path.of("target", "redis-" + port + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new java.util.ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly)); // last resort if a test leaks it
        try {
            awaitPing(started, log);
        } catch (RuntimeException e) {
            started.destroyForcibly();
            throw e;
        }
    }

    private void awaitPing(Process started, Path log) {
        Awaitility.await("redis-server answers PING on port " + port).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("redis-server exited with " + started.exitValue() + ", see " + log);
                    }
                    return ping();
                });
    }

    /** Kills redis-server (SIGKILL) and waits for it to be gone. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Whether the server answers {@code PING} now. */
    public boolean ping() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code PUBLISH channel message}, like redis-cli: returns how many subscriptions received it. */
    public long publish(String channel, String message) throws IOException {
        String reply = command("PUBLISH", channel, message);
        if (!reply.startsWith(":")) {
            throw new IOException("PUBLISH failed: " + reply);
        }
        return Long.parseLong(reply.substring(1));
    }

    /** One RESP command on a fresh connection; the first line of the reply. */
    public String command(String... args) throws IOException {
        try (Socket s = connect(args)) {
            return readLine(s.getInputStream());
        }
    }

    /**
     * One RESP command on a fresh connection whose reply is a bulk string (such as {@code CLIENT LIST});
     * its text.
     */
    public String bulk(String... args) throws IOException {
        try (Socket s = connect(args)) {
            InputStream in = s.getInputStream();
            String header = readLine(in);
            if (!header.startsWith("$")) {
                throw new IOException(String.join(" ", args) + " did not answer a bulk string: " + header);
            }
            return new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
        }
    }

    /** The names of the client connections open on this server ({@code CLIENT LIST}); "" for unnamed ones. */
    public List<String> clientNames() throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (String line : bulk("CLIENT", "LIST").split("\n")) {
            for (String field : line.trim().split(" ")) {
                if (field.startsWith("name=")) {
                    names.add(field.substring("name=".length()));
                }
            }
        }
        return names;
    }

    private Socket connect(String... args) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(bytes);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A reply line without its CRLF. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\r'; ) {
            line.append((char) c);
        }
        if (in.read() != '\n') { // the LF of the CRLF
            throw new IOException("truncated reply: " + line);
        }
        return line.toString();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
