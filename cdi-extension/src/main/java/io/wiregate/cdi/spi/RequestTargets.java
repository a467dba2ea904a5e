package io.wiregate.cdi.spi;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Which request targets the standalone runtimes' HTTP side accepts. Clients normalize paths before sending them,
 * so a target that would need it is refused with 400 rather than interpreted: a dot segment ({@code .} or
 * {@code ..}, written plainly or percent-encoded), an encoded slash or backslash, a control character, a
 * malformed escape or escaped bytes that are not UTF-8, or a character that RFC 3986 does not allow in a path
 * (which {@code java.net.URI} would refuse too).
 */
public final class RequestTargets {
    // Internal SPI of Wiregate's runtimes, not an application API.

    private RequestTargets() {
    }

    /**
     * Whether {@code rawPath}, the path of a request target as received (not decoded, without its query), may be
     * served.
     */
    public static boolean wellFormed(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (!allowedInPath(c)) {
                return false;
            }
        }
        for (String segment : rawPath.substring(1).split("/", -1)) {
            String decoded = decode(segment);
            if (decoded == null || decoded.equals(".") || decoded.equals("..")) {
                return false;
            }
            for (int i = 0; i < decoded.length(); i++) {
                char c = decoded.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The path {@code rawPath} names, its escapes decoded segment by segment ({@code +} stays a plus: it is not a
     * form); only for a path {@link #wellFormed} accepted.
     *
     * @throws IllegalArgumentException if {@code rawPath} is not well-formed
     */
    public static String decodedPath(String rawPath) {
        if (!wellFormed(rawPath)) {
            throw new IllegalArgumentException("not a well-formed request path");
        }
        StringBuilder path = new StringBuilder(rawPath.length());
        for (String segment : rawPath.substring(1).split("/", -1)) {
            path.append('/').append(decode(segment));
        }
        return path.toString();
    }

    /** RFC 3986 {@code pchar} (unreserved, sub-delims, ':', '@'), '%' of an escape, or '/'. */
    private static boolean allowedInPath(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=:@%/".indexOf(c) >= 0;
    }

    /** The segment with its percent-escapes decoded as UTF-8, or null if an escape or the UTF-8 is malformed. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteBuffer bytes = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.put((byte) c);
                continue;
            }
            if (i + 2 >= segment.length()) {
                return null;
            }
            int high = Character.digit(segment.charAt(i + 1), 16);
            int low = Character.digit(segment.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.put((byte) (high << 4 | low));
            i += 2;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(bytes.flip());
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
