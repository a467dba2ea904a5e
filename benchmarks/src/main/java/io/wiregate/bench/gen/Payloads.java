package io.wiregate.bench.gen;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark's client frames, written as ASCII into a reusable byte array (no String, no allocation):
 * <ul>
 * <li>{@code {"event":"fanout","data":{"run":R,"seq":S,"ts":T,"pad":"..."}}}</li>
 * <li>{@code {"event":"echo","data":{"ts":T,"pad":"..."},"id":K}}</li>
 * <li>{@code {"event":"heartbeat"}}</li>
 * </ul>
 * {@code ts} is the sender's {@link System#nanoTime()} (generator and receivers share the clock); {@code pad}
 * brings the frame to the configured size.
 */
public final class Payloads {

    public static final byte[] FANOUT = JsonScan.quoted("fanout");
    public static final byte[] ECHO = JsonScan.quoted("echo");
    public static final byte[] RUN = JsonScan.quoted("run");
    public static final byte[] SEQ = JsonScan.quoted("seq");
    public static final byte[] TS = JsonScan.quoted("ts");
    public static final byte[] ID = JsonScan.quoted("id");
    public static final byte[] HEARTBEAT = ascii("{\"event\":\"heartbeat\"}");

    private static final byte[] FANOUT_0 = ascii("{\"event\":\"fanout\",\"data\":{\"run\":");
    private static final byte[] FANOUT_1 = ascii(",\"seq\":");
    private static final byte[] ECHO_0 = ascii("{\"event\":\"echo\",\"data\":{");
    private static final byte[] TS_0 = ascii("\"ts\":");
    private static final byte[] TS_1 = ascii(",\"ts\":");
    private static final byte[] PAD_0 = ascii(",\"pad\":\"");
    private static final byte[] FANOUT_END = ascii("\"}}");
    private static final byte[] ECHO_END = ascii("\"},\"id\":");
    private static final byte[] ECHO_CLOSE = ascii("}");

    private Payloads() {
    }

    /** Padding that brings a frame whose other parts take {@code otherBytes} to {@code targetBytes}. */
    public static byte[] pad(int targetBytes, int otherBytes) {
        byte[] pad = new byte[Math.max(0, targetBytes - otherBytes)];
        Arrays.fill(pad, (byte) 'x');
        return pad;
    }

    /** Padding for fanout frames of about {@code targetBytes} (typical 13-digit timestamps). */
    public static byte[] fanoutPad(int targetBytes) {
        return pad(targetBytes, fanout(new byte[256], 1, 1_000_000, 1_000_000_000_000_000L, new byte[0]));
    }

    /** Padding for echo frames of about {@code targetBytes}. */
    public static byte[] echoPad(int targetBytes) {
        return pad(targetBytes, echo(new byte[256], 1_000_000_000_000_000L, new byte[0], 1_000_000));
    }

    /** Writes a fanout frame's text into {@code dst}; returns its length. */
    public static int fanout(byte[] dst, int run, long seq, long ts, byte[] pad) {
        int n = put(dst, 0, FANOUT_0);
        n = putLong(dst, n, run);
        n = put(dst, n, FANOUT_1);
        n = putLong(dst, n, seq);
        n = put(dst, n, TS_1);
        n = putLong(dst, n, ts);
        n = put(dst, n, PAD_0);
        n = put(dst, n, pad);
        return put(dst, n, FANOUT_END);
    }

    /** Writes an echo frame's text into {@code dst}; returns its length. */
    public static int echo(byte[] dst, long ts, byte[] pad, long id) {
        int n = put(dst, 0, ECHO_0);
        n = put(dst, n, TS_0);
        n = putLong(dst, n, ts);
        n = put(dst, n, PAD_0);
        n = put(dst, n, pad);
        n = put(dst, n, ECHO_END);
        n = putLong(dst, n, id);
        return put(dst, n, ECHO_CLOSE);
    }

    static int put(byte[] dst, int at, byte[] src) {
        System.arraycopy(src, 0, dst, at, src.length);
        return at + src.length;
    }

    static int putLong(byte[] dst, int at, long v) {
        if (v == 0) {
            dst[at] = '0';
            return at + 1;
        }
        if (v < 0) {
            dst[at++] = '-';
            v = -v;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return end;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
