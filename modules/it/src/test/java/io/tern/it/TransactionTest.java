package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactional messages: commit is delivered, rollback never is, and an unknown outcome is resolved by the broker's
 * CHECK_TRANSACTION_STATE call-back (check interval shortened to 1 s for the test).
 */
class TransactionTest {
    @TempDir
    static Path storeRoot;
    static EmbeddedTern tern;

    @BeforeAll
    static void start() {
        tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot)
                .broker("transactionCheckIntervalMs", 1_000)
                .broker("transactionTimeOutMs", 1_000));
    }

    @AfterAll
    static void stop() {
        if (tern != null) {
            tern.close();
        }
    }

    @Test
    void commitRollbackAndCheckBack() throws Exception {
        String topic = Clients.unique("Tx");
        Set<String> checked = ConcurrentHashMap.newKeySet();
        TransactionMQProducer producer = new TransactionMQProducer(Clients.unique("TXG"));
        producer.setNamesrvAddr(tern.namesrvAddr());
        producer.setInstanceName(Clients.unique("tx"));
        producer.setTransactionListener(new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                return switch (msg.getKeys()) {
                    case "commit" -> LocalTransactionState.COMMIT_MESSAGE;
                    case "rollback" -> LocalTransactionState.ROLLBACK_MESSAGE;
                    default -> LocalTransactionState.UNKNOW;
                };
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                checked.add(msg.getKeys());
                return LocalTransactionState.COMMIT_MESSAGE;
            }
        });
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        Set<String> received = ConcurrentHashMap.newKeySet();
        try {
            producer.start();
            producer.send(new Message(topic, "TagA", "plain", "p".getBytes(StandardCharsets.UTF_8)));
            for (String key : new String[] {"commit", "rollback", "unknown"}) {
                producer.sendMessageInTransaction(new Message(topic, "TagA", key,
                        key.getBytes(StandardCharsets.UTF_8)), null);
            }
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently)
                    (msgs, ctx) -> {
                        msgs.forEach(m -> received.add(m.getKeys()));
                        return org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                    });
            consumer.start();
            Await.until("the committed message", 30_000, () -> received.contains("commit"), received::toString);
            Await.until("the checked-back message", 60_000, () -> received.contains("unknown"),
                    () -> "received " + received + ", checked " + checked);
            assertTrue(checked.contains("unknown"), "the broker asked the producer about the unknown one");
            assertFalse(checked.contains("commit"), "a committed message is not checked");
            Await.sleep(1_000);
            assertFalse(received.contains("rollback"), "rolled back: never delivered");
            assertEquals(Set.of("plain", "commit", "unknown"), received);
        } finally {
            Clients.shutdown(consumer);
            producer.shutdown();
        }
    }
}
