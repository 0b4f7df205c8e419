package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendPullTest {
    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir, c -> c.store.maxMessageBytes = 64 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void withTraceOffEveryMessageSaysSo() throws Exception {
        try (BrokerHarness off = new BrokerHarness(dir.resolve("trace-off"), c -> c.traceOn = false)) {
            RemotingCommand sent = off.call(BrokerHarness.sendV2("TOFF", 0, "m", props()));
            assertEquals("false", sent.ext("TRACE_ON"));
            RemotingCommand pulled = off.call(BrokerHarness.pull("G", "TOFF", 0, 0, "*", 0));
            StoredMessage m = StoredMessage.decodeAll(pulled.bodyBytes()).get(0);
            assertEquals("false", m.properties().get("TRACE_ON"), "a consumer's trace hook skips it");
        }
    }

    @Test
    void v2AndBatchSendsArePulledBackIntact() throws Exception {
        RemotingCommand r1 = h.call(BrokerHarness.sendV2("T1", 1, "hello",
                props("KEYS", "k1 k2", "UNIQ_KEY", "U1", "WAIT", "true", "TAGS", "TagA")));
        assertEquals(ResponseCode.SUCCESS, r1.code(), r1.remark());
        assertEquals("1", r1.ext("queueId"));
        assertEquals("0", r1.ext("queueOffset"));
        assertEquals("DefaultRegion", r1.ext("MSG_REGION"));
        assertEquals("true", r1.ext("TRACE_ON"));
        assertEquals(h.broker.port(), MessageIds.storeHost(r1.ext("msgId")).getPort());

        RemotingCommand batch = h.call(BrokerHarness.sendBatch("T1", 1, props("WAIT", "true", "UNIQ_KEY", "BATCH"),
                List.of("b0", "b1", "b2"),
                List.of(props("UNIQ_KEY", "R0", "TAGS", "TagB"), props("UNIQ_KEY", "R1"), props("UNIQ_KEY", "R2"))));
        assertEquals(ResponseCode.SUCCESS, batch.code(), batch.remark());
        String[] ids = batch.ext("msgId").split(",");
        assertEquals(3, ids.length);
        assertEquals("1", batch.ext("queueOffset"));
        assertEquals("BATCH", batch.ext("batchUniqId"));

        RemotingCommand pulled = h.call(BrokerHarness.pull("G1", "T1", 1, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, pulled.code(), pulled.remark());
        assertEquals("4", pulled.ext("nextBeginOffset"));
        assertEquals("0", pulled.ext("minOffset"));
        assertEquals("4", pulled.ext("maxOffset"));
        assertEquals("0", pulled.ext("suggestWhichBrokerId"));
        List<StoredMessage> msgs = StoredMessage.decodeAll(pulled.bodyBytes());
        assertEquals(4, msgs.size());

        StoredMessage m0 = msgs.get(0);
        assertEquals("hello", m0.bodyString());
        assertEquals("T1", m0.topic());
        assertEquals(1, m0.queueId());
        assertEquals(0, m0.queueOffset());
        assertEquals("TagA", m0.properties().get("TAGS"));
        assertEquals("k1 k2", m0.properties().get("KEYS"));
        assertEquals("U1", m0.properties().get("UNIQ_KEY"));
        assertEquals("DefaultCluster", m0.properties().get("CLUSTER"));
        // read by consumers' trace hooks; TRACE_ON is only written when trace is off (absent reads as on)
        assertEquals("DefaultRegion", m0.properties().get("MSG_REGION"));
        assertFalse(m0.properties().containsKey("TRACE_ON"));
        assertFalse(m0.properties().containsKey("WAIT"), "WAIT is stripped from stored properties");
        assertEquals(r1.ext("msgId"), MessageIds.offsetMsgId(m0.storeHost(), m0.storePort(), m0.physicalOffset()));

        for (int i = 0; i < 3; i++) {
            StoredMessage m = msgs.get(i + 1);
            assertEquals("b" + i, m.bodyString());
            assertEquals(i + 1, m.queueOffset());
            assertEquals(7, m.flag());
            assertEquals("R" + i, m.properties().get("UNIQ_KEY"), "batch UNIQ_KEY must not leak into records");
            assertEquals("DefaultCluster", m.properties().get("CLUSTER"));
            assertEquals("DefaultRegion", m.properties().get("MSG_REGION"));
            assertEquals(ids[i], MessageIds.offsetMsgId(m.storeHost(), m.storePort(), m.physicalOffset()));
        }
        assertEquals("TagB", msgs.get(1).properties().get("TAGS"));

        // the auto-created topic was registered at once with a newer data version
        FakeNameServer.Registration reg = h.nameServer.awaitTopic("T1");
        assertNotNull(reg.body().topicConfigSerializeWrapper.topicConfigTable.get("T1"));
        assertEquals(4, reg.body().topicConfigSerializeWrapper.topicConfigTable.get("T1").writeQueueNums);
        assertEquals(6, reg.body().topicConfigSerializeWrapper.topicConfigTable.get("T1").perm);
        assertEquals(h.addr(), reg.header().get("brokerAddr"));
    }

    @Test
    void tagFilterSkipsOtherTags() throws Exception {
        for (String tag : new String[] {"A", "B", "A", "C"}) {
            assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("TF", 0, tag, props("TAGS", tag))).code());
        }
        RemotingCommand pulled = h.call(BrokerHarness.pull("G", "TF", 0, 0, "A || C", 0));
        assertEquals(ResponseCode.SUCCESS, pulled.code());
        List<StoredMessage> msgs = StoredMessage.decodeAll(pulled.bodyBytes());
        assertEquals(List.of("A", "A", "C"), msgs.stream().map(StoredMessage::bodyString).toList());
        assertEquals("4", pulled.ext("nextBeginOffset"));
    }

    @Test
    void delayedAndHalfMessagesAreStoredInSystemTopics() throws Exception {
        RemotingCommand delayed = h.call(BrokerHarness.sendV2("TD", 2, "later", props("DELAY", "3", "TAGS", "x")));
        assertEquals(ResponseCode.SUCCESS, delayed.code(), delayed.remark());
        RemotingCommand sched = h.call(BrokerHarness.pull("G", "SCHEDULE_TOPIC_XXXX", 2, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, sched.code(), sched.remark());
        StoredMessage d = StoredMessage.decodeAll(sched.bodyBytes()).get(0);
        assertEquals("TD", d.properties().get("REAL_TOPIC"));
        assertEquals("2", d.properties().get("REAL_QID"));
        assertEquals("SCHEDULE_TOPIC_XXXX", d.topic());
        assertEquals(ResponseCode.PULL_NOT_FOUND, h.call(BrokerHarness.pull("G", "TD", 2, 0, "*", 0)).code());

        RemotingCommand half = BrokerHarness.sendV2("TX", 1, "half", props("TRAN_MSG", "true", "PGROUP", "PG"));
        half.put("f", 4);
        RemotingCommand hr = h.call(half);
        assertEquals(ResponseCode.SUCCESS, hr.code(), hr.remark());
        RemotingCommand halves = h.call(BrokerHarness.pull("G", "RMQ_SYS_TRANS_HALF_TOPIC", 0, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, halves.code(), halves.remark());
        StoredMessage hm = StoredMessage.decodeAll(halves.bodyBytes()).get(0);
        assertEquals("TX", hm.properties().get("REAL_TOPIC"));
        assertEquals(0, hm.sysFlag() & 0xC, "transaction type reset to NOT_TYPE");
        assertEquals(hr.ext("msgId"), MessageIds.offsetMsgId(hm.storeHost(), hm.storePort(), hm.physicalOffset()));
    }

    @Test
    void badInputGetsReferenceCodes() throws Exception {
        RemotingCommand badName = h.call(BrokerHarness.sendV2("bad topic!", 0, "x", props()));
        assertEquals(ResponseCode.SYSTEM_ERROR, badName.code());
        assertTrue(badName.remark().contains("illegal characters"), badName.remark());
        assertEquals("DefaultRegion", badName.ext("MSG_REGION"), "error responses carry MSG_REGION too");

        RemotingCommand oversize = h.call(BrokerHarness.sendV2("T2", 0, "x".repeat(64 * 1024 + 1), props()));
        assertEquals(ResponseCode.MESSAGE_ILLEGAL, oversize.code());
        assertNotNull(oversize.ext("TRACE_ON"));

        RemotingCommand forbidden = h.call(BrokerHarness.sendV2("SCHEDULE_TOPIC_XXXX", 0, "x", props()));
        assertEquals(ResponseCode.NO_PERMISSION, forbidden.code());

        RemotingCommand badQueue = h.call(BrokerHarness.sendV2("SELF_TEST_TOPIC", 0, "x", props()));
        assertEquals(ResponseCode.NO_PERMISSION, badQueue.code());
        h.call(BrokerHarness.sendV2("T3", 0, "x", props()));
        RemotingCommand queueTooBig = h.call(BrokerHarness.sendV2("T3", 99, "x", props()));
        assertEquals(ResponseCode.SYSTEM_ERROR, queueTooBig.code());

        RemotingCommand missingHeader = h.call(RemotingCommand.request(310).put("b", "T3"));
        assertEquals(ResponseCode.SYSTEM_ERROR, missingHeader.code());

        RemotingCommand unknownTopicPull = h.call(BrokerHarness.pull("G", "NoSuchTopic", 0, 0, "*", 0));
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, unknownTopicPull.code());

        RemotingCommand movedOffset = h.call(BrokerHarness.pull("G", "T3", 0, 50, "*", 0));
        assertEquals(ResponseCode.PULL_OFFSET_MOVED, movedOffset.code());
        assertNotEquals("50", movedOffset.ext("nextBeginOffset"));
    }

    @Test
    void v1HeaderAndBinaryCodecWork() throws Exception {
        RemotingCommand v1 = RemotingCommand.request(10).put("producerGroup", "PG").put("topic", "TV1")
                .put("defaultTopic", "TBW102").put("defaultTopicQueueNums", 4).put("queueId", 2).put("sysFlag", 0)
                .put("bornTimestamp", System.currentTimeMillis()).put("flag", 3)
                .put("properties", io.tern.common.message.MessageProperties.encode(props("TAGS", "v1")))
                .put("reconsumeTimes", 0).put("unitMode", false).put("batch", false)
                .body("one".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RemotingCommand r = h.call(v1);
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        assertEquals("2", r.ext("queueId"));

        RemotingCommand binary = BrokerHarness.sendV2("TV1", 2, "two", props())
                .serializeType(io.tern.remoting.protocol.SerializeType.ROCKETMQ);
        RemotingCommand rb = h.call(binary);
        assertEquals(ResponseCode.SUCCESS, rb.code(), rb.remark());
        assertEquals(io.tern.remoting.protocol.SerializeType.ROCKETMQ, rb.serializeType());
        assertEquals("1", rb.ext("queueOffset"));

        List<StoredMessage> msgs = StoredMessage.decodeAll(h.call(BrokerHarness.pull("G", "TV1", 2, 0, "*", 0))
                .bodyBytes());
        assertEquals("one", msgs.get(0).bodyString());
        assertEquals(3, msgs.get(0).flag());
        assertEquals("v1", msgs.get(0).properties().get("TAGS"));
        assertEquals("two", msgs.get(1).bodyString());
    }

    @Test
    void randomQueueWhenNegative() throws Exception {
        RemotingCommand r = h.call(BrokerHarness.sendV2("TR", -1, "x", props()));
        assertEquals(ResponseCode.SUCCESS, r.code());
        int q = Integer.parseInt(r.ext("queueId"));
        assertTrue(q >= 0 && q < 4);
        assertNull(r.remark());
        Map<String, String> ext = r.extFields();
        assertTrue(ext.containsKey("queueOffset"));
    }
}
