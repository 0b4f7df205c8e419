package io.tern.it5;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.AckCallback;
import org.apache.rocketmq.client.consumer.AckResult;
import org.apache.rocketmq.client.consumer.PopCallback;
import org.apache.rocketmq.client.consumer.PopResult;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.header.AckMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.ChangeInvisibleTimeRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.ExtraInfoUtil;
import org.apache.rocketmq.remoting.protocol.header.PopMessageRequestHeader;

/**
 * The 5.3.3 client's own pop API ({@link MQClientAPIImpl#popMessageAsync}, ackMessageAsync,
 * changeInvisibleTimeAsync), made synchronous for tests; the client instance is a started producer's.
 */
final class PopClient implements AutoCloseable {
    private static final long TIMEOUT_MS = 30_000;
    private final DefaultMQProducer owner;
    private final MQClientAPIImpl api;
    final String brokerName;
    final String brokerAddr;

    PopClient(String namesrvAddr, String instance, String brokerName, String brokerAddr) throws Exception {
        owner = new DefaultMQProducer("PopClientOwner_" + instance);
        owner.setNamesrvAddr(namesrvAddr);
        owner.setInstanceName(instance);
        owner.start();
        api = owner.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl();
        this.brokerName = brokerName;
        this.brokerAddr = brokerAddr;
    }

    MQClientAPIImpl api() {
        return api;
    }

    /** Pops from every queue (-1) of the topic, waiting up to {@code pollMs} for a message. */
    PopResult pop(String topic, String group, int max, long invisibleMs, long pollMs, boolean order)
            throws Exception {
        PopMessageRequestHeader h = new PopMessageRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(topic);
        h.setQueueId(-1);
        h.setMaxMsgNums(max);
        h.setInvisibleTime(invisibleMs);
        h.setPollTime(pollMs);
        h.setBornTime(System.currentTimeMillis());
        h.setInitMode(0);
        h.setExpType("TAG");
        h.setExp("*");
        h.setOrder(order);
        CompletableFuture<PopResult> result = new CompletableFuture<>();
        api.popMessageAsync(brokerName, brokerAddr, h, pollMs + TIMEOUT_MS, new PopCallback() {
            @Override
            public void onSuccess(PopResult popResult) {
                result.complete(popResult);
            }

            @Override
            public void onException(Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(pollMs + TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    static List<MessageExt> found(PopResult r) {
        return r.getMsgFoundList() == null ? List.of() : r.getMsgFoundList();
    }

    AckResult ack(MessageExt m, String group) throws Exception {
        String extraInfo = m.getProperty(MessageConst.PROPERTY_POP_CK);
        String[] x = ExtraInfoUtil.split(extraInfo);
        AckMessageRequestHeader h = new AckMessageRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(ExtraInfoUtil.getRealTopic(x, m.getTopic(), group));
        h.setQueueId(ExtraInfoUtil.getQueueId(x));
        h.setOffset(ExtraInfoUtil.getQueueOffset(x));
        h.setExtraInfo(extraInfo);
        CompletableFuture<AckResult> result = new CompletableFuture<>();
        api.ackMessageAsync(brokerAddr, TIMEOUT_MS, callback(result), h);
        return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    AckResult changeInvisibleTime(MessageExt m, String group, long invisibleMs) throws Exception {
        String extraInfo = m.getProperty(MessageConst.PROPERTY_POP_CK);
        String[] x = ExtraInfoUtil.split(extraInfo);
        ChangeInvisibleTimeRequestHeader h = new ChangeInvisibleTimeRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(ExtraInfoUtil.getRealTopic(x, m.getTopic(), group));
        h.setQueueId(ExtraInfoUtil.getQueueId(x));
        h.setOffset(ExtraInfoUtil.getQueueOffset(x));
        h.setExtraInfo(extraInfo);
        h.setInvisibleTime(invisibleMs);
        CompletableFuture<AckResult> result = new CompletableFuture<>();
        api.changeInvisibleTimeAsync(brokerName, brokerAddr, h, TIMEOUT_MS, callback(result));
        return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private static AckCallback callback(CompletableFuture<AckResult> result) {
        return new AckCallback() {
            @Override
            public void onSuccess(AckResult ackResult) {
                result.complete(ackResult);
            }

            @Override
            public void onException(Throwable e) {
                result.completeExceptionally(e);
            }
        };
    }

    @Override
    public void close() {
        owner.shutdown();
    }
}
