package io.tern.remoting.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property tests of the inbound path a connection runs ({@link FrameDecoder} feeding
 * {@link RemotingCommandCodec#decode}): whatever bytes arrive, in whatever pieces, the only way out is a command or
 * {@link FrameTooLargeException}, which the connection turns into a close. Any other exception would escape
 * {@code RemotingConnection.onData} and leave the decoder mid-stream.
 *
 * <p>Tries per property: {@code jqwik.tries} in the parent pom (the {@code fuzz} profile runs 100,000).
 */
class FrameFuzzTest {

    /** Feeds {@code bytes} cut at {@code cuts} through the decoder and the codec, as RemotingConnection does. */
    private static List<RemotingCommand> feed(byte[] bytes, List<Integer> cuts) {
        List<RemotingCommand> out = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(frame -> out.add(RemotingCommandCodec.decode(frame)));
        int pos = 0;
        for (int cut : cuts) {
            int end = Math.min(bytes.length, pos + cut);
            decoder.feed(Buffer.buffer().appendBytes(bytes, pos, end - pos));
            pos = end;
        }
        if (pos < bytes.length) {
            decoder.feed(Buffer.buffer().appendBytes(bytes, pos, bytes.length - pos));
        }
        return out;
    }

    /** Feeds, accepting a clean refusal; anything else fails the property. */
    private static void feedExpectingOnlyCleanRefusal(byte[] bytes, List<Integer> cuts) {
        try {
            feed(bytes, cuts);
        } catch (FrameTooLargeException refused) {
            // the connection would be closed: fine
        }
    }

    @Property
    void randomBytesInRandomPiecesAreFramedOrRefused(@ForAll @Size(max = 2048) byte[] bytes,
                                                     @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 300) Integer> cuts) {
        feedExpectingOnlyCleanRefusal(bytes, cuts);
    }

    /** A plausible length prefix and header info followed by random header bytes reaches the header codecs. */
    @Property
    void randomHeadersBehindAValidPrefixAreDecodedOrRefused(@ForAll @IntRange(min = 0, max = 1) int type,
                                                            @ForAll @Size(max = 1024) byte[] header,
                                                            @ForAll @Size(max = 64) byte[] body) {
        byte[] frame = frame(type, header, body);
        feedExpectingOnlyCleanRefusal(frame, List.of());
    }

    @Property
    void mutatedValidFramesAreDecodedOrRefused(@ForAll("commands") RemotingCommand cmd,
                                               @ForAll("mutations") List<Mutation> mutations,
                                               @ForAll @Size(max = 4) List<@IntRange(min = 1, max = 64) Integer> cuts) {
        byte[] bytes = RemotingCommandCodec.encode(cmd).getBytes();
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        feedExpectingOnlyCleanRefusal(bytes, cuts);
    }

    @Property
    void validFramesSurviveAnyChunking(@ForAll("commandLists") List<RemotingCommand> cmds,
                                       @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 200) Integer> cuts) {
        Buffer stream = Buffer.buffer();
        for (RemotingCommand c : cmds) {
            stream.appendBuffer(RemotingCommandCodec.encode(c));
        }
        List<RemotingCommand> back = feed(stream.getBytes(), cuts);
        assertEquals(cmds.size(), back.size());
        for (int i = 0; i < cmds.size(); i++) {
            assertSameCommand(cmds.get(i), back.get(i));
        }
    }

    static void assertSameCommand(RemotingCommand sent, RemotingCommand got) {
        assertEquals(sent.code(), got.code(), "code");
        assertEquals(sent.opaque(), got.opaque(), "opaque");
        assertEquals(sent.flag(), got.flag(), "flag");
        assertEquals(sent.version(), got.version(), "version");
        assertEquals(sent.serializeType(), got.serializeType(), "serialize type");
        String remark = utf8(sent.remark());
        if ("".equals(remark) && sent.serializeType() == SerializeType.ROCKETMQ) {
            remark = null; // remarkLen 0 reads back as no remark, as in the reference codec
        }
        assertEquals(remark, got.remark(), "remark");
        Map<String, String> ext = sent.extFields();
        if (ext == null || (ext.isEmpty() && sent.serializeType() == SerializeType.ROCKETMQ)) {
            // the binary codec writes no ext map for an empty one (extLen 0 reads back as null)
            assertEquals(null, got.extFields(), "ext");
        } else {
            Map<String, String> expected = new LinkedHashMap<>();
            ext.forEach((k, v) -> expected.put(utf8(k), utf8(v)));
            assertEquals(expected, got.extFields(), "ext");
        }
        byte[] body = sent.bodyBytes();
        assertEquals(body == null || body.length == 0 ? null : Buffer.buffer(body), got.body(), "body");
    }

    /** What a String becomes on the wire: lone surrogates turn into '?' in UTF-8. */
    private static String utf8(String s) {
        return s == null ? null : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    static byte[] frame(int type, byte[] header, byte[] body) {
        Buffer b = Buffer.buffer();
        b.appendInt(4 + header.length + body.length);
        b.appendInt((type << 24) | header.length);
        b.appendBytes(header).appendBytes(body);
        return b.getBytes();
    }

    @Provide
    static Arbitrary<RemotingCommand> commands() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<Map<String, String>> ext = Arbitraries.maps(text, text).ofMaxSize(6).injectNull(0.2);
        return Combinators.combine(
                Arbitraries.integers().between(Short.MIN_VALUE, Short.MAX_VALUE),
                Arbitraries.integers(),
                Arbitraries.integers(),
                text.injectNull(0.5),
                ext,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100),
                Arbitraries.of(SerializeType.JSON, SerializeType.ROCKETMQ),
                Arbitraries.integers().between(0, Short.MAX_VALUE)
        ).as((code, opaque, flag, remark, fields, body, type, version) -> {
            RemotingCommand c = RemotingCommand.request(code).opaque(opaque).flag(flag).remark(remark)
                    .version(version).serializeType(type);
            if (fields != null) {
                c.extFields(new LinkedHashMap<>(fields));
            }
            if (body.length > 0) {
                c.body(body);
            }
            return c;
        });
    }

    @Provide
    static Arbitrary<List<RemotingCommand>> commandLists() {
        return commands().list().ofMinSize(1).ofMaxSize(5);
    }

    /** A change a broken or hostile peer could make to a frame's bytes. */
    interface Mutation {
        byte[] apply(byte[] in);
    }

    @Provide
    static Arbitrary<List<Mutation>> mutations() {
        return FrameMutations.any().list().ofMinSize(1).ofMaxSize(4);
    }
}
