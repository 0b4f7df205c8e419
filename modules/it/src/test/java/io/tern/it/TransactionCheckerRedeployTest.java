package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.transaction.TransactionCheckVerticle;
import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction checker is a verticle that can be undeployed and deployed again without losing a check-back:
 * a half message stored before the undeploy and one stored while no checker listened are both checked by the new
 * checker, and the official client's TransactionListener answer (commit) delivers them.
 *
 * <p>Nothing is due before the test says so: the transaction timeout starts at 10 minutes (and the safety round's
 * interval too), so no check can happen before the undeploy; the timeout is then set to 0 through
 * UPDATE_BROKER_CONFIG, and only the redeployed checker's first round can ask the producer.
 */
class TransactionCheckerRedeployTest {
    @TempDir
    Path storeRoot;

    @Test
    void aRedeployedCheckerResumesCheckBacksWithoutLoss() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot)
                .broker("transactionCheckIntervalMs", 600_000)
                .broker("transactionTimeOutMs", 600_000))) {
            String topic = Clients.unique("TxRedeploy");
            Set<String> checked = ConcurrentHashMap.newKeySet();
            Set<String> received = ConcurrentHashMap.newKeySet();
            TransactionMQProducer producer = new TransactionMQProducer(Clients.unique("TXG"));
            producer.setNamesrvAddr(tern.namesrvAddr());
            producer.setInstanceName(Clients.unique("tx"));
            producer.setHeartbeatBrokerInterval(1_000); // the broker asks only producers it has heard from
            producer.setTransactionListener(new TransactionListener() {
                @Override
                public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                    return LocalTransactionState.UNKNOW;
                }

                @Override
                public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                    checked.add(msg.getKeys());
                    return LocalTransactionState.COMMIT_MESSAGE;
                }
            });
            DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
            DefaultMQAdminExt admin = Clients.admin(tern.namesrvAddr());
            try {
                producer.start();
                admin.start();
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                    msgs.forEach(m -> received.add(m.getKeys()));
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
                consumer.start();

                sendHalf(producer, topic, "before-undeploy");
                Await.until("the broker knows the producer", 60_000, () -> knowsProducer(admin, producer, topic));
                String checker = Deployments.idOf(tern.vertx(), TransactionCheckVerticle.class);
                tern.vertx().undeploy(checker).await(30, TimeUnit.SECONDS);
                sendHalf(producer, topic, "while-undeployed");

                Properties due = new Properties();
                due.setProperty("transactionTimeOutMs", "0");
                admin.updateBrokerConfig(tern.brokerAddr(), due);
                assertTrue(checked.isEmpty(), "no check before the redeploy: " + checked);

                tern.broker().deployTransactionChecker().await(30, TimeUnit.SECONDS);
                Await.until("both check-backs and both commits delivered", 60_000,
                        () -> received.containsAll(Set.of("before-undeploy", "while-undeployed")),
                        () -> "checked " + checked + ", received " + received);
                assertEquals(Set.of("before-undeploy", "while-undeployed"), checked);
            } finally {
                Clients.shutdown(consumer, admin);
                producer.shutdown();
            }
        }
    }

    private static boolean knowsProducer(DefaultMQAdminExt admin, TransactionMQProducer producer, String topic) {
        try {
            return !admin.examineProducerConnectionInfo(producer.getProducerGroup(), topic).getConnectionSet()
                    .isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    private static void sendHalf(TransactionMQProducer producer, String topic, String key) throws Exception {
        var result = producer.sendMessageInTransaction(
                new Message(topic, "TagT", key, key.getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(SendStatus.SEND_OK, result.getSendStatus(), "half message stored");
        assertEquals(LocalTransactionState.UNKNOW, result.getLocalTransactionState());
    }
}
