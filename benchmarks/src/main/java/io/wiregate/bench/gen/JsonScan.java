package io.wiregate.bench.gen;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the few values the load generator needs straight out of a received frame's bytes, without decoding
 * it to a String: the envelope's {@code event}, and integer properties such as {@code "seq":123}. Keys are
 * found by their quoted name; the benchmark's frames use keys that appear nowhere else in them.
 */
public final class JsonScan {

    private static final byte[] EVENT = quoted("event");

    private JsonScan() {
    }

    /** {@code "name"} as ASCII bytes. */
    public static byte[] quoted(String name) {
        return ("\"" + name + "\"").getBytes(StandardCharsets.US_ASCII);
    }

    /** The first index in {@code [from, to)} where {@code pattern} starts, or -1. */
    public static int indexOf(ByteBuffer b, int from, int to, byte[] pattern) {
        byte first = pattern[0];
        int last = to - pattern.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (b.get(i) != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (b.get(i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Where the value of the property {@code quotedKey} starts (after the colon and any blanks), searching
     * {@code [from, to)}, or -1.
     */
    public static int valueAt(ByteBuffer b, int from, int to, byte[] quotedKey) {
        int i = indexOf(b, from, to, quotedKey);
        if (i < 0) {
            return -1;
        }
        i += quotedKey.length;
        i = skipBlanks(b, i, to);
        if (i >= to || b.get(i) != ':') {
            return -1;
        }
        i = skipBlanks(b, i + 1, to);
        return i < to ? i : -1;
    }

    /** Whether the frame's {@code event} is the string {@code quotedName} (quotes included). */
    public static boolean eventIs(ByteBuffer b, int from, int to, byte[] quotedName) {
        int v = valueAt(b, from, to, EVENT);
        if (v < 0 || to - v < quotedName.length) {
            return false;
        }
        for (int j = 0; j < quotedName.length; j++) {
            if (b.get(v + j) != quotedName[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The integer value of {@code quotedKey}, searched from {@code from} first and then from {@code start}
     * (so that callers reading keys in their usual order scan each byte once), or {@code missing}.
     * A value given as a string of digits is read too.
     *
     * @param end receives, in {@code end[0]}, the index just after the value (unchanged if missing)
     */
    public static long longValue(ByteBuffer b, int start, int from, int to, byte[] quotedKey, long missing, int[] end) {
        int v = valueAt(b, from, to, quotedKey);
        if (v < 0 && from > start) {
            v = valueAt(b, start, to, quotedKey);
        }
        if (v < 0) {
            return missing;
        }
        if (b.get(v) == '"') {
            v++;
        }
        boolean negative = false;
        if (v < to && b.get(v) == '-') {
            negative = true;
            v++;
        }
        long value = 0;
        int digits = 0;
        while (v < to) {
            int c = b.get(v) - '0';
            if (c < 0 || c > 9) {
                break;
            }
            value = value * 10 + c;
            v++;
            digits++;
        }
        if (digits == 0) {
            return missing;
        }
        if (end != null) {
            end[0] = v;
        }
        return negative ? -value : value;
    }

    private static int skipBlanks(ByteBuffer b, int i, int to) {
        while (i < to) {
            byte c = b.get(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }
}
