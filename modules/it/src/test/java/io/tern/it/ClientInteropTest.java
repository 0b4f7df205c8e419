package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.client.SendResult;
import io.tern.client.SendStatus;
import io.tern.client.TernClient;
import io.tern.client.TernClientOptions;
import io.tern.client.TernConsumer;
import io.tern.client.TernConsumerOptions;
import io.tern.client.TernMessage;
import io.tern.client.TernProducer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tern's Vert.x reactive client and the official RocketMQ 4.9.8 client understand each other through the broker:
 * what one sends (tags, keys, user properties, compressed bodies, unique ids) the other receives unchanged.
 */
class ClientInteropTest extends EmbeddedTernTestBase {
    private static final int COUNT = 20;
    /** Over the clients' 4 KiB threshold, so both compress it (zlib, sysFlag 0x301). */
    private static final String LARGE = "interop ".repeat(1300);

    private Vertx vertx;
    private TernClient ternClient;

    @BeforeEach
    void startClient() {
        vertx = Vertx.vertx();
        ternClient = TernClient.create(vertx, new TernClientOptions().setNamesrvAddr(tern.namesrvAddr())
                .setInstanceName(Clients.unique("tern-client")));
    }

    @AfterEach
    void stopClient() throws Exception {
        ternClient.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static String body(int i) {
        return i % 5 == 0 ? LARGE + i : "small " + i;
    }

    @Test
    void ternProducerToOfficialPushConsumer() throws Exception {
        String topic = Clients.unique("InteropA");
        TernProducer producer = ternClient.createProducer(Clients.unique("PG"));
        Map<String, SendResult> sent = new HashMap<>();
        for (int i = 0; i < COUNT; i++) {
            TernMessage m = TernMessage.of(topic, body(i)).setTags("Tag" + (i % 2)).setKeys("k" + i, "other" + i)
                    .putProperty("index", Integer.toString(i));
            SendResult r = producer.send(m).await(10, TimeUnit.SECONDS);
            assertEquals(SendStatus.SEND_OK, r.status());
            sent.put(r.msgId(), r);
        }

        Map<String, MessageExt> got = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently)
                    (msgs, ctx) -> {
                        msgs.forEach(m -> got.put(m.getMsgId(), m));
                        return org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                    });
            consumer.start();
            Await.until(COUNT + " messages at the official consumer", 60_000, () -> got.size() >= COUNT,
                    () -> "received " + got.size());
        } finally {
            Clients.shutdown(consumer);
        }
        assertEquals(sent.keySet(), got.keySet(), "the official client sees the reactive client's unique ids");
        for (MessageExt m : got.values()) {
            int i = Integer.parseInt(m.getUserProperty("index"));
            assertEquals(body(i), new String(m.getBody(), StandardCharsets.UTF_8), "body " + i);
            assertEquals("Tag" + (i % 2), m.getTags());
            assertEquals("k" + i + " other" + i, m.getKeys());
            assertEquals(sent.get(m.getMsgId()).offsetMsgId(),
                    ((org.apache.rocketmq.common.message.MessageClientExt) m).getOffsetMsgId());
        }
    }

    @Test
    void officialProducerToTernConsumer() throws Exception {
        String topic = Clients.unique("InteropB");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        Map<String, Integer> sentIds = new HashMap<>();
        try {
            producer.start();
            for (int i = 0; i < COUNT; i++) {
                Message m = new Message(topic, "Tag" + (i % 2), "k" + i + " other" + i,
                        body(i).getBytes(StandardCharsets.UTF_8));
                m.putUserProperty("index", Integer.toString(i));
                sentIds.put(producer.send(m).getMsgId(), i);
            }
        } finally {
            Clients.shutdown(producer);
        }

        Map<String, TernMessage> got = new ConcurrentHashMap<>();
        TernConsumer consumer = ternClient.createConsumer(Clients.unique("TCG"), new TernConsumerOptions()
                .setConsumeFromWhere(TernConsumerOptions.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET));
        consumer.subscribe(topic, "Tag0 || Tag1").handler(m -> {
            got.put(m.msgId(), m);
            return Future.succeededFuture();
        });
        consumer.start().await(30, TimeUnit.SECONDS);
        Await.until(COUNT + " messages at the reactive consumer", 60_000, () -> got.size() >= COUNT,
                () -> "received " + got.size());
        consumer.close().await(10, TimeUnit.SECONDS);

        assertEquals(sentIds.keySet(), got.keySet(), "the reactive client sees the official client's unique ids");
        for (Map.Entry<String, TernMessage> e : got.entrySet()) {
            int i = sentIds.get(e.getKey());
            TernMessage m = e.getValue();
            assertEquals(body(i), m.body().toString(StandardCharsets.UTF_8), "body " + i);
            assertEquals("Tag" + (i % 2), m.tags());
            assertEquals(List.of("k" + i, "other" + i), m.keys());
            assertEquals(Integer.toString(i), m.property("index"));
            assertEquals(topic, m.topic());
            assertTrue(m.storeTimestamp() >= m.bornTimestamp());
        }
    }
}
