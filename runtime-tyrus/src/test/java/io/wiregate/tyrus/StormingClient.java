package io.wiregate.tyrus;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.wiregate.testing.RawWebSocket;

/**
 * A client on a plain socket that writes text frames in a tight loop, as a busy client does, while it reads
 * what the server sends: for proving that a close the server decides reaches the client as a close frame even
 * when the client's frames are still arriving, and that the server completes the close handshake.
 *
 * <p>One thread writes (the storm, then an optional trigger frame, then more storm); the test's thread reads.
 */
final class StormingClient implements AutoCloseable {

    /** What the reader saw up to the server's close frame. */
    record Closed(int code, int textFrames, int echoes, int pings) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final AtomicBoolean storming = new AtomicBoolean(true);
    private final AtomicInteger written = new AtomicInteger();
    private final CompletableFuture<Void> writerDone = new CompletableFuture<>();
    private final Thread writer;

    private StormingClient(Socket socket, byte[] stormFrame, byte[] trigger, int triggerAfter) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.writer = new Thread(() -> storm(stormFrame, trigger, triggerAfter), "storm-writer");
        writer.setDaemon(true);
    }

    /**
     * Connects to {@code path}, then writes {@code stormEvent} frames in a loop; after {@code triggerAfter} of
     * them, writes {@code trigger} once (null: none) and goes on storming until the server's close is read.
     */
    static StormingClient start(int port, String path, String stormEvent, String trigger, int triggerAfter)
            throws IOException {
        StormingClient client = new StormingClient(RawWebSocket.open(port, path, 0), RawWebSocket.maskedText(stormEvent),
                trigger == null ? null : RawWebSocket.maskedText(trigger), triggerAfter);
        client.writer.start();
        return client;
    }

    /** Connects to {@code path} without writing anything until {@link #startStorm} is called. */
    static StormingClient quiet(int port, String path, String stormEvent) throws IOException {
        return new StormingClient(RawWebSocket.open(port, path, 0), RawWebSocket.maskedText(stormEvent), null, 0);
    }

    /** Starts the storm of a {@link #quiet} client. */
    void startStorm() {
        writer.start();
    }

    /**
     * Reads frames until the server's close frame (answering none of them) and returns its code; fails on the end
     * of the stream or a reset before it, which is what a client sees as 1006.
     */
    Closed readUntilClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        int texts = 0;
        int echoes = 0;
        int pings = 0;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("no close frame within " + timeout + " (" + texts + " text frames)");
            }
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if ((b1 & 0x80) != 0) {
                throw new IOException("a server frame must not be masked");
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opcode = b0 & 0x0F;
            if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                return new Closed(code, texts, echoes, pings);
            }
            if (opcode == 0x9) {
                pings++; // never answered: this client ignores pings
            }
            if (opcode == 0x1) {
                texts++;
                if (new String(payload, StandardCharsets.UTF_8).startsWith("{\"event\":\"echo\"")) {
                    echoes++;
                }
            }
        }
    }

    /**
     * Completes the close handshake as a client does: stops the storm, sends its own close frame echoing
     * {@code code}, and waits for the server to end the TCP connection.
     *
     * @return true if the server ended the connection (end of stream) within the timeout, after the client's
     *         close frame; false if it was still open then
     */
    boolean answerCloseAndAwaitEnd(int code, Duration timeout) throws Exception {
        stopStorm();
        byte[] close = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, (byte) (code >> 8), (byte) code};
        try {
            out.write(close);
            out.flush();
        } catch (IOException serverAlreadyGone) {
            // the server may have given up on the client meanwhile; reading tells
        }
        socket.setSoTimeout((int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] sink = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true; // the server ended it; how does not matter once the close frames were exchanged
        }
        return false;
    }

    /** Stops the storm and waits for the writer to notice. */
    void stopStorm() throws Exception {
        storming.set(false);
        try {
            writerDone.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException writeFailed) {
            // the server ended the connection under the writer: the storm is over either way
        }
    }

    /** Frames the writer has written so far. */
    int framesWritten() {
        return written.get();
    }

    private void storm(byte[] frame, byte[] trigger, int triggerAfter) {
        try {
            byte[] batch = repeat(frame, 16);
            int sent = 0;
            while (storming.get()) {
                if (trigger != null && sent == triggerAfter) {
                    out.write(trigger);
                    trigger = null;
                    written.incrementAndGet();
                }
                // whole batches, but exactly triggerAfter frames before the trigger
                boolean single = trigger != null && triggerAfter - sent < 16;
                out.write(single ? frame : batch);
                int n = single ? 1 : 16;
                sent += n;
                written.addAndGet(n);
            }
            out.flush();
            writerDone.complete(null);
        } catch (IOException e) {
            writerDone.completeExceptionally(e);
        }
    }

    private static byte[] repeat(byte[] frame, int times) {
        byte[] all = new byte[frame.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(frame, 0, all, i * frame.length, frame.length);
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        storming.set(false);
        socket.close();
    }
}
