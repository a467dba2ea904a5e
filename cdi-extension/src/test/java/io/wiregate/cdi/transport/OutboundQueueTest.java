package io.wiregate.cdi.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    /** Records what the queue tells its connection. */
    static final class RecordingListener implements OutboundQueue.Listener {
        final AtomicInteger overflowed = new AtomicInteger();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public void overflowed() {
            overflowed.incrementAndGet();
        }

        @Override
        public void failed(Throwable cause) {
            failures.add(cause);
        }
    }

    private final RecordingListener listener = new RecordingListener();

    /** A queue on the portable transport with a window of {@code windowChars} characters (1: one at a time). */
    private OutboundQueue portable(FakeAsyncRemote remote, int bound, int windowChars) {
        return new OutboundQueue(new TextTransport(new FakeSession("s", remote).session(), remote, windowChars, null),
                bound, listener);
    }

    /** A queue on the raw transport with a window of {@code windowBytes} bytes. */
    private OutboundQueue rawQueue(RawWriter raw, int bound, int windowBytes) {
        return new OutboundQueue(new RawTransport(new FakeSession("s", FakeAsyncRemote.manual()).session(), raw,
                windowBytes, null), bound, listener);
    }

    private static OutboundFrame text(String text) {
        return new OutboundFrame(text);
    }

    private static List<String> frames(int n) {
        return IntStream.range(0, n).mapToObj(i -> "f" + i).toList();
    }

    // ---- order and flight ----

    @Test
    void framesAreSentInTheOrderOffered() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);

        assertThat(queue.offer(text("a"), false)).isTrue();
        assertThat(queue.offer(text("b"), false)).isTrue();
        assertThat(queue.offer(text("c"), false)).isTrue();
        assertThat(remote.sent()).containsExactly("a");

        remote.completeNext();
        assertThat(remote.sent()).containsExactly("a", "b");
        remote.completeNext();
        remote.completeNext();

        assertThat(remote.sent()).containsExactly("a", "b", "c");
        assertThat(remote.pendingCount()).isZero();
        assertThat(queue.size()).isZero();
    }

    @Test
    void atMostOneSendIsInFlight() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 100, 1);

        frames(50).forEach(f -> queue.offer(text(f), false));
        assertThat(remote.pendingCount()).isEqualTo(1);
        remote.completeAll();

        assertThat(remote.sent()).isEqualTo(frames(50));
        assertThat(remote.maxInFlight()).isEqualTo(1);
    }

    @Test
    void theSameStringInstanceIsSent() {
        FakeAsyncRemote remote = FakeAsyncRemote.inline();
        OutboundQueue queue = portable(remote, 10, 1);
        String frame = new String("{\"event\":\"x\",\"data\":null}");

        queue.offer(text(frame), false);

        assertThat(remote.sent().get(0)).isSameAs(frame);
    }

    @Test
    void sizeCountsWaitingFramesButNotTheOneInFlight() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);

        frames(3).forEach(f -> queue.offer(text(f), false));

        assertThat(queue.size()).isEqualTo(2);
    }

    // ---- bound ----

    @Test
    void framesUpToTheBoundBesideTheOneInFlightAreAccepted() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 3, 1);

        assertThat(frames(4)).allSatisfy(f -> assertThat(queue.offer(text(f), false)).isTrue());

        assertThat(listener.overflowed).hasValue(0);
        remote.completeAll();
        assertThat(remote.sent()).isEqualTo(frames(4));
    }

    @Test
    void overflowPastTheBoundCallsOverflowedOnceAndDiscardsQueuedFrames() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 3, 1);
        frames(4).forEach(f -> queue.offer(text(f), false)); // f0 in flight, f1..f3 waiting

        assertThat(queue.offer(text("over"), false)).isFalse();
        assertThat(queue.offer(text("again"), false)).isFalse();
        assertThat(queue.offer(text("volatile"), true)).isFalse();

        assertThat(listener.overflowed).hasValue(1);
        assertThat(queue.size()).isZero();
        remote.completeAll();
        assertThat(remote.sent()).containsExactly("f0");
        assertThat(listener.failures).isEmpty();
    }

    @Test
    void volatileFrameOverTheBoundIsDroppedWithoutOverflow() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 2, 1);
        frames(3).forEach(f -> queue.offer(text(f), false)); // f0 in flight, f1 and f2 waiting

        assertThat(queue.offer(text("typing"), true)).isFalse();

        assertThat(listener.overflowed).hasValue(0);
        assertThat(queue.size()).isEqualTo(2);
        remote.completeNext();
        assertThat(queue.offer(text("typing-again"), true)).isTrue();
        assertThat(queue.offer(text("important"), false)).isFalse(); // full again: this one overflows
        remote.completeAll();
        assertThat(listener.overflowed).hasValue(1);
    }

    @Test
    void volatileFrameWithinTheBoundIsSent() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 2, 1);

        queue.offer(text("a"), false);
        assertThat(queue.offer(text("v"), true)).isTrue();
        queue.offer(text("b"), false);
        remote.completeAll();

        assertThat(remote.sent()).containsExactly("a", "v", "b");
        assertThat(listener.overflowed).hasValue(0);
    }

    @Test
    void droppedVolatileFramesLeaveLaterFramesInOrder() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 1, 1);

        queue.offer(text("a"), false);
        queue.offer(text("b"), false);
        queue.offer(text("v1"), true);
        queue.offer(text("v2"), true);
        remote.completeNext();
        queue.offer(text("c"), false);
        remote.completeAll();

        assertThat(remote.sent()).containsExactly("a", "b", "c");
    }

    // ---- offerLast ----

    @Test
    void offerLastRunsItsCallbackAfterTheFrameIsSent() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger closes = new AtomicInteger();

        queue.offerLast(text("bye"), closes::incrementAndGet);
        assertThat(remote.sent()).containsExactly("bye");
        assertThat(closes).hasValue(0);

        remote.completeNext();
        assertThat(closes).hasValue(1);
    }

    @Test
    void offerLastWaitsForTheSendInFlight() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger closes = new AtomicInteger();
        queue.offer(text("a"), false);

        queue.offerLast(text("bye"), closes::incrementAndGet);
        assertThat(remote.sent()).containsExactly("a");

        remote.completeNext();
        assertThat(remote.sent()).containsExactly("a", "bye");
        assertThat(closes).hasValue(0);
        remote.completeNext();
        assertThat(closes).hasValue(1);
    }

    @Test
    void offerLastSendsTheFramesQueuedBeforeIt() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger closes = new AtomicInteger();
        queue.offer(text("a"), false);
        queue.offer(text("b"), false);
        queue.offer(text("c"), false);

        queue.offerLast(text("bye"), closes::incrementAndGet);
        remote.completeAll();

        assertThat(remote.sent()).containsExactly("a", "b", "c", "bye");
        assertThat(closes).hasValue(1);
    }

    @Test
    void offerLastIgnoresTheBound() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 1, 1);
        AtomicInteger closes = new AtomicInteger();
        queue.offer(text("a"), false);
        queue.offer(text("b"), false);

        queue.offerLast(text("bye"), closes::incrementAndGet);
        remote.completeAll();

        assertThat(remote.sent()).endsWith("bye");
        assertThat(listener.overflowed).hasValue(0);
        assertThat(closes).hasValue(1);
    }

    @Test
    void framesOfferedAfterOfferLastAreRefused() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger closes = new AtomicInteger();

        queue.offerLast(text("bye"), closes::incrementAndGet);
        assertThat(queue.offer(text("late"), false)).isFalse();
        assertThat(queue.offer(text("late-volatile"), true)).isFalse();
        remote.completeAll();

        assertThat(remote.sent()).containsExactly("bye");
        assertThat(listener.overflowed).hasValue(0);
    }

    @Test
    void secondOfferLastRunsItsCallbackAtOnceAndSendsNothing() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();

        queue.offerLast(text("bye"), first::incrementAndGet);
        queue.offerLast(text("bye-again"), second::incrementAndGet);

        assertThat(second).hasValue(1);
        assertThat(first).hasValue(0);
        remote.completeAll();
        assertThat(remote.sent()).containsExactly("bye");
        assertThat(first).hasValue(1);
    }

    @Test
    void offerLastOnAClosedQueueRunsItsCallbackAtOnce() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger closes = new AtomicInteger();
        queue.close();

        queue.offerLast(text("bye"), closes::incrementAndGet);

        assertThat(closes).hasValue(1);
        assertThat(remote.sent()).isEmpty();
    }

    @Test
    void offerLastAfterOverflowRunsItsCallbackAtOnce() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 1, 1);
        AtomicInteger closes = new AtomicInteger();
        frames(3).forEach(f -> queue.offer(text(f), false));

        queue.offerLast(text("bye"), closes::incrementAndGet);

        assertThat(closes).hasValue(1);
        remote.completeAll();
        assertThat(remote.sent()).containsExactly("f0");
    }

    @Test
    void failedLastFrameStillRunsItsCallbackOnce() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger closes = new AtomicInteger();
        queue.offerLast(text("bye"), closes::incrementAndGet);

        remote.failNext(new java.io.IOException("gone"));

        assertThat(closes).hasValue(1);
        assertThat(listener.failures).hasSize(1);
    }

    // ---- hold and release ----

    @Test
    void heldQueueKeepsFramesUntilReleased() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);

        queue.hold();
        queue.offer(text("connected"), false);
        queue.offer(text("welcome"), false);
        assertThat(remote.sent()).isEmpty();
        assertThat(queue.size()).isEqualTo(2);

        queue.release();
        remote.completeAll();
        assertThat(remote.sent()).containsExactly("connected", "welcome");
    }

    @Test
    void holdDuringASendStopsTheNextOneUntilRelease() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        queue.offer(text("a"), false);

        queue.hold();
        queue.offer(text("b"), false);
        remote.completeNext();
        assertThat(remote.sent()).containsExactly("a");
        assertThat(remote.pendingCount()).isZero();

        queue.release();
        remote.completeAll();
        assertThat(remote.sent()).containsExactly("a", "b");
    }

    @Test
    void heldQueueIsNoSlowConsumerYetStillBoundsItsMemory() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 2, 1);
        queue.hold();
        int hardBound = 2 * OutboundQueue.HARD_BOUND_FACTOR;

        // Nothing is in flight: the frames wait for the server's hold, not for the client's socket.
        assertThat(frames(hardBound)).allSatisfy(f -> assertThat(queue.offer(text(f), false)).isTrue());
        assertThat(listener.overflowed).hasValue(0);
        assertThat(queue.offer(text("one too many"), false)).isFalse();

        assertThat(listener.overflowed).hasValue(1);
        queue.release();
        assertThat(remote.sent()).isEmpty();
    }

    @Test
    void releaseWithNothingQueuedSendsNothing() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 2, 1);

        queue.hold();
        queue.release();

        assertThat(remote.sent()).isEmpty();
        queue.offer(text("a"), false);
        assertThat(remote.sent()).containsExactly("a");
    }

    // ---- inline completion ----

    @Test
    void inlineCompletionOfOneHundredThousandFramesDoesNotRecurse() {
        FakeAsyncRemote remote = FakeAsyncRemote.inline();
        OutboundQueue queue = portable(remote, 200_000, 1);
        List<String> frames = frames(100_000);

        queue.hold();
        frames.forEach(f -> queue.offer(text(f), false));
        queue.release();

        assertThat(remote.sent()).isEqualTo(frames);
        assertThat(remote.maxNesting()).isEqualTo(1);
        assertThat(queue.size()).isZero();
    }

    @Test
    void sendsCompletingInlineAfterAnAsynchronousOneDoNotRecurse() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 200_000, 1);
        List<String> frames = frames(100_000);
        frames.forEach(f -> queue.offer(text(f), false));
        assertThat(remote.sent()).hasSize(1);

        remote.completeInline();
        remote.completeNext();

        assertThat(remote.sent()).isEqualTo(frames);
        assertThat(remote.maxNesting()).isEqualTo(1);
    }

    @Test
    void inlineCompletionOfEachOfferSendsAtOnce() {
        FakeAsyncRemote remote = FakeAsyncRemote.inline();
        OutboundQueue queue = portable(remote, 1, 1);

        frames(1000).forEach(f -> assertThat(queue.offer(text(f), false)).isTrue());

        assertThat(remote.sent()).isEqualTo(frames(1000));
        assertThat(listener.overflowed).hasValue(0);
    }

    @Test
    void offerLastCompletingInlineRunsItsCallbackOnce() {
        FakeAsyncRemote remote = FakeAsyncRemote.inline();
        OutboundQueue queue = portable(remote, 10, 1);
        AtomicInteger closes = new AtomicInteger();

        queue.offer(text("a"), false);
        queue.offerLast(text("bye"), closes::incrementAndGet);

        assertThat(remote.sent()).containsExactly("a", "bye");
        assertThat(closes).hasValue(1);
    }

    // ---- failures ----

    @Test
    void failedSendClosesTheQueueAndTellsTheListenerOnce() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        java.io.IOException cause = new java.io.IOException("reset");
        queue.offer(text("a"), false);
        queue.offer(text("b"), false);

        remote.failNext(cause);

        assertThat(listener.failures).containsExactly(cause);
        assertThat(queue.offer(text("c"), false)).isFalse();
        assertThat(remote.sent()).containsExactly("a");
        assertThat(remote.pendingCount()).isZero();
        assertThat(listener.overflowed).hasValue(0);
    }

    @Test
    void sendTextThrowingFailsTheQueue() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        IllegalStateException boom = new IllegalStateException("closed session");
        remote.throwOnSend(boom);

        queue.offer(text("a"), false);

        assertThat(listener.failures).containsExactly(boom);
        assertThat(queue.offer(text("b"), false)).isFalse();
    }

    @Test
    void closeDiscardsQueuedFramesAndRefusesNewOnes() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        frames(5).forEach(f -> queue.offer(text(f), false));

        queue.close();

        assertThat(queue.size()).isZero();
        assertThat(queue.offer(text("late"), false)).isFalse();
        remote.completeAll();
        assertThat(remote.sent()).containsExactly("f0");
        assertThat(listener.overflowed).hasValue(0);
        assertThat(listener.failures).isEmpty();
    }

    // ---- concurrency ----

    @Test
    void concurrentOffersKeepEachThreadsOrderWithOneSendInFlight() throws Exception {
        FakeAsyncRemote remote = FakeAsyncRemote.inline();
        int threads = 4;
        int perThread = 5_000;
        OutboundQueue queue = portable(remote, threads * perThread, 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    queue.offer(text(id + ":" + i), false);
                }
            }, "offer-" + t);
            worker.start();
            workers.add(worker);
        }

        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(worker.isAlive()).as(worker.getName() + " finished").isFalse();
        }

        List<String> sent = remote.sent();
        assertThat(sent).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(remote.maxInFlight()).isEqualTo(1);
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            List<String> ofThread = sent.stream().filter(s -> s.startsWith(prefix)).toList();
            assertThat(ofThread).isEqualTo(IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
        }
        assertThat(listener.overflowed).hasValue(0);
    }

    // ---- send window (portable transport): writes in flight up to a number of characters ----

    /** A portable queue whose window holds {@code frames} frames of two characters ("f0" to "f9"). */
    private OutboundQueue windowed(FakeAsyncRemote remote, int bound, int frames) {
        return portable(remote, bound, 2 * frames - 1);
    }

    @Test
    void aWindowHandsThatManyFramesToTheContainerAtOnceInOrder() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = windowed(remote, 100, 4);

        frames(10).forEach(f -> queue.offer(text(f), false));

        assertThat(remote.sent()).isEqualTo(frames(4));
        assertThat(queue.size()).isEqualTo(6);
        remote.completeNext();
        assertThat(remote.sent()).isEqualTo(frames(5));
        remote.completeAll();
        assertThat(remote.sent()).isEqualTo(frames(10));
        assertThat(remote.maxInFlight()).isEqualTo(4);
        assertThat(queue.size()).isZero();
    }

    @Test
    void theBoundCountsWaitingFramesBeyondTheWindow() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = windowed(remote, 3, 4);

        frames(7).forEach(f -> assertThat(queue.offer(text(f), false)).isTrue()); // 4 in flight, 3 waiting
        assertThat(listener.overflowed).hasValue(0);

        assertThat(queue.offer(text("over"), false)).isFalse();
        assertThat(listener.overflowed).hasValue(1);
        remote.completeAll();
        assertThat(remote.sent()).isEqualTo(frames(4)); // the waiting frames were discarded
    }

    @Test
    void aContainerRefusingOverlappingSendsGetsOneAtATimeWithoutLosingAFrame() {
        FakeAsyncRemote remote = FakeAsyncRemote.refusingOverlap();
        OutboundQueue queue = windowed(remote, 100, 8);

        frames(20).forEach(f -> queue.offer(text(f), false));
        assertThat(remote.pendingCount()).isEqualTo(1);
        remote.completeAll();

        assertThat(remote.sent()).isEqualTo(frames(20));
        assertThat(remote.maxInFlight()).isEqualTo(1);
        assertThat(listener.failures).isEmpty();
        assertThat(queue.size()).isZero();
    }

    @Test
    void aContainerFailingOverlappingSendsThroughTheHandlerGetsOneAtATimeWithoutLosingAFrame() {
        FakeAsyncRemote remote = FakeAsyncRemote.refusingOverlapThroughHandler();
        OutboundQueue queue = windowed(remote, 100, 8);

        frames(20).forEach(f -> queue.offer(text(f), false));
        assertThat(remote.pendingCount()).isEqualTo(1);
        remote.completeAll();

        assertThat(remote.sent()).isEqualTo(frames(20));
        assertThat(listener.failures).isEmpty();
        assertThat(queue.size()).isZero();
    }

    @Test
    void aSendFailingLaterThroughTheHandlerStillFailsAWindowedQueue() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = windowed(remote, 100, 8);
        frames(3).forEach(f -> queue.offer(text(f), false));

        remote.failNext(new java.io.IOException("broken pipe"));

        assertThat(listener.failures).hasSize(1);
        assertThat(queue.offer(text("next"), false)).isFalse();
    }

    @Test
    void aRefusedSendWithNothingElseInFlightFailsTheQueue() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = windowed(remote, 100, 8);
        remote.throwOnSend(new IllegalStateException("session closed"));

        queue.offer(text("a"), false);

        assertThat(listener.failures).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(queue.offer(text("b"), false)).isFalse();
    }

    @Test
    void offerLastRunsItsCallbackOnlyAfterEveryEarlierWriteInTheWindow() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = windowed(remote, 100, 8);
        AtomicInteger after = new AtomicInteger();

        frames(3).forEach(f -> queue.offer(text(f), false));
        queue.offerLast(text("bye"), after::incrementAndGet);
        assertThat(remote.sent()).containsExactly("f0", "f1", "f2", "bye");

        remote.completeNext();
        remote.completeNext();
        remote.completeNext();
        assertThat(after).hasValue(0);
        remote.completeNext();
        assertThat(after).hasValue(1);
    }

    @Test
    void whenWrittenWaitsForTheWritesInFlight() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = windowed(remote, 2, 2);
        AtomicInteger written = new AtomicInteger();
        frames(4).forEach(f -> queue.offer(text(f), false)); // 2 in flight, 2 waiting
        queue.offer(text("over"), false);                    // overflow: the waiting ones are discarded

        queue.whenWritten(written::incrementAndGet);
        assertThat(written).hasValue(0);
        remote.completeNext();
        assertThat(written).hasValue(0);
        remote.completeNext();

        assertThat(written).hasValue(1);
        assertThat(remote.sent()).containsExactly("f0", "f1");
    }

    @Test
    void whenWrittenRunsAtOnceWithNothingInFlight() {
        OutboundQueue queue = windowed(FakeAsyncRemote.inline(), 10, 4);
        AtomicInteger written = new AtomicInteger();
        queue.offer(text("a"), false);

        queue.whenWritten(written::incrementAndGet);

        assertThat(written).hasValue(1);
    }

    @Test
    void oneWriteLargerThanTheWindowStillGoesAlone() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 4);
        String big = "x".repeat(100);

        queue.offer(text(big), false);
        queue.offer(text("f0"), false);

        assertThat(remote.sent()).containsExactly(big);
        remote.completeNext();
        assertThat(remote.sent()).containsExactly(big, "f0");
    }

    @Test
    void concurrentOffersThroughAWindowKeepEachThreadsOrder() throws Exception {
        FakeAsyncRemote remote = FakeAsyncRemote.inline();
        OutboundQueue queue = windowed(remote, 100_000, 16);
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + ":";
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    queue.offer(text(prefix + i), false);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }

        List<String> sent = remote.sent();
        assertThat(sent).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + ":";
            List<Integer> order = sent.stream().filter(f -> f.startsWith(prefix))
                    .map(f -> Integer.parseInt(f.substring(prefix.length()))).toList();
            assertThat(order).isSorted().hasSize(perThread);
        }
    }

    // ---- raw transport ----

    /** A raw writer whose writes wait for {@link #completeNext()}. */
    static final class ManualRawWriter implements RawWriter {
        final List<java.nio.ByteBuffer> writes = new ArrayList<>();
        final java.util.ArrayDeque<java.util.function.Consumer<Throwable>> pending = new java.util.ArrayDeque<>();
        int maxInFlight;

        @Override
        public void write(java.nio.ByteBuffer frames, java.util.function.Consumer<Throwable> done) {
            writes.add(frames);
            pending.add(done);
            maxInFlight = Math.max(maxInFlight, pending.size());
        }

        void completeNext() {
            pending.poll().accept(null);
        }

        void completeAll() {
            while (!pending.isEmpty()) {
                completeNext();
            }
        }
    }

    @Test
    void aRawQueueHasOneWriteInFlightAndSendsWhatQueuedMeanwhileInOneWrite() {
        ManualRawWriter raw = new ManualRawWriter();
        OutboundQueue queue = rawQueue(raw, 100, 512 * 1024);

        frames(5).forEach(f -> queue.offer(text(f), false));
        assertThat(raw.writes).hasSize(1);
        raw.completeAll();

        assertThat(raw.maxInFlight).isEqualTo(1);
        assertThat(raw.writes).hasSize(2);
        assertThat(raw.writes.get(1).remaining()).isEqualTo(4 * OutboundFrame.encode("f1").length);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aRawQueueRunsWhenWrittenOnceItsWriteInFlightCompletes() {
        ManualRawWriter raw = new ManualRawWriter();
        OutboundQueue queue = rawQueue(raw, 1, 1); // one at a time
        AtomicInteger written = new AtomicInteger();
        frames(3).forEach(f -> queue.offer(text(f), false)); // f0 written, f1 waiting, f2 overflows

        queue.whenWritten(written::incrementAndGet);
        assertThat(written).hasValue(0);
        raw.completeNext();

        assertThat(written).hasValue(1);
        assertThat(raw.writes).hasSize(1);
        assertThat(listener.overflowed).hasValue(1);
    }

    /**
     * The writer is still inside its write (a thread descheduled on a busy machine) while the window has room:
     * the frames that pile up meanwhile wait for the server, not for the client, and are no overflow.
     */
    @Test
    void framesPastTheBoundWhileTheWriterIsBusyAndTheWindowHasRoomAreNoOverflow() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        List<java.nio.ByteBuffer> writes = new CopyOnWriteArrayList<>();
        RawWriter busy = (frames, done) -> {
            writes.add(frames);
            if (writes.size() == 1) {
                entered.countDown();
                try {
                    resume.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            done.accept(null);
        };
        OutboundQueue queue = rawQueue(busy, 4, 512 * 1024);
        Thread writer = new Thread(() -> queue.offer(text("f0"), false), "descheduled-writer");
        writer.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        List<String> more = frames(20).subList(1, 20); // nearly five times the bound
        assertThat(more).allSatisfy(f -> assertThat(queue.offer(text(f), false)).isTrue());
        resume.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(listener.overflowed).hasValue(0);
        assertThat(writes.stream().mapToInt(java.nio.ByteBuffer::remaining).sum())
                .isEqualTo(frames(20).stream().mapToInt(f -> OutboundFrame.encode(f).length).sum());
        assertThat(queue.size()).isZero();
    }

    @Test
    void framesPastTheBoundOverflowOnceTheWindowIsFull() {
        ManualRawWriter raw = new ManualRawWriter();
        int frameBytes = OutboundFrame.encode("f0").length;
        OutboundQueue queue = rawQueue(raw, 2, frameBytes); // one frame fills the window

        frames(3).forEach(f -> queue.offer(text(f), false)); // f0 in flight and the window full, f1 and f2 waiting
        assertThat(listener.overflowed).hasValue(0);
        assertThat(queue.offer(text("f3"), false)).isFalse();

        assertThat(listener.overflowed).hasValue(1);
    }

    @Test
    void aRawQueueStartsAnotherWriteBesideTheOneInFlightOnceHalfItsBoundWaits() {
        ManualRawWriter raw = new ManualRawWriter();
        OutboundQueue queue = rawQueue(raw, 8, 512 * 1024);

        frames(4).forEach(f -> queue.offer(text(f), false)); // f0 in flight, three waiting: below half the bound
        assertThat(raw.writes).hasSize(1);
        queue.offer(text("f4"), false); // four waiting: they leave together, beside f0

        assertThat(raw.writes).hasSize(2);
        assertThat(raw.writes.get(1).remaining()).isEqualTo(4 * OutboundFrame.encode("f1").length);
        assertThat(queue.size()).isZero();
        raw.completeAll();
        assertThat(raw.maxInFlight).isEqualTo(2);
    }

    @Test
    void aRawReaderWhoseCompletionsComeLateIsNeverOverflowedWhileTheWindowHasRoom() {
        ManualRawWriter raw = new ManualRawWriter();
        OutboundQueue queue = rawQueue(raw, 4, 512 * 1024);

        frames(1000).forEach(f -> assertThat(queue.offer(text(f), false)).isTrue()); // no write completes meanwhile

        assertThat(listener.overflowed).hasValue(0);
        raw.completeAll();
        int written = raw.writes.stream().mapToInt(java.nio.ByteBuffer::remaining).sum();
        assertThat(written).isEqualTo(frames(1000).stream().mapToInt(f -> OutboundFrame.encode(f).length).sum());
    }

    @Test
    void aRawQueueOverflowsOnceTheWindowIsFullAndTheBoundIsExceeded() {
        ManualRawWriter raw = new ManualRawWriter();
        int frameBytes = OutboundFrame.encode("f0").length;
        // a window of three frames' bytes: f0 alone, then f1+f2 together (half of the bound of 4... 2 waiting)
        OutboundQueue queue = rawQueue(raw, 4, 3 * frameBytes);

        frames(7).forEach(f -> assertThat(queue.offer(text(f), false)).isTrue()); // 3 frames in flight, 4 waiting
        assertThat(listener.overflowed).hasValue(0);
        assertThat(queue.size()).isEqualTo(4);

        assertThat(queue.offer(text("over"), false)).isFalse();
        assertThat(listener.overflowed).hasValue(1);
        raw.completeAll();
        assertThat(raw.writes.stream().mapToInt(java.nio.ByteBuffer::remaining).sum()).isEqualTo(3 * frameBytes);
    }

    @Test
    void aRawLastFrameRunsItsCallbackOnlyOnceEveryWriteBeforeItCompleted() {
        ManualRawWriter raw = new ManualRawWriter();
        OutboundQueue queue = rawQueue(raw, 4, 512 * 1024);
        AtomicInteger afterLast = new AtomicInteger();
        frames(3).forEach(f -> queue.offer(text(f), false)); // f0, then f1+f2 beside it once two wait
        queue.offerLast(text("bye"), afterLast::incrementAndGet); // waits: one frame is below half the bound
        assertThat(raw.writes).hasSize(2);

        raw.completeNext();
        raw.completeNext();
        assertThat(raw.writes).hasSize(3);
        assertThat(afterLast).hasValue(0);
        raw.completeNext();
        assertThat(afterLast).hasValue(1);
    }

    // ---- pings ----

    @Test
    void aPingLeavesAfterTheFramesQueuedBeforeItOnThePortableTransport() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 10, 1);
        queue.offer(text("f0"), false);
        queue.offer(text("f1"), false);
        queue.offerPing();
        queue.offer(text("f2"), false);

        remote.completeAll();

        assertThat(remote.sent()).containsExactly("f0", "f1", FakeAsyncRemote.PING, "f2");
    }

    @Test
    void aPingTravelsInTheRawBatchAsAnEmptyPingFrame() {
        ManualRawWriter raw = new ManualRawWriter();
        OutboundQueue queue = rawQueue(raw, 10, 1);
        queue.offer(text("f0"), false);
        queue.offerPing();
        queue.offer(text("f1"), false);
        raw.completeAll();

        java.nio.ByteBuffer batch = raw.writes.get(1); // f0 went alone; the ping and f1 queued behind it
        byte[] actual = new byte[batch.remaining()];
        batch.duplicate().get(actual);
        byte[] f1 = OutboundFrame.encode("f1");
        byte[] expected = new byte[2 + f1.length];
        expected[0] = (byte) 0x89; // FIN, ping, no payload
        System.arraycopy(f1, 0, expected, 2, f1.length);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void aPingForAFullQueueIsDroppedWithoutOverflow() {
        FakeAsyncRemote remote = FakeAsyncRemote.manual();
        OutboundQueue queue = portable(remote, 2, 1);
        frames(3).forEach(f -> queue.offer(text(f), false)); // one in flight, two waiting: full

        assertThat(queue.offerPing()).isFalse();
        assertThat(listener.overflowed).hasValue(0);
        remote.completeAll();
        assertThat(remote.sent()).isEqualTo(frames(3));
    }
}
