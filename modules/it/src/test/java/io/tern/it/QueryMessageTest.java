package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** Messages are found by offset id (VIEW_MESSAGE_BY_ID), by key and by client id (QUERY_MESSAGE on the index). */
class QueryMessageTest extends EmbeddedTernTestBase {

    @Test
    void viewByIdAndQueryByKey() throws Exception {
        String topic = Clients.unique("Query");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        try {
            producer.start();
            long beginMs = System.currentTimeMillis() - 1_000;
            SendResult result = producer.send(new Message(topic, "TagA", "find-me",
                    "query body".getBytes(StandardCharsets.UTF_8)));
            producer.send(new Message(topic, "TagA", "someone-else", "other".getBytes(StandardCharsets.UTF_8)));

            MessageExt byOffsetId = producer.viewMessage(result.getOffsetMsgId());
            assertEquals("find-me", byOffsetId.getKeys());
            assertEquals("query body", new String(byOffsetId.getBody(), StandardCharsets.UTF_8));

            // the index is written by the dispatcher, right after the send returns
            Await.until("the key in the index", 10_000, () -> queryCount(producer, topic, "find-me", beginMs) == 1);
            QueryResult byKey = producer.queryMessage(topic, "find-me", 32, beginMs, System.currentTimeMillis() + 1_000);
            assertEquals(1, byKey.getMessageList().size());
            assertEquals(result.getMsgId(), byKey.getMessageList().get(0).getMsgId());

            MessageExt byClientId = producer.viewMessage(topic, result.getMsgId());
            assertEquals("find-me", byClientId.getKeys());
        } finally {
            Clients.shutdown(producer);
        }
    }

    private static int queryCount(DefaultMQProducer producer, String topic, String key, long beginMs) {
        try {
            return producer.queryMessage(topic, key, 32, beginMs, System.currentTimeMillis() + 1_000)
                    .getMessageList().size();
        } catch (Exception notYet) {
            return -1;
        }
    }
}
