package io.tern.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;

/** Collects what a push consumer receives, keyed by the client message id, and counts duplicates. */
final class Received implements MessageListenerConcurrently {
    final Map<String, MessageExt> byMsgId = new ConcurrentHashMap<>();
    final List<String> duplicates = new CopyOnWriteArrayList<>();
    final List<MessageExt> inOrder = new CopyOnWriteArrayList<>();

    @Override
    public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> msgs,
            org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext context) {
        for (MessageExt msg : msgs) {
            if (byMsgId.putIfAbsent(msg.getMsgId(), msg) != null) {
                duplicates.add(msg.getMsgId());
            }
            inOrder.add(msg);
        }
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    }

    void clear() {
        byMsgId.clear();
        duplicates.clear();
        inOrder.clear();
    }

    int count() {
        return byMsgId.size();
    }

    List<MessageExt> all() {
        return new ArrayList<>(byMsgId.values());
    }
}
