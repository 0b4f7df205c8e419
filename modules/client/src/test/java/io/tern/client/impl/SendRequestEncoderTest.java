package io.tern.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.client.TernMessage;
import io.tern.client.impl.SendRequestEncoder.PreparedMessage;
import io.tern.common.message.MessageProperties;
import io.tern.common.protocol.MessageQueue;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendRequestEncoderTest {
    final MessageQueue mq = new MessageQueue("T", "broker-a", 3);

    @Test
    void singleSendHasTheV2HeaderAndProperties() {
        TernMessage m = TernMessage.of("T", "hello").setTags("TagA").setKeys("k1", "k2").putProperty("p", "v");
        PreparedMessage prepared = SendRequestEncoder.prepare(m, "UNIQ1", true);
        RemotingCommand cmd = SendRequestEncoder.single("PG", prepared, mq, false);
        assertEquals(310, cmd.code());
        assertEquals("PG", cmd.ext("a"));
        assertEquals("T", cmd.ext("b"));
        assertEquals("TBW102", cmd.ext("c"));
        assertEquals("4", cmd.ext("d"));
        assertEquals("3", cmd.ext("e"));
        assertEquals("0", cmd.ext("f"));
        assertEquals("false", cmd.ext("m"));
        assertEquals("broker-a", cmd.ext("n"));
        Map<String, String> props = MessageProperties.parse(cmd.ext("i"));
        assertEquals(Map.of("p", "v", "KEYS", "k1 k2", "UNIQ_KEY", "UNIQ1", "WAIT", "true", "TAGS", "TagA"), props);
        assertEquals("hello", cmd.body().toString());
    }

    @Test
    void reconsumeBookkeepingTravelsInHeadersJAndL() {
        TernMessage m = TernMessage.of("%RETRY%G", "x").putProperty("RECONSUME_TIME", "2")
                .putProperty("MAX_RECONSUME_TIMES", "16");
        RemotingCommand cmd = SendRequestEncoder.single("G", SendRequestEncoder.prepare(m, "U", true), mq, false);
        assertEquals("2", cmd.ext("j"));
        assertEquals("16", cmd.ext("l"));
        Map<String, String> props = MessageProperties.parse(cmd.ext("i"));
        assertEquals(null, props.get("RECONSUME_TIME"));
        assertEquals(null, props.get("MAX_RECONSUME_TIMES"));
        RemotingCommand plain = SendRequestEncoder.single("G", SendRequestEncoder.prepare(TernMessage.of("T", "x"), "U",
                true), mq, false);
        assertEquals("0", plain.ext("j"));
        assertEquals(null, plain.ext("l"));
    }

    @Test
    void bodiesOf4KiBAndMoreAreZlibCompressedWithSysFlag769() {
        byte[] body = new byte[4096];
        PreparedMessage big = SendRequestEncoder.prepare(TernMessage.of("T", Buffer.buffer(body)), "U", true);
        assertEquals(769, big.sysFlag());
        assertEquals(Buffer.buffer(body), Buffer.buffer(BodyCompression.decompress(big.body())));
        PreparedMessage small = SendRequestEncoder.prepare(TernMessage.of("T", Buffer.buffer(new byte[4095])), "U", true);
        assertEquals(0, small.sysFlag());
    }

    @Test
    void batchBodyIsOneRecordPerMessage() {
        List<PreparedMessage> ms = List.of(
                SendRequestEncoder.prepare(TernMessage.of("T", "ab"), "U1", false),
                SendRequestEncoder.prepare(TernMessage.of("T", "cde").setTags("X"), "U2", false));
        RemotingCommand cmd = SendRequestEncoder.batch("PG", ms, mq);
        assertEquals(320, cmd.code());
        assertEquals("true", cmd.ext("m"));
        Buffer b = cmd.body();
        int pos = 0;
        for (int i = 0; i < 2; i++) {
            int total = b.getInt(pos);
            int bodyLen = b.getInt(pos + 16);
            int propsLen = b.getShort(pos + 20 + bodyLen);
            assertEquals(22 + bodyLen + propsLen, total);
            String props = b.getString(pos + 22 + bodyLen, pos + total);
            assertEquals("U" + (i + 1), MessageProperties.parse(props).get("UNIQ_KEY"));
            pos += total;
        }
        assertEquals(b.length(), pos);
    }

    @Test
    void badTopicsAndEmptyBodiesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SendRequestEncoder.prepare(TernMessage.of("a b", "x"), "U", true));
        assertThrows(IllegalArgumentException.class,
                () -> SendRequestEncoder.prepare(TernMessage.of("T", Buffer.buffer()), "U", true));
    }
}
