package io.tern.broker.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaProtocolTest {
    @Test
    void framesSurviveArbitraryFragmentation() {
        Buffer stream = Buffer.buffer()
                .appendBuffer(HaProtocol.hello(3, 12345, 1 << 20, 4096, 0xCAFE))
                .appendBuffer(HaProtocol.data(12345, 99999, ByteBuffer.wrap("records".getBytes(StandardCharsets.UTF_8))))
                .appendBuffer(HaProtocol.data(12352, 99999, ByteBuffer.allocate(0)))
                .appendBuffer(HaProtocol.offsetFrame(HaProtocol.ACK, 777))
                .appendBuffer(HaProtocol.refuse("no"));
        for (int chunk : new int[] {1, 3, 7, stream.length()}) {
            List<String> seen = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            RecordParser parser = HaProtocol.parser(f -> seen.add(describe(f)), errors::add);
            for (int at = 0; at < stream.length(); at += chunk) {
                parser.handle(stream.slice(at, Math.min(stream.length(), at + chunk)).copy());
            }
            assertEquals(List.of("1:3/12345/1048576/4096/51966", "13:12345/99999/records", "13:12352/99999/",
                    "2:777", "14:no"), seen, "chunks of " + chunk);
            assertEquals(List.of(), errors);
        }
    }

    @Test
    void aBadLengthIsReported() {
        List<String> errors = new ArrayList<>();
        RecordParser parser = HaProtocol.parser(f -> { }, errors::add);
        parser.handle(Buffer.buffer().appendInt(0).appendByte((byte) 1));
        assertEquals(1, errors.size());
    }

    private static String describe(HaProtocol.Frame f) {
        Buffer p = f.payload();
        return switch (f.type()) {
            case HaProtocol.HELLO -> "1:" + p.getLong(0) + "/" + p.getLong(8) + "/" + p.getInt(16) + "/"
                    + p.getInt(20) + "/" + p.getInt(24);
            case HaProtocol.DATA -> "13:" + p.getLong(0) + "/" + p.getLong(8) + "/"
                    + p.getString(16, p.length());
            case HaProtocol.ACK -> "2:" + p.getLong(0);
            case HaProtocol.REFUSE -> "14:" + p.toString();
            default -> "?";
        };
    }
}
