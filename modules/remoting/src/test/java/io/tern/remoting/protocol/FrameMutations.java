package io.tern.remoting.protocol;

import io.tern.remoting.protocol.FrameFuzzTest.Mutation;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Byte-level mutations of an encoded frame, the kinds a fuzzer of length-prefixed protocols uses: bit flips,
 * "interesting" bytes and ints (0, -1, MIN/MAX, just past the frame limit) written anywhere (so also over the
 * length prefix, the header info and the header's own length fields), insertions, deletions, truncation and
 * duplicated ranges. Positions are fractions of the frame so they scale with its length.
 */
final class FrameMutations {
    private static final int[] INTERESTING_INTS = {0, -1, 1, 3, 4, 5, Integer.MAX_VALUE, Integer.MIN_VALUE,
        RemotingCommandCodec.MAX_FRAME_BYTES, RemotingCommandCodec.MAX_FRAME_BYTES + 1, 0xFFFF, 0x7FFF, 0x8000,
        0x01000000, 0x00FFFFFF};
    private static final byte[] INTERESTING_BYTES = {0, -1, 0x7F, (byte) 0x80, '"', '{', '}', ':', ',', '\\'};

    private FrameMutations() {
    }

    static Arbitrary<Mutation> any() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        return Arbitraries.oneOf(
                Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(FrameMutations::flipBit),
                Combinators.combine(at, Arbitraries.of(toObjects(INTERESTING_BYTES))).as(FrameMutations::setByte),
                Combinators.combine(at, Arbitraries.of(Arrays.stream(INTERESTING_INTS).boxed().toList()))
                        .as(FrameMutations::setInt),
                Combinators.combine(at, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16))
                        .as(FrameMutations::insert),
                Combinators.combine(at, Arbitraries.integers().between(1, 32)).as(FrameMutations::delete),
                at.map(FrameMutations::truncate),
                Combinators.combine(at, at, Arbitraries.integers().between(1, 64)).as(FrameMutations::duplicate));
    }

    static Mutation flipBit(double at, int bit) {
        return named("flipBit(" + at + "," + bit + ")", in -> {
            if (in.length == 0) {
                return in;
            }
            byte[] out = in.clone();
            out[index(at, in.length)] ^= (byte) (1 << bit);
            return out;
        });
    }

    static Mutation setByte(double at, byte value) {
        return named("setByte(" + at + "," + value + ")", in -> {
            if (in.length == 0) {
                return in;
            }
            byte[] out = in.clone();
            out[index(at, in.length)] = value;
            return out;
        });
    }

    static Mutation setInt(double at, int value) {
        return named("setInt(" + at + "," + value + ")", in -> {
            if (in.length < 4) {
                return in;
            }
            byte[] out = in.clone();
            ByteBuffer.wrap(out).putInt(index(at, in.length - 3), value);
            return out;
        });
    }

    static Mutation insert(double at, byte[] bytes) {
        return named("insert(" + at + "," + Arrays.toString(bytes) + ")", in -> {
            int i = index(at, in.length + 1);
            byte[] out = new byte[in.length + bytes.length];
            System.arraycopy(in, 0, out, 0, i);
            System.arraycopy(bytes, 0, out, i, bytes.length);
            System.arraycopy(in, i, out, i + bytes.length, in.length - i);
            return out;
        });
    }

    static Mutation delete(double at, int count) {
        return named("delete(" + at + "," + count + ")", in -> {
            int i = index(at, in.length + 1);
            int n = Math.min(count, in.length - i);
            byte[] out = new byte[in.length - n];
            System.arraycopy(in, 0, out, 0, i);
            System.arraycopy(in, i + n, out, i, in.length - i - n);
            return out;
        });
    }

    static Mutation truncate(double at) {
        return named("truncate(" + at + ")", in -> Arrays.copyOf(in, index(at, in.length + 1)));
    }

    static Mutation duplicate(double from, double to, int count) {
        return named("duplicate(" + from + "," + to + "," + count + ")", in -> {
            int src = index(from, in.length + 1);
            int n = Math.min(count, in.length - src);
            return insert(to, Arrays.copyOfRange(in, src, src + n)).apply(in);
        });
    }

    private static int index(double at, int length) {
        return Math.min(length - 1, (int) (at * length));
    }

    private static Byte[] toObjects(byte[] bytes) {
        Byte[] out = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i];
        }
        return out;
    }

    /** A mutation that prints as what it does, so a shrunk counterexample reads as a recipe. */
    private static Mutation named(String name, Mutation m) {
        return new Mutation() {
            @Override
            public byte[] apply(byte[] in) {
                return m.apply(in);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
