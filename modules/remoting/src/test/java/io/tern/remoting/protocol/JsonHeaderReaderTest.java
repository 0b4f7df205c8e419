package io.tern.remoting.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonHeaderReaderTest {
    private static RemotingCommand read(String json) {
        byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return JsonHeaderReader.decode(b, 2, b.length - 4);
    }

    @Test
    void readsLenientlyAsJacksonDid() {
        RemotingCommand cmd = read(" { \"version\" : \"401\", \"unknown\": {\"x\": [1, {\"y\": \"}\"}], \"z\": null},"
                + "\"opaque\": 7.9, \"flag\": true, \"code\": -12, \"language\": 3, \"remark\": 42,"
                + "\"extFields\": {\"a\": 1.5e3, \"b\": \"t\\\"q\\\\\\/\\n\\u0001\\u00e9\", \"c\": null, \"d\": false,"
                + " \"e\": {\"nested\": 1}, \"f\": [1], \"\\u0067\": \"\u00e9\u4e2d\ud83d\ude00\"} } ");
        assertEquals(401, cmd.version());
        assertEquals(7, cmd.opaque());
        assertEquals(1, cmd.flag());
        assertEquals(-12, cmd.code());
        assertEquals(LanguageCode.OTHER, cmd.language());
        assertEquals("42", cmd.remark());
        Map<String, String> expected = new HashMap<>();
        expected.put("a", "1.5e3");
        expected.put("b", "t\"q\\/\n\u0001\u00e9");
        expected.put("d", "false");
        expected.put("g", "\u00e9\u4e2d\ud83d\ude00");
        assertEquals(expected, cmd.extFields());
    }

    @Test
    void nullsAndEmptyObjects() {
        RemotingCommand cmd = read("{\"opaque\":1,\"remark\":null,\"extFields\":null}");
        assertNull(cmd.remark());
        assertNull(cmd.extFields());
        assertEquals(Map.of(), read("{\"opaque\":1,\"extFields\":{}}").extFields());
    }

    @Test
    void rejectsMalformedHeaders() {
        for (String bad : new String[] {"", "[]", "{", "{\"opaque\":1", "{\"opaque\":1,}", "{\"code\":1}",
                "{\"opaque\":1,\"remark\":\"abc}", "{\"opaque\":1 \"code\":2}", "{\"opaque\":nul}",
                "{\"opaque\":1,\"remark\":\"\\x\"}", "{\"opaque\":1,\"remark\":\"\\u12\"}"}) {
            assertThrows(FrameTooLargeException.class, () -> read(bad), bad);
        }
    }

    @Test
    void randomStringsRoundTripAndMatchJackson() throws Exception {
        Random random = new Random(42);
        ObjectMapper mapper = new ObjectMapper();
        for (int round = 0; round < 500; round++) {
            RemotingCommand cmd = RemotingCommand.request(random.nextInt(400)).opaque(random.nextInt());
            cmd.remark(random.nextBoolean() ? null : randomString(random));
            for (int i = random.nextInt(6); i > 0; i--) {
                cmd.put(randomString(random), randomString(random));
            }
            byte[] header = JsonHeaderCodec.encode(cmd);
            RemotingCommand back = JsonHeaderReader.decode(header, 0, header.length);
            assertEquals(cmd.code(), back.code());
            assertEquals(cmd.opaque(), back.opaque());
            assertEquals(cmd.remark(), back.remark());
            assertEquals(cmd.extFields(), back.extFields());
            @SuppressWarnings("unchecked")
            Map<String, Object> jackson = mapper.readValue(header, Map.class);
            assertEquals(cmd.remark(), jackson.get("remark"));
            assertEquals(cmd.extFields() == null ? null : cmd.extFields(), jackson.get("extFields"));
        }
    }

    private static String randomString(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append((char) random.nextInt(0x20));
                case 1 -> sb.append("\"\\/".charAt(random.nextInt(3)));
                case 2 -> sb.append((char) (0x80 + random.nextInt(0x780)));
                case 3 -> sb.append((char) (0x800 + random.nextInt(0xD000)));
                case 4 -> sb.appendCodePoint(0x10000 + random.nextInt(0x10000));
                default -> sb.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }
}
