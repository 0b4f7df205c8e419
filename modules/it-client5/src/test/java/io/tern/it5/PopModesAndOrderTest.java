package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.AckCallback;
import org.apache.rocketmq.client.consumer.AckResult;
import org.apache.rocketmq.client.consumer.AckStatus;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.message.MessageQueueAssignment;
import org.apache.rocketmq.common.message.MessageRequestMode;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.header.NotificationRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.NotificationResponseHeader;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.Test;

/**
 * The request-mode switch as {@code mqadmin setConsumeMode} sends it (the client call its admin makes), broker-side assignment in PULL mode, ordered
 * pop, batch acks and NOTIFICATION, with the 5.3.3 client and tools.
 */
class PopModesAndOrderTest extends EmbeddedPopTest {

    static void sendToQueue(String topic, String key, int queueId) throws Exception {
        Message m = new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8));
        assertEquals(SendStatus.SEND_OK, producer.send(m, (mqs, msg, arg) -> mqs.get(queueId), null)
                .getSendStatus());
    }

    @Test
    void setConsumeModeAsMqadminSendsItSwitchesTheAssignmentToPop() throws Exception {
        String topic = unique("ModeT");
        String group = unique("ModeCG");
        sendToQueue(topic, "x", 0);
        // what `mqadmin setConsumeMode -b <addr> -t <topic> -g <group> -m POP -q 0` sends
        // (SetConsumeModeSubCommand -> DefaultMQAdminExt.setMessageRequestMode -> this call)
        pops.api().setMessageRequestMode(tern.brokerAddr(), topic, group, MessageRequestMode.POP, 0, 5_000);

        Set<MessageQueueAssignment> assigned = pops.api().queryAssignment(tern.brokerAddr(), topic, group,
                "client-1", "AVG", MessageModel.CLUSTERING, 5_000);
        assertEquals(1, assigned.size());
        MessageQueueAssignment a = assigned.iterator().next();
        assertEquals(MessageRequestMode.POP, a.getMode());
        assertEquals(new MessageQueue(topic, tern.brokerName(), -1), a.getMessageQueue());

        pops.api().setMessageRequestMode(tern.brokerAddr(), topic, group, MessageRequestMode.PULL, 0, 5_000);
        assertNull(pops.api().queryAssignment(tern.brokerAddr(), topic, group, "client-1", "AVG",
                MessageModel.CLUSTERING, 5_000), "PULL allocates among the group's members, and it has none online");
    }

    @Test
    void pullModeAssignmentSplitsTheQueuesBetweenConsumers() throws Exception {
        String topic = unique("AssignT");
        String group = unique("AssignCG");
        sendToQueue(topic, "k-0", 0);
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        try {
            for (int c = 0; c < 2; c++) {
                DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
                consumer.setNamesrvAddr(tern.namesrvAddr());
                consumer.setInstanceName(unique("assign"));
                consumer.setClientRebalance(false);
                consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                    msgs.forEach(m -> deliveries.computeIfAbsent(m.getKeys(), k -> new AtomicInteger())
                            .incrementAndGet());
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
                consumer.start();
                consumers.add(consumer);
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && consumers.stream().mapToLong(c -> c
                    .getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().keySet().stream()
                    .filter(mq -> mq.getTopic().equals(topic)).count()).sum() != 4) {
                Thread.sleep(50);
            }
            for (DefaultMQPushConsumer c : consumers) {
                assertEquals(2, c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().keySet()
                        .stream().filter(mq -> mq.getTopic().equals(topic)).count(), "AVG gives each two queues");
            }
            for (int i = 1; i < 40; i++) {
                sendToQueue(topic, "k-" + i, i % 4);
            }
            deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && deliveries.size() < 40) {
                Thread.sleep(50);
            }
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                if (!deliveries.containsKey("k-" + i)) {
                    missing.add("k-" + i);
                }
            }
            assertEquals(List.of(), missing, "not consumed");
            deliveries.forEach((k, n) -> assertEquals(1, n.get(), k));
        } finally {
            consumers.forEach(DefaultMQPushConsumer::shutdown);
        }
    }

    @Test
    void orderedPopLocksTheQueueUntilTheBatchIsAcknowledged() throws Exception {
        String topic = unique("OrderT");
        String group = unique("OrderCG");
        for (String k : List.of("o-1", "o-2", "o-3")) {
            sendToQueue(topic, k, 1);
        }
        long invisibleMs = 2_000;
        List<MessageExt> batch = PopClient.found(pops.pop(topic, group, 32, invisibleMs, 1_000, true));
        assertEquals(List.of("o-1", "o-2", "o-3"), batch.stream().map(MessageExt::getKeys).toList());
        batch.forEach(m -> assertEquals(0, m.getReconsumeTimes()));
        long poppedAt = System.currentTimeMillis();
        assertEquals(AckStatus.OK, pops.ack(batch.get(0), group).getStatus());
        sendToQueue(topic, "o-4", 1);
        assertEquals(List.of(), PopClient.found(pops.pop(topic, group, 32, invisibleMs, 500, true)),
                "the queue stays locked while the batch is not fully acknowledged");

        List<MessageExt> again = List.of();
        long deadline = System.currentTimeMillis() + 30_000;
        while (again.isEmpty() && System.currentTimeMillis() < deadline) {
            again = PopClient.found(pops.pop(topic, group, 32, invisibleMs, 1_000, true));
        }
        assertTrue(System.currentTimeMillis() - poppedAt >= invisibleMs, "not before the invisible time");
        assertEquals(List.of("o-1", "o-2", "o-3", "o-4"), again.stream().map(MessageExt::getKeys).toList(),
                "the same messages in the same order (the offset moves only with a complete batch)");
        assertEquals(List.of(1, 1, 1, 0), again.stream().map(MessageExt::getReconsumeTimes).toList());
        for (MessageExt m : again) {
            assertEquals(AckStatus.OK, pops.ack(m, group).getStatus());
        }
        sendToQueue(topic, "o-5", 1);
        List<MessageExt> next = PopClient.found(pops.pop(topic, group, 32, invisibleMs, 5_000, true));
        assertEquals(List.of("o-5"), next.stream().map(MessageExt::getKeys).toList());
    }

    @Test
    void batchAckAcknowledgesEveryMessage() throws Exception {
        String topic = unique("BatchAckT");
        String group = unique("BatchAckCG");
        for (int i = 0; i < 6; i++) {
            sendToQueue(topic, "b-" + i, i % 2);
        }
        long invisibleMs = 1_500;
        List<MessageExt> popped = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (popped.size() < 6 && System.currentTimeMillis() < deadline) {
            popped.addAll(PopClient.found(pops.pop(topic, group, 32, invisibleMs, 1_000, false)));
        }
        assertEquals(6, popped.size());
        CompletableFuture<AckResult> acked = new CompletableFuture<>();
        pops.api().batchAckMessageAsync(tern.brokerAddr(), 5_000, new AckCallback() {
            @Override
            public void onSuccess(AckResult r) {
                acked.complete(r);
            }

            @Override
            public void onException(Throwable e) {
                acked.completeExceptionally(e);
            }
        }, topic, group, popped.stream().map(m -> m.getProperty(MessageConst.PROPERTY_POP_CK)).toList());
        assertEquals(AckStatus.OK, acked.get(10, TimeUnit.SECONDS).getStatus());
        long quietUntil = System.currentTimeMillis() + 3 * invisibleMs;
        while (System.currentTimeMillis() < quietUntil) {
            List<MessageExt> back = PopClient.found(pops.pop(topic, group, 32, invisibleMs, 1_000, false));
            assertTrue(back.isEmpty(), "acknowledged in a batch, not revived: " + back);
        }
    }

    @Test
    void notificationWaitsForAMessage() throws Exception {
        String topic = unique("NotifyT");
        String group = unique("NotifyCG");
        sendToQueue(topic, "first", 0);
        assertEquals(1, PopClient.found(pops.pop(topic, group, 32, 60_000, 1_000, false)).size());

        assertEquals(false, notification(topic, group, 300), "nothing left to pop");
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return notification(topic, group, 20_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (!waiting.isDone() && pollingNum(topic, group) == 0) {
            Thread.sleep(20);
        }
        sendToQueue(topic, "second", 2);
        assertEquals(true, waiting.get(30, TimeUnit.SECONDS), "woken by the arrival");
    }

    private static boolean notification(String topic, String group, long pollMs) throws Exception {
        NotificationRequestHeader h = new NotificationRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(topic);
        h.setQueueId(-1);
        h.setPollTime(pollMs);
        h.setBornTime(System.currentTimeMillis());
        RemotingCommand req = RemotingCommand.createRequestCommand(RequestCode.NOTIFICATION, h);
        RemotingCommand resp = pops.api().getRemotingClient().invokeSync(tern.brokerAddr(), req, pollMs + 10_000);
        assertEquals(ResponseCode.SUCCESS, resp.getCode(), resp.getRemark());
        NotificationResponseHeader rh = (NotificationResponseHeader) resp
                .decodeCommandCustomHeader(NotificationResponseHeader.class);
        return rh.isHasMsg();
    }

    private static int pollingNum(String topic, String group) throws Exception {
        org.apache.rocketmq.remoting.protocol.header.PollingInfoRequestHeader h =
                new org.apache.rocketmq.remoting.protocol.header.PollingInfoRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(topic);
        h.setQueueId(-1);
        RemotingCommand resp = pops.api().getRemotingClient().invokeSync(tern.brokerAddr(),
                RemotingCommand.createRequestCommand(RequestCode.POLLING_INFO, h), 5_000);
        assertEquals(ResponseCode.SUCCESS, resp.getCode(), resp.getRemark());
        return ((org.apache.rocketmq.remoting.protocol.header.PollingInfoResponseHeader) resp
                .decodeCommandCustomHeader(org.apache.rocketmq.remoting.protocol.header.PollingInfoResponseHeader.class))
                .getPollingNum();
    }
}
