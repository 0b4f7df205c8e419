package io.tern.client;

import static io.tern.client.TernTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProducerTest extends EmbeddedTernTest {
    TernClient client;

    @BeforeEach
    void start() {
        client = client();
    }

    @Test
    void sendsToANewTopicThroughTheDefaultTopicAndRoundRobinsOverItsQueues() {
        TernProducer producer = client.createProducer("PG");
        Set<Integer> queues = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            SendResult r = await(producer.send(TernMessage.of("NewTopic", "hello " + i).setTags("A").setKeys("k" + i)));
            assertEquals(SendStatus.SEND_OK, r.status());
            assertEquals(32, r.msgId().length());
            assertEquals(r.msgId().toUpperCase(), r.msgId());
            assertEquals(32, r.offsetMsgId().length());
            assertEquals(tern.brokerName(), r.queue().brokerName);
            assertTrue(r.queueOffset() >= 0);
            queues.add(r.queue().queueId);
            ids.add(r.msgId());
        }
        assertEquals(4, queues.size(), "4 queues like the official client's defaultTopicQueueNums");
        assertEquals(8, ids.size());
    }

    @Test
    void anInvalidTopicNameFailsTheFuture() {
        TernProducer producer = client.createProducer("PG");
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> await(producer.send(TernMessage.of("bad topic!", "x")))).getCause();
        assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e));
    }

    @Test
    void sameShardingKeyGoesToTheSameQueue() {
        TernTestSupport.createTopic(tern.vertx(), tern, "Sharded", 8);
        TernProducer producer = client.createProducer("PG");
        int first = await(producer.send(TernMessage.of("Sharded", "x"), "order-42")).queue().queueId;
        for (int i = 0; i < 10; i++) {
            assertEquals(first, await(producer.send(TernMessage.of("Sharded", "x" + i), "order-42")).queue().queueId);
        }
    }

    @Test
    void batchReturnsOneIdPerMessage() {
        TernTestSupport.createTopic(tern.vertx(), tern, "Batched", 4);
        TernProducer producer = client.createProducer("PG");
        SendResult r = await(producer.sendBatch(List.of(TernMessage.of("Batched", "a"), TernMessage.of("Batched", "b"),
                TernMessage.of("Batched", "c"))));
        assertEquals(SendStatus.SEND_OK, r.status());
        assertEquals(3, r.msgId().split(",").length);
        assertEquals(3, r.offsetMsgId().split(",").length);
    }

    @Test
    void onewayAndLargeBodiesAreAccepted() {
        TernProducer producer = client.createProducer("PG");
        await(producer.sendOneway(TernMessage.of("Oneway", "fire and forget")));
        byte[] big = new byte[100 * 1024];
        SendResult r = await(producer.send(TernMessage.of("Oneway", Buffer.buffer(big))));
        assertEquals(SendStatus.SEND_OK, r.status());
        assertNotEquals(null, r.offsetMsgId());
    }
}
