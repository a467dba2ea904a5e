package io.wiregate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 for tests of lost connections: clients connect to {@link #port()}, and each connection is
 * forwarded to the current target port. {@link #cut()} drops every connection at once, as a network change does
 * (the sockets are reset, no WebSocket close frame is sent either way); {@link #target(int)} sends the following
 * connections to another server, as a load balancer does when a node goes away. Two threads per forwarded
 * connection: for tests only. Close it after the test.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile int target;

    /**
     * Starts a proxy to {@code targetPort} on 127.0.0.1.
     *
     * @throws IOException if no port can be bound
     */
    public TcpProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Forwards the connections made from now on to {@code targetPort} (those open keep their server). */
    public void target(int targetPort) {
        this.target = targetPort;
    }

    /** How many connections the proxy accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Resets every open connection, on both sides, at once: neither end gets a close frame. */
    public void cut() {
        for (Socket s : open) {
            reset(s);
        }
        open.clear();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closed either way
        }
        cut();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
            } catch (IOException e) {
                reset(client);
                continue;
            }
            open.add(client);
            open.add(server);
            pump(client, server);
            pump(server, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try { // not closing the streams: that would close the sockets, and with them the other direction
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput(); // a clean end goes on as a clean end
            } catch (IOException e) {
                reset(from);
                reset(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close sends RST: the peer sees the connection fail, not end
            s.close();
        } catch (IOException e) {
            // gone already
        }
    }
}
