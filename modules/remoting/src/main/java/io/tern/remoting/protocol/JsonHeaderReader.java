package io.tern.remoting.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a JSON header (spec 1.4) straight from its UTF-8 bytes, without a general JSON parser: every request
 * and response passes through here, and a Jackson parser set up per header (parser, context, reference, name
 * canonicalisation) was a third of the event loop's time under load.
 *
 * <p>As lenient as the Jackson reading it replaces: keys in any order, unknown keys (with any value) skipped,
 * numbers accepted as strings and strings as numbers, ext values of any scalar kind kept as their text, raw
 * control characters inside strings accepted. Anything that is not a JSON object ends in
 * {@link FrameTooLargeException}, which closes the connection.
 *
 * <p>Not thread-safe: one instance per header. The ext key cache is shared and racy by design: a slot holds an
 * immutable String or null, and a miss only costs a new String.
 */
final class JsonHeaderReader {
    /** Ext keys repeat on every request ("a".."n", "topic", "queueId", …): reuse their Strings and hash codes. */
    private static final int KEY_CACHE_SLOTS = 512;
    private static final String[] KEY_CACHE = new String[KEY_CACHE_SLOTS];

    private final byte[] in;
    private final int end;
    private int pos;
    private char[] chars;
    private byte[] latin1;

    private JsonHeaderReader(byte[] in, int offset, int length) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
    }

    static RemotingCommand decode(byte[] bytes, int offset, int length) {
        return new JsonHeaderReader(bytes, offset, length).readCommand();
    }

    private RemotingCommand readCommand() {
        RemotingCommand cmd = new RemotingCommand();
        cmd.serializeType(SerializeType.JSON);
        boolean sawOpaque = false;
        skipWhitespace();
        if (next() != '{') {
            throw malformed("JSON header is not an object");
        }
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipWhitespace();
                if (next() != '"') {
                    throw malformed("expected a field name");
                }
                int nameStart = pos;
                int nameEnd = skipStringBody();
                expectColon();
                switch (fieldName(nameStart, nameEnd)) {
                    case "code" -> cmd.code(readIntLenient());
                    case "flag" -> cmd.flag(readIntLenient());
                    case "opaque" -> {
                        cmd.opaque(readIntLenient());
                        sawOpaque = true;
                    }
                    case "version" -> cmd.version(readIntLenient());
                    case "language" -> {
                        if (peek() == '"') {
                            pos++;
                            cmd.language(readStringBody());
                        } else {
                            skipValue();
                            cmd.language(LanguageCode.OTHER);
                        }
                    }
                    case "remark" -> cmd.remark(readScalarText());
                    case "extFields" -> cmd.extFields(readExt());
                    default -> skipValue();
                }
                skipWhitespace();
                byte b = next();
                if (b == '}') {
                    break;
                }
                if (b != ',') {
                    throw malformed("expected ',' or '}'");
                }
            }
        }
        if (!sawOpaque) {
            throw malformed("JSON header without opaque");
        }
        return cmd;
    }

    /** The top-level names we act on; anything else is skipped, so a rare escaped name may just fall through. */
    private String fieldName(int start, int endExclusive) {
        int len = endExclusive - start;
        return switch (len) {
            case 4 -> matches(start, "code") ? "code" : matches(start, "flag") ? "flag" : "";
            case 6 -> matches(start, "opaque") ? "opaque" : matches(start, "remark") ? "remark" : "";
            case 7 -> matches(start, "version") ? "version" : "";
            case 8 -> matches(start, "language") ? "language" : "";
            case 9 -> matches(start, "extFields") ? "extFields" : "";
            default -> "";
        };
    }

    private boolean matches(int start, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (in[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private Map<String, String> readExt() {
        byte b = peek();
        if (b != '{') {
            skipValue();
            return null;
        }
        pos++;
        Map<String, String> ext = new HashMap<>(32);
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return ext;
        }
        while (true) {
            skipWhitespace();
            if (next() != '"') {
                throw malformed("expected an ext field name");
            }
            String key = readKey();
            expectColon();
            byte v = peek();
            if (v == '{' || v == '[') {
                skipValue();
            } else {
                String value = readScalarText();
                if (value != null) {
                    ext.put(key, value);
                }
            }
            skipWhitespace();
            byte sep = next();
            if (sep == '}') {
                return ext;
            }
            if (sep != ',') {
                throw malformed("expected ',' or '}' in extFields");
            }
        }
    }

    /** A key after its opening quote, from the shared cache when it is plain ASCII. */
    private String readKey() {
        int start = pos;
        int hash = 0;
        while (pos < end) {
            byte b = in[pos];
            if (b == '"') {
                int len = pos - start;
                pos++;
                int slot = (hash ^ (hash >>> 9)) & (KEY_CACHE_SLOTS - 1);
                String cached = KEY_CACHE[slot];
                if (cached != null && cached.length() == len && matches(start, cached)) {
                    return cached;
                }
                String key = new String(in, start, len, StandardCharsets.ISO_8859_1);
                KEY_CACHE[slot] = key;
                return key;
            }
            if (b == '\\' || b < 0) {
                pos = start;
                return readStringBody();
            }
            hash = 31 * hash + b;
            pos++;
        }
        throw malformed("unterminated string");
    }

    /**
     * The text of a scalar value (string contents, number or literal as written); null for JSON null.
     * Objects and arrays are skipped and read as null.
     */
    private String readScalarText() {
        byte b = peek();
        switch (b) {
            case '"' -> {
                pos++;
                return readStringBody();
            }
            case '{', '[' -> {
                skipValue();
                return null;
            }
            case 'n' -> {
                expectLiteral("null");
                return null;
            }
            case 't' -> {
                expectLiteral("true");
                return "true";
            }
            case 'f' -> {
                expectLiteral("false");
                return "false";
            }
            default -> {
                int start = pos;
                skipNumber();
                return new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Jackson's getValueAsInt: numbers (floats truncated), numeric strings, true = 1; anything else 0. */
    private int readIntLenient() {
        byte b = peek();
        if (b == '-' || (b >= '0' && b <= '9')) {
            int start = pos;
            long value = 0;
            boolean negative = b == '-';
            if (negative) {
                pos++;
            }
            int digitsStart = pos;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9' && pos - digitsStart < 18) {
                value = value * 10 + (in[pos] - '0');
                pos++;
            }
            if (pos < end && isNumberChar(in[pos])) {
                skipNumber();
                return parseIntText(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
            }
            if (pos == digitsStart) {
                throw malformed("bad number");
            }
            return (int) (negative ? -value : value);
        }
        String text = readScalarText();
        if (text == null) {
            return 0;
        }
        if (b == 't') {
            return 1;
        }
        return parseIntText(text);
    }

    private static int parseIntText(String text) {
        String t = text.trim();
        try {
            return (int) Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return (int) Double.parseDouble(t);
            } catch (NumberFormatException e2) {
                return 0;
            }
        }
    }

    /** A string after its opening quote, escapes and UTF-8 decoded; leaves pos after the closing quote. */
    private String readStringBody() {
        final byte[] b = in;
        final int start = pos;
        final int limit = end;
        for (int p = start; p < limit; p++) {
            byte c = b[p];
            if (c == '"') {
                pos = p + 1;
                return new String(b, start, p - start, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\' || c < 0) {
                String latin1 = readLatin1Escaped(start, p);
                return latin1 != null ? latin1 : readStringSlow(start);
            }
        }
        throw malformed("unterminated string");
    }

    private String readStringSlow(int start) {
        int closing = findClosingQuote(start);
        int maxChars = closing - start;
        if (chars == null || chars.length < maxChars) {
            chars = new char[Math.max(maxChars, 64)];
        }
        char[] out = chars;
        int n = 0;
        int p = start;
        while (p < closing) {
            int b = in[p++];
            if (b == '\\') {
                byte e = in[p++];
                switch (e) {
                    case '"' -> out[n++] = '"';
                    case '\\' -> out[n++] = '\\';
                    case '/' -> out[n++] = '/';
                    case 'b' -> out[n++] = '\b';
                    case 'f' -> out[n++] = '\f';
                    case 'n' -> out[n++] = '\n';
                    case 'r' -> out[n++] = '\r';
                    case 't' -> out[n++] = '\t';
                    case 'u' -> {
                        if (closing - p < 4) {
                            throw malformed("bad \\u escape");
                        }
                        out[n++] = (char) ((hex(in[p]) << 12) | (hex(in[p + 1]) << 8) | (hex(in[p + 2]) << 4)
                                | hex(in[p + 3]));
                        p += 4;
                    }
                    default -> throw malformed("bad escape");
                }
            } else if (b >= 0) {
                out[n++] = (char) b;
            } else if ((b & 0xE0) == 0xC0 && p < closing) {
                out[n++] = (char) (((b & 0x1F) << 6) | continuation(in[p++]));
            } else if ((b & 0xF0) == 0xE0 && p + 1 < closing) {
                out[n++] = (char) (((b & 0x0F) << 12) | (continuation(in[p]) << 6) | continuation(in[p + 1]));
                p += 2;
            } else if ((b & 0xF8) == 0xF0 && p + 2 < closing) {
                int cp = ((b & 0x07) << 18) | (continuation(in[p]) << 12) | (continuation(in[p + 1]) << 6)
                        | continuation(in[p + 2]);
                p += 3;
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
            } else {
                throw malformed("invalid UTF-8");
            }
        }
        pos = closing + 1;
        return new String(out, 0, n);
    }

    /**
     * The common slow case, ASCII with escapes below U+0100 (the message properties, separated by \u0001 and
     * \u0002): the plain prefix up to {@code special} copied, the rest decoded into bytes up to the closing
     * quote, so the String is built by one more copy; null (pos untouched) when another character appears.
     */
    private String readLatin1Escaped(int start, int special) {
        final byte[] b = in;
        final int limit = end;
        if (latin1 == null || latin1.length < limit - start) {
            latin1 = new byte[Math.max(limit - start, 256)];
        }
        byte[] out = latin1;
        int n = special - start;
        System.arraycopy(b, start, out, 0, n);
        int p = special;
        while (p < limit) {
            byte c = b[p++];
            if (c == '"') {
                pos = p;
                return new String(out, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (c >= 0 && c != '\\') {
                out[n++] = c;
                continue;
            }
            if (c < 0 || p >= limit) {
                return null;
            }
            byte e = b[p++];
            switch (e) {
                case 'u' -> {
                    if (limit - p < 4 || b[p] != '0' || b[p + 1] != '0') {
                        return null;
                    }
                    out[n++] = (byte) ((hex(b[p + 2]) << 4) | hex(b[p + 3]));
                    p += 4;
                }
                case '"' -> out[n++] = '"';
                case '\\' -> out[n++] = '\\';
                case '/' -> out[n++] = '/';
                case 'b' -> out[n++] = '\b';
                case 'f' -> out[n++] = '\f';
                case 'n' -> out[n++] = '\n';
                case 'r' -> out[n++] = '\r';
                case 't' -> out[n++] = '\t';
                default -> throw malformed("bad escape");
            }
        }
        throw malformed("unterminated string");
    }

    /** Position of the quote closing the string that starts at {@code start} (escapes skipped). */
    private int findClosingQuote(int start) {
        int p = start;
        while (p < end) {
            byte b = in[p];
            if (b == '"') {
                return p;
            }
            p += b == '\\' ? 2 : 1;
        }
        throw malformed("unterminated string");
    }

    private int continuation(byte b) {
        if ((b & 0xC0) != 0x80) {
            throw malformed("invalid UTF-8");
        }
        return b & 0x3F;
    }

    private int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        throw malformed("bad \\u escape");
    }

    /** Skips a string body after its opening quote; returns the position of its closing quote. */
    private int skipStringBody() {
        int closing = findClosingQuote(pos);
        pos = closing + 1;
        return closing;
    }

    private void skipValue() {
        byte b = peek();
        switch (b) {
            case '"' -> {
                pos++;
                skipStringBody();
            }
            case '{', '[' -> {
                int depth = 0;
                while (pos < end) {
                    byte c = in[pos++];
                    if (c == '"') {
                        skipStringBody();
                    } else if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        if (--depth == 0) {
                            return;
                        }
                    }
                }
                throw malformed("unterminated object or array");
            }
            case 'n' -> expectLiteral("null");
            case 't' -> expectLiteral("true");
            case 'f' -> expectLiteral("false");
            default -> skipNumber();
        }
    }

    private void skipNumber() {
        int start = pos;
        while (pos < end && isNumberChar(in[pos])) {
            pos++;
        }
        if (pos == start) {
            throw malformed("unexpected character");
        }
    }

    private static boolean isNumberChar(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    private void expectLiteral(String literal) {
        if (end - pos < literal.length() || !matches(pos, literal)) {
            throw malformed("unexpected literal");
        }
        pos += literal.length();
    }

    private void expectColon() {
        skipWhitespace();
        if (next() != ':') {
            throw malformed("expected ':'");
        }
        skipWhitespace();
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw malformed("unexpected end");
        }
        return in[pos];
    }

    private byte next() {
        if (pos >= end) {
            throw malformed("unexpected end");
        }
        return in[pos++];
    }

    private static FrameTooLargeException malformed(String what) {
        return new FrameTooLargeException("malformed JSON header: " + what);
    }
}
