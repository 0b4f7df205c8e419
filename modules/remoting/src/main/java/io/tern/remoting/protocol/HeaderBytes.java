package io.tern.remoting.protocol;

import java.util.Arrays;

/**
 * A growable byte array a header is written into: JSON text (numbers as digits, strings UTF-8 with JSON
 * escapes) without going through StringBuilder, String and a charset encoder.
 *
 * <p>Not thread-safe; one per encoding.
 */
final class HeaderBytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private byte[] bytes;
    private int length;

    HeaderBytes(int capacity) {
        bytes = new byte[capacity];
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Skips {@code n} bytes to be filled in later with {@link #putInt}. */
    void reserve(int n) {
        ensure(n);
        length += n;
    }

    void putInt(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    void write(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    void write(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    void writeInt(int value) {
        if (value == Integer.MIN_VALUE) {
            write("-2147483648".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        ensure(11);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        int p = length + digits;
        length = p;
        do {
            bytes[--p] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
    }

    /** {@code s} quoted, with JSON escapes for quote, backslash and control characters, UTF-8 encoded. */
    void writeJsonString(String s) {
        int n = s.length();
        ensure(n * 3 + 2);
        byte[] b = bytes;
        int p = length;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[p++] = (byte) c;
                continue;
            }
            length = p;
            if (c < 0x80) {
                writeEscaped(c);
            } else if (c < 0x800) {
                write(0xC0 | (c >> 6));
                write(0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                write(0xF0 | (cp >> 18));
                write(0x80 | ((cp >> 12) & 0x3F));
                write(0x80 | ((cp >> 6) & 0x3F));
                write(0x80 | (cp & 0x3F));
            } else {
                write(0xE0 | (c >> 12));
                write(0x80 | ((c >> 6) & 0x3F));
                write(0x80 | (c & 0x3F));
            }
            // escapes may have grown the array: room for the rest of the string again
            ensure((n - i) * 3 + 2);
            b = bytes;
            p = length;
        }
        b[p++] = '"';
        length = p;
    }

    private void writeEscaped(char c) {
        switch (c) {
            case '"' -> {
                write('\\');
                write('"');
            }
            case '\\' -> {
                write('\\');
                write('\\');
            }
            case '\n' -> {
                write('\\');
                write('n');
            }
            case '\r' -> {
                write('\\');
                write('r');
            }
            case '\t' -> {
                write('\\');
                write('t');
            }
            default -> {
                write('\\');
                write('u');
                write('0');
                write('0');
                write(HEX[c >> 4]);
                write(HEX[c & 0xF]);
            }
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
