package io.wiregate.tyrus;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.wiregate.testing.RawWebSocket;

/**
 * A client that writes text frames in a tight loop, as a busy client does, and reads nothing until
 * {@link #readUntilClose}: for proving that a close the server decides reaches the client as a close frame even
 * when the client's frames are still arriving, and that the server completes the close handshake. It answers
 * neither pings nor the server's close until {@link #answerCloseAndAwaitEnd}, and goes on storming after the close.
 *
 * <p>One thread writes (the storm, then an optional trigger frame, then more storm); the connection's reader reads.
 */
final class StormingClient implements AutoCloseable {

    /** What the reader saw up to the server's close frame. */
    record Closed(int code, int textFrames, int echoes, int pings) {
    }

    private final RawWebSocket ws;
    private final AtomicBoolean storming = new AtomicBoolean(true);
    private final AtomicInteger written = new AtomicInteger();
    private final CompletableFuture<Void> writerDone = new CompletableFuture<>();
    private final Thread writer;

    private StormingClient(URI uri, String stormFrame, String trigger, int triggerAfter) {
        this.ws = RawWebSocket.to(uri).paused().ignoringPings().notAnsweringClose().connect();
        byte[] frame = RawWebSocket.maskedText(stormFrame);
        byte[] triggerFrame = trigger == null ? null : RawWebSocket.maskedText(trigger);
        this.writer = new Thread(() -> storm(frame, triggerFrame, triggerAfter), "storm-writer");
        writer.setDaemon(true);
    }

    /**
     * Connects to {@code uri}, then writes {@code stormFrame} frames in a loop; after {@code triggerAfter} of
     * them, writes {@code trigger} once (null: none) and goes on storming until the server's close is read.
     */
    static StormingClient start(URI uri, String stormFrame, String trigger, int triggerAfter) {
        StormingClient client = new StormingClient(uri, stormFrame, trigger, triggerAfter);
        client.writer.start();
        return client;
    }

    /** Connects to {@code uri} without writing anything until {@link #startStorm} is called. */
    static StormingClient quiet(URI uri, String stormFrame) {
        return new StormingClient(uri, stormFrame, null, 0);
    }

    /** Starts the storm of a {@link #quiet} client. */
    void startStorm() {
        writer.start();
    }

    /**
     * Starts reading and waits for the server's close frame (answering nothing); its code is
     * {@link RawWebSocket#ABNORMAL} when the connection ended (or was reset) without one.
     *
     * @throws AssertionError if neither comes within {@code timeout}
     */
    Closed readUntilClose(Duration timeout) {
        ws.resume();
        int code = ws.awaitClose(timeout);
        List<String> texts = ws.receivedText();
        // not parsed: thousands of texts would keep the test's thread busy while the storm goes on
        int echoes = (int) texts.stream().filter(t -> t.startsWith("{\"event\":\"echo\"")).count();
        return new Closed(code, texts.size(), echoes, ws.pingsReceived());
    }

    /**
     * Completes the close handshake as a client does: stops the storm, sends its own close frame echoing
     * {@code code}, and waits for the server to end the TCP connection.
     *
     * @return true if the server ended the connection (end of stream or reset) within the timeout, after the
     *         client's close frame; false if it was still open then
     */
    boolean answerCloseAndAwaitEnd(int code, Duration timeout) throws Exception {
        stopStorm();
        try {
            ws.sendClose(code);
        } catch (UncheckedIOException serverAlreadyGone) {
            // the server may have given up on the client meanwhile; the end of the connection tells
        }
        return ws.awaitEnd(timeout);
    }

    /** Stops the storm and waits for the writer to notice. */
    void stopStorm() throws Exception {
        storming.set(false);
        try {
            writerDone.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException writeFailed) {
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
                    ws.sendBytes(trigger);
                    trigger = null;
                    written.incrementAndGet();
                }
                // whole batches, but exactly triggerAfter frames before the trigger
                boolean single = trigger != null && triggerAfter - sent < 16;
                ws.sendBytes(single ? frame : batch);
                int n = single ? 1 : 16;
                sent += n;
                written.addAndGet(n);
            }
            writerDone.complete(null);
        } catch (UncheckedIOException e) {
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

    /** Stops the storm and drops the connection. */
    @Override
    public void close() {
        storming.set(false);
        ws.abort();
    }
}
