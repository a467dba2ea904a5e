package io.wiregate.bench.gen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One client WebSocket connection of the load generator: a non-blocking socket owned by one {@link IoLoop}.
 * Reading happens on the loop's thread only; {@link #send} may be called from any thread (it is serialized).
 * The public counters are scenario state, touched by the loop's thread only unless noted.
 */
public final class Conn implements WsFrames.Sink {

    enum State { NEW, CONNECTING, HANDSHAKE, OPEN, CLOSED }

    final int index;
    final IoLoop loop;
    private final InetSocketAddress address;
    private final String path;
    private SocketChannel channel;
    private SelectionKey key;
    private volatile State state = State.NEW;
    private ByteBuffer pending;
    private byte[] fragment;
    private int fragmentLength;
    private long readNanos;
    volatile long lastSendNanos;
    volatile int closeCode = Integer.MIN_VALUE;
    private Runnable onReady;
    /**
     * Sealed clients (docs/protocol.md section 12), on a gateway whose path ends with {@code -sealed}: the key pair of
     * this connection, and its channel once {@code connected} came (loop thread, or the sender's under {@link #send}'s
     * monitor for sealing).
     */
    private final java.security.KeyPair sealKeys;
    private volatile io.wiregate.protocol.SealedChannel sealed;

    // scenario state (loop thread)
    public int received;
    public long lastSeq = -1;
    public int warm;
    public long nextId;
    public long outstandingId = -1;
    public int otherFrames;

    Conn(int index, IoLoop loop, InetSocketAddress address, String path) {
        this.index = index;
        this.loop = loop;
        this.address = address;
        this.path = path;
        this.sealKeys = path.endsWith("-sealed") ? io.wiregate.protocol.SealedChannel.newKeyPair() : null;
    }

    public int index() {
        return index;
    }

    public IoLoop loop() {
        return loop;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** The close code received from the server, -1 for a dropped socket, {@link Integer#MIN_VALUE} if none. */
    public int closeCode() {
        return closeCode;
    }

    /** Starts connecting (loop thread); {@code onReady} runs once the handshake succeeded or failed. */
    void connect(Runnable onReady) {
        this.onReady = onReady;
        state = State.CONNECTING;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(address)) {
                key = channel.register(loop.selector, SelectionKey.OP_READ, this);
                handshake();
            } else {
                key = channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            fail();
        }
    }

    void onConnectable() {
        try {
            if (channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_READ);
                handshake();
            }
        } catch (IOException | RuntimeException e) {
            fail();
        }
    }

    private void handshake() throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        state = State.HANDSHAKE;
        send(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    }

    void onReadable(ByteBuffer rb) {
        rb.clear();
        if (pending != null && pending.position() > 0) {
            pending.flip();
            rb.put(pending);
            pending.clear();
        }
        int n;
        try {
            n = channel.read(rb);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            dropped();
            return;
        }
        rb.flip();
        readNanos = System.nanoTime();
        if (state == State.HANDSHAKE && !readHandshake(rb)) {
            return;
        }
        if (state != State.OPEN) {
            return;
        }
        if (!WsFrames.parse(rb, this)) {
            dropped();
            return;
        }
        if (rb.hasRemaining() && state == State.OPEN) {
            if (pending == null || pending.capacity() < rb.remaining()) {
                pending = ByteBuffer.allocate(Math.max(4096, rb.remaining() * 2));
            }
            pending.put(rb);
        }
    }

    private boolean readHandshake(ByteBuffer rb) {
        int end = -1;
        for (int i = rb.position(); i + 3 < rb.limit(); i++) {
            if (rb.get(i) == '\r' && rb.get(i + 1) == '\n' && rb.get(i + 2) == '\r' && rb.get(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            if (rb.remaining() > 16384) {
                fail();
                return false;
            }
            if (pending == null) {
                pending = ByteBuffer.allocate(4096);
            }
            pending.put(rb);
            return false;
        }
        boolean switching = rb.limit() - rb.position() > 12 && rb.get(rb.position() + 9) == '1'
                && rb.get(rb.position() + 10) == '0' && rb.get(rb.position() + 11) == '1';
        if (!switching) {
            fail();
            return false;
        }
        rb.position(end);
        state = State.OPEN;
        if (sealKeys != null) { // the handshake of section 12: only the key, the bench gateway accepts anyone
            byte[] auth = ("{\"event\":\"authenticate\",\"data\":{\"publicKey\":\""
                    + io.wiregate.protocol.SealedChannel.encode((java.security.interfaces.ECPublicKey) sealKeys.getPublic())
                    + "\"}}").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer out = ByteBuffer.allocate(WsFrames.clientFrameLength(auth.length));
            WsFrames.writeClientFrame(out, WsFrames.OP_TEXT, auth, 0, auth.length, ThreadLocalRandom.current().nextInt());
            out.flip();
            send(out); // in the clear, as the only frame before connected
        }
        loop.handler.opened(this);
        if (sealKeys == null) {
            Runnable ready = onReady;
            onReady = null;
            if (ready != null) {
                ready.run();
            }
        }
        return true;
    }

    @Override
    public void frame(int opcode, boolean fin, ByteBuffer buf, int offset, int length) {
        switch (opcode) {
            case WsFrames.OP_TEXT, WsFrames.OP_BINARY -> {
                if (fin) {
                    if (opcode == WsFrames.OP_TEXT && sealKeys == null) {
                        loop.handler.text(this, buf, offset, length, readNanos);
                    } else if (opcode == WsFrames.OP_TEXT) {
                        sealedText(buf, offset, length);
                    }
                } else {
                    fragmentLength = 0;
                    appendFragment(buf, offset, length);
                }
            }
            case WsFrames.OP_CONTINUATION -> {
                appendFragment(buf, offset, length);
                if (fin) {
                    if (sealKeys == null) {
                        loop.handler.text(this, ByteBuffer.wrap(fragment, 0, fragmentLength), 0, fragmentLength, readNanos);
                    } else {
                        sealedText(ByteBuffer.wrap(fragment, 0, fragmentLength), 0, fragmentLength);
                    }
                    fragmentLength = 0;
                }
            }
            case WsFrames.OP_PING -> {
                byte[] payload = new byte[length];
                buf.get(offset, payload);
                sendFrame(WsFrames.OP_PONG, payload, 0, length);
            }
            case WsFrames.OP_CLOSE -> {
                int code = length >= 2 ? buf.getShort(offset) & 0xFFFF : 1005;
                closeCode = code;
                sendFrame(WsFrames.OP_CLOSE, new byte[] {(byte) (code >>> 8), (byte) code}, 0, 2);
                closeChannel();
                loop.handler.closed(this, code);
            }
            default -> {
                // pong: nothing to do
            }
        }
    }

    private void appendFragment(ByteBuffer buf, int offset, int length) {
        if (fragment == null || fragment.length < fragmentLength + length) {
            byte[] grown = new byte[Math.max(4096, (fragmentLength + length) * 2)];
            if (fragment != null) {
                System.arraycopy(fragment, 0, grown, 0, fragmentLength);
            }
            fragment = grown;
        }
        buf.get(offset, fragment, fragmentLength, length);
        fragmentLength += length;
    }

    /**
     * Sends a masked text frame of {@code text}, written into {@code out} (cleared first): sealed for this connection
     * on a sealed gateway, sealing and sending under this connection's monitor so that frames keep their sequence
     * numbers' order whichever thread sends them.
     *
     * @return whether everything was written
     */
    public synchronized boolean sendText(ByteBuffer out, byte[] text, int length) {
        out.clear();
        io.wiregate.protocol.SealedChannel s = sealed;
        if (s == null) {
            WsFrames.writeClientFrame(out, WsFrames.OP_TEXT, text, 0, length, ThreadLocalRandom.current().nextInt());
        } else {
            byte[] sealedText = s.seal(new String(text, 0, length, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
            WsFrames.writeClientFrame(out, WsFrames.OP_TEXT, sealedText, 0, sealedText.length, ThreadLocalRandom.current().nextInt());
        }
        out.flip();
        return send(out);
    }

    /** A text frame on a sealed gateway: {@code connected} in the clear (which gives the keys), then sealed frames. */
    private void sealedText(ByteBuffer buf, int offset, int length) {
        byte[] raw = new byte[length];
        buf.get(offset, raw);
        String text = new String(raw, StandardCharsets.UTF_8);
        io.wiregate.protocol.SealedChannel s = sealed;
        try {
            if (s == null) {
                java.util.regex.Matcher key = SERVER_KEY.matcher(text);
                java.util.regex.Matcher salt = SALT.matcher(text);
                if (key.find() && salt.find()) {
                    sealed = io.wiregate.protocol.SealedChannel.derive(sealKeys.getPrivate(),
                            io.wiregate.protocol.SealedChannel.decode(key.group(1)), salt.group(1), false);
                    Runnable ready = onReady; // a sealed connection is ready once it can seal
                    onReady = null;
                    if (ready != null) {
                        ready.run();
                    }
                }
            } else {
                raw = s.open(text).getBytes(StandardCharsets.UTF_8);
            }
        } catch (java.security.GeneralSecurityException e) {
            otherFrames++;
            return;
        }
        loop.handler.text(this, ByteBuffer.wrap(raw), 0, raw.length, readNanos);
    }

    private static final java.util.regex.Pattern SERVER_KEY = java.util.regex.Pattern.compile("\"publicKey\":\"([A-Za-z0-9_-]+)\"");
    private static final java.util.regex.Pattern SALT = java.util.regex.Pattern.compile("\"salt\":\"([A-Za-z0-9_-]+)\"");

    /** Sends one masked frame built from {@code payload} (any thread); a text frame sealed where it must be. */
    public void sendFrame(int opcode, byte[] payload, int offset, int length) {
        if (sealKeys != null && opcode == WsFrames.OP_TEXT) {
            if (sealed != null) {
                sendText(ByteBuffer.allocate(WsFrames.clientFrameLength(length * 2 + 64)),
                        java.util.Arrays.copyOfRange(payload, offset, offset + length), length);
            } // else before connected, where nothing but authenticate goes (section 12): a heartbeat then is skipped
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(WsFrames.clientFrameLength(length));
        WsFrames.writeClientFrame(out, opcode, payload, offset, length, ThreadLocalRandom.current().nextInt());
        out.flip();
        send(out);
    }

    /**
     * Writes the buffer completely (any thread). The socket is non-blocking: a full send buffer is waited out
     * briefly (the server reads continuously); after 10 s the connection is dropped.
     *
     * @return whether everything was written
     */
    public synchronized boolean send(ByteBuffer out) {
        if (state == State.CLOSED || channel == null) {
            return false;
        }
        long deadline = 0;
        try {
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + TimeUnit.SECONDS.toNanos(10);
                    } else if (now > deadline) {
                        throw new IOException("send buffer full for 10 s");
                    }
                    LockSupport.parkNanos(20_000);
                }
            }
            lastSendNanos = System.nanoTime();
            return true;
        } catch (IOException e) {
            loop.execute(this::dropped);
            return false;
        }
    }

    private void fail() {
        State was = state;
        closeChannel();
        Runnable ready = onReady;
        onReady = null;
        if (ready != null) {
            ready.run();
        } else if (was == State.OPEN) {
            loop.handler.closed(this, -1);
        }
    }

    private void dropped() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        closeCode = closeCode == Integer.MIN_VALUE ? -1 : closeCode;
        if (wasOpen) {
            closeChannel();
            loop.handler.closed(this, -1);
        } else {
            fail();
        }
    }

    /** Closes the socket at once (loop thread, or after the loop stopped). */
    void closeChannel() {
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
