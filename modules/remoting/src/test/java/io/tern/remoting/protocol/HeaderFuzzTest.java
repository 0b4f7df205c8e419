package io.tern.remoting.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property tests of the two header codecs on inputs shaped like their formats, so the fuzzer gets past the first
 * byte: ROCKETMQ binary headers whose length fields are near (and past) the truth, and JSON headers assembled from
 * JSON tokens, escapes and fragments. Decoding returns a command or throws {@link FrameTooLargeException}, nothing
 * else.
 */
class HeaderFuzzTest {

    private static void decodeExpectingOnlyCleanRefusal(byte[] header, int type) {
        Buffer frame = Buffer.buffer().appendInt((type << 24) | header.length).appendBytes(header);
        try {
            RemotingCommandCodec.decode(frame);
        } catch (FrameTooLargeException refused) {
            // connection closed: fine
        }
    }

    @Property
    void binaryHeadersWithLengthsNearTheTruthAreDecodedOrRefused(
            @ForAll @Size(max = 40) byte[] remark, @ForAll @IntRange(min = -6, max = 6) int remarkSkew,
            @ForAll("extEntries") List<byte[][]> ext, @ForAll @IntRange(min = -6, max = 6) int extSkew,
            @ForAll @IntRange(min = -4, max = 4) int keySkew, @ForAll @IntRange(min = -4, max = 4) int valueSkew,
            @ForAll @IntRange(min = 0, max = 8) int trailingCut) {
        Buffer extBytes = Buffer.buffer();
        for (int i = 0; i < ext.size(); i++) {
            byte[] key = ext.get(i)[0];
            byte[] value = ext.get(i)[1];
            boolean last = i == ext.size() - 1;
            extBytes.appendShort((short) (key.length + (last ? keySkew : 0))).appendBytes(key);
            extBytes.appendInt(value.length + (last ? valueSkew : 0)).appendBytes(value);
        }
        Buffer header = Buffer.buffer().appendShort((short) 310).appendByte((byte) 0).appendShort((short) 407)
                .appendInt(1).appendInt(0)
                .appendInt(remark.length + remarkSkew).appendBytes(remark)
                .appendInt(extBytes.length() + extSkew).appendBuffer(extBytes);
        byte[] bytes = header.getBytes();
        bytes = java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - trailingCut));
        decodeExpectingOnlyCleanRefusal(bytes, SerializeType.ROCKETMQ);
    }

    /**
     * Shrunk counterexample of the property above: a binary header cut inside its extLen field threw
     * BufferUnderflowException, which the connection did not catch (its decoder then lost the rest of the stream).
     */
    @Example
    void binaryHeaderEndingInsideExtLenIsRefused() {
        byte[] header = Buffer.buffer().appendShort((short) 310).appendByte((byte) 0).appendShort((short) 407)
                .appendInt(1).appendInt(0).appendInt(1).appendByte((byte) 0).appendInt(0).getBytes();
        byte[] cut = java.util.Arrays.copyOf(header, header.length - 1);
        Buffer frame = Buffer.buffer().appendInt((SerializeType.ROCKETMQ << 24) | cut.length).appendBytes(cut);
        org.junit.jupiter.api.Assertions.assertThrows(FrameTooLargeException.class,
                () -> RemotingCommandCodec.decode(frame));
    }

    @Property
    void jsonHeadersFromRandomTokensAreDecodedOrRefused(@ForAll("jsonTokens") List<String> tokens) {
        decodeExpectingOnlyCleanRefusal(String.join("", tokens).getBytes(StandardCharsets.UTF_8), SerializeType.JSON);
    }

    /** A well-formed header of the reference's shape with one token replaced, dropped or repeated. */
    @Property
    void nearlyValidJsonHeadersAreDecodedOrRefused(@ForAll @IntRange(min = 0, max = 200) int at,
                                                   @ForAll("jsonToken") String replacement,
                                                   @ForAll @IntRange(min = 0, max = 2) int how) {
        List<String> tokens = new java.util.ArrayList<>(List.of("{", "\"code\"", ":", "310", ",", "\"extFields\"", ":",
                "{", "\"a\"", ":", "\"PG\"", ",", "\"i\"", ":", "\"KEYS\\u0001k\\u0002TAGS\\u0001T\"", "}", ",",
                "\"flag\"", ":", "0", ",", "\"language\"", ":", "\"JAVA\"", ",", "\"opaque\"", ":", "7", ",",
                "\"remark\"", ":", "null", ",", "\"serializeTypeCurrentRPC\"", ":", "\"JSON\"", ",", "\"version\"",
                ":", "407", "}"));
        int i = at % tokens.size();
        switch (how) {
            case 0 -> tokens.set(i, replacement);
            case 1 -> tokens.remove(i);
            default -> tokens.add(i, tokens.get(i));
        }
        decodeExpectingOnlyCleanRefusal(String.join("", tokens).getBytes(StandardCharsets.UTF_8), SerializeType.JSON);
    }

    @Provide
    static Arbitrary<List<byte[][]>> extEntries() {
        Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(12).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(text, text).as((k, v) -> new byte[][] {k, v}).list().ofMaxSize(4);
    }

    @Provide
    static Arbitrary<List<String>> jsonTokens() {
        return jsonToken().list().ofMaxSize(40);
    }

    @Provide
    static Arbitrary<String> jsonToken() {
        return Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", ":", ",", " ", "\t\n", "\"", "\\", "null", "true", "false",
                        "\"code\"", "\"opaque\"", "\"flag\"", "\"version\"", "\"language\"", "\"remark\"",
                        "\"extFields\"", "\"serializeTypeCurrentRPC\"", "\"JAVA\"", "\\u", "\\u00", "\\uD800",
                        "\\uDC00", "\\n", "\\\"", "-", "+", ".", "e", "E", "1e999", "-0", "2147483648",
                        "-2147483649", "99999999999999999999", "0x10", "NaN", "\u00e9", "\uD83D\uDE00", "\u0000"),
                Arbitraries.strings().ofMaxLength(6).map(s -> "\"" + s + "\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().ascii().ofMaxLength(4));
    }
}
