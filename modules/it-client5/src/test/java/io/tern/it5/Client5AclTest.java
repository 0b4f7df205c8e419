package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.RPCHook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 5.x remoting client's {@code AclClientRPCHook} signs the way Tern checks: sends (single and batch) and consumes. */
class Client5AclTest {
    static final String RULES = """
            accounts:
              - accessKey: five-user
                secretKey: five-secret
                defaultTopicPerm: PUB|SUB
                defaultGroupPerm: SUB
            """;

    @TempDir
    static Path dir;
    static EmbeddedTern tern;

    @BeforeAll
    static void start() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl.yaml"), RULES);
        tern = EmbeddedTern.start(new EmbeddedTernOptions(dir.resolve("store"))
                .nameServer("aclEnable", true).nameServer("aclFile", acl.toString())
                .broker("aclEnable", true).broker("aclFile", acl.toString()));
    }

    @AfterAll
    static void stop() {
        if (tern != null) {
            tern.close();
        }
    }

    static DefaultMQProducer producer(RPCHook hook) {
        DefaultMQProducer producer = new DefaultMQProducer(Client5ProduceConsumeTest.unique("PG"), hook);
        producer.setNamesrvAddr(tern.namesrvAddr());
        producer.setInstanceName(Client5ProduceConsumeTest.unique("p"));
        producer.setSendMsgTimeout(10_000);
        return producer;
    }

    @Test
    void signedClientsProduceAndConsume() throws Exception {
        RPCHook hook = new AclClientRPCHook(new SessionCredentials("five-user", "five-secret"));
        String topic = Client5ProduceConsumeTest.unique("C5Acl");
        DefaultMQProducer producer = producer(hook);
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(Client5ProduceConsumeTest.unique("CG"), hook,
                new AllocateMessageQueueAveragely());
        consumer.setNamesrvAddr(tern.namesrvAddr());
        consumer.setInstanceName(Client5ProduceConsumeTest.unique("c"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Set<String> received = ConcurrentHashMap.newKeySet();
        try {
            producer.start();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Message m = new Message(topic, "TagA", "single-" + i, ("s" + i).getBytes(StandardCharsets.UTF_8));
                assertEquals(SendStatus.SEND_OK, producer.send(m).getSendStatus());
                keys.add("single-" + i);
            }
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batch.add(new Message(topic, "TagA", "batch-" + i, ("b" + i).getBytes(StandardCharsets.UTF_8)));
                keys.add("batch-" + i);
            }
            assertEquals(SendStatus.SEND_OK, producer.send(batch).getSendStatus());
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                msgs.forEach(m -> received.add(m.getKeys()));
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!received.containsAll(keys) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(received.containsAll(keys), "received " + received.size() + " of " + keys.size());
        } finally {
            consumer.shutdown();
            producer.shutdown();
        }
    }

    @Test
    void aWrongSecretIsRefusedWithNoPermission() throws Exception {
        DefaultMQProducer producer = producer(new AclClientRPCHook(new SessionCredentials("five-user", "not-it-at-all")));
        try {
            producer.start();
            MQClientException e = assertThrows(MQClientException.class, () -> producer.getDefaultMQProducerImpl()
                    .getmQClientFactory().getMQClientAPIImpl().getTopicRouteInfoFromNameServer("TBW102", 10_000));
            assertEquals(16, e.getResponseCode(), String.valueOf(e));
            assertTrue(e.getErrorMessage().contains("signature check failed for accessKey five-user"),
                    e.getErrorMessage());
        } finally {
            producer.shutdown();
        }
    }
}
