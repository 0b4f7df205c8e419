package io.tern.client.impl;

import io.tern.client.MessageQueueSelector;
import io.tern.client.SendResult;
import io.tern.client.SendStatus;
import io.tern.client.TernClientException;
import io.tern.client.TernMessage;
import io.tern.client.TernProducer;
import io.tern.client.impl.SendRequestEncoder.PreparedMessage;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link TernProducer}: queue selection, retries on another queue, response mapping (spec 2.2, 3.3.1).
 *
 * <p>Thread contract: public methods hop onto the client's context; everything else runs there.
 */
final class ProducerImpl implements TernProducer {
    /** Codes after which the official client re-sends on another queue: 4.9.x set plus 5.x's SYSTEM_BUSY. */
    private static final Set<Integer> RETRY_CODES = Set.of(ResponseCode.TOPIC_NOT_EXIST,
            ResponseCode.SERVICE_NOT_AVAILABLE, ResponseCode.SYSTEM_ERROR, ResponseCode.NO_PERMISSION, 204, 205,
            ResponseCode.SYSTEM_BUSY);
    static final int RETRIES_WHEN_FAILED = 2;

    private final TernClientImpl client;
    private final String group;
    private boolean closed;

    ProducerImpl(TernClientImpl client, String group) {
        this.client = client;
        this.group = group;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public Future<SendResult> send(TernMessage message) {
        return client.ctx.call(() -> {
            PreparedMessage prepared = prepare(message);
            long deadlineMs = System.currentTimeMillis() + client.calls.requestTimeoutMs;
            return client.routes.publishInfo(message.topic())
                    .compose(info -> attempt(info, prepared, 0, null, deadlineMs));
        });
    }

    @Override
    public Future<SendResult> send(TernMessage message, MessageQueueSelector selector) {
        Objects.requireNonNull(selector, "selector");
        return client.ctx.call(() -> {
            PreparedMessage prepared = prepare(message);
            return client.routes.publishInfo(message.topic()).compose(info -> {
                MessageQueue mq = selector.select(info.queues, message);
                if (mq == null || !info.queues.contains(mq)) {
                    return Future.failedFuture(new TernClientException("selector chose " + mq
                            + ", which is not a writable queue of " + message.topic()));
                }
                return sendTo(mq, prepared, client.calls.requestTimeoutMs);
            });
        });
    }

    @Override
    public Future<SendResult> send(TernMessage message, String shardingKey) {
        Objects.requireNonNull(shardingKey, "shardingKey");
        return send(message, (queues, m) -> queues.get(Math.floorMod(shardingKey.hashCode(), queues.size())));
    }

    @Override
    public Future<Void> sendOneway(TernMessage message) {
        return client.ctx.call(() -> {
            PreparedMessage prepared = prepare(message);
            return client.routes.publishInfo(message.topic()).compose(info -> {
                MessageQueue mq = info.select(null);
                String addr = client.routes.masterAddr(mq.brokerName);
                if (addr == null) {
                    return Future.failedFuture(new TernClientException("no master for " + mq.brokerName));
                }
                return client.calls.oneway(addr, SendRequestEncoder.single(group, prepared, mq, true));
            });
        });
    }

    @Override
    public Future<SendResult> sendBatch(List<TernMessage> messages) {
        return client.ctx.call(() -> {
            checkOpen();
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("empty batch");
            }
            String topic = messages.get(0).topic();
            List<PreparedMessage> prepared = new ArrayList<>(messages.size());
            for (TernMessage m : messages) {
                if (!m.topic().equals(topic)) {
                    throw new IllegalArgumentException("all messages of a batch have one topic: " + topic
                            + " and " + m.topic());
                }
                if (m.delayLevel() > 0 || SystemNames.isRetryTopic(topic)) {
                    throw new IllegalArgumentException("batches allow neither delayed messages nor retry topics");
                }
                prepared.add(SendRequestEncoder.prepare(m, client.ids.next(), false));
            }
            long deadlineMs = System.currentTimeMillis() + client.calls.requestTimeoutMs;
            return client.routes.publishInfo(topic).compose(info -> {
                MessageQueue mq = info.select(null);
                String addr = client.routes.masterAddr(mq.brokerName);
                if (addr == null) {
                    return Future.failedFuture(new TernClientException("no master for " + mq.brokerName));
                }
                RemotingCommand req = SendRequestEncoder.batch(group, prepared, mq);
                List<String> ids = prepared.stream().map(PreparedMessage::uniqKey).toList();
                return client.calls.invoke(addr, req, Math.max(1, deadlineMs - System.currentTimeMillis()))
                        .compose(resp -> result(resp, String.join(",", ids), mq));
            });
        });
    }

    @Override
    public Future<Void> close() {
        return client.ctx.call(() -> {
            if (closed) {
                return Future.succeededFuture();
            }
            closed = true;
            return client.removeProducer(this);
        });
    }

    private PreparedMessage prepare(TernMessage message) {
        checkOpen();
        return SendRequestEncoder.prepare(message, client.ids.next(), true);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("producer " + group + " is closed");
        }
    }

    private Future<SendResult> attempt(TopicPublishInfo info, PreparedMessage m, int attempt, String lastBroker,
                                       long deadlineMs) {
        MessageQueue mq = info.select(lastBroker);
        long remainingMs = deadlineMs - System.currentTimeMillis();
        if (remainingMs <= 0) {
            return Future.failedFuture(new TernClientException("send of " + m.uniqKey() + " timed out after "
                    + attempt + " attempts"));
        }
        return sendTo(mq, m, remainingMs).recover(e -> {
            boolean retryable = !(e instanceof TernClientException tce) || RETRY_CODES.contains(tce.code());
            if (retryable && attempt < RETRIES_WHEN_FAILED && deadlineMs > System.currentTimeMillis()) {
                return attempt(info, m, attempt + 1, mq.brokerName, deadlineMs);
            }
            return Future.failedFuture(e);
        });
    }

    private Future<SendResult> sendTo(MessageQueue mq, PreparedMessage m, long timeoutMs) {
        String addr = client.routes.masterAddr(mq.brokerName);
        if (addr == null) {
            return Future.failedFuture(new TernClientException(ResponseCode.SERVICE_NOT_AVAILABLE,
                    "no master address for " + mq.brokerName));
        }
        return client.calls.invoke(addr, SendRequestEncoder.single(group, m, mq, false), timeoutMs)
                .compose(resp -> result(resp, m.uniqKey(), mq));
    }

    private static Future<SendResult> result(RemotingCommand resp, String msgId, MessageQueue mq) {
        SendStatus status = switch (resp.code()) {
            case ResponseCode.SUCCESS -> SendStatus.SEND_OK;
            case ResponseCode.FLUSH_DISK_TIMEOUT -> SendStatus.FLUSH_DISK_TIMEOUT;
            case ResponseCode.FLUSH_SLAVE_TIMEOUT -> SendStatus.FLUSH_SLAVE_TIMEOUT;
            case ResponseCode.SLAVE_NOT_AVAILABLE -> SendStatus.SLAVE_NOT_AVAILABLE;
            default -> null;
        };
        if (status == null) {
            return Future.failedFuture(new TernClientException(resp.code(), resp.remark()));
        }
        int queueId = resp.extInt("queueId", mq.queueId);
        MessageQueue actual = new MessageQueue(mq.topic, mq.brokerName, queueId);
        return Future.succeededFuture(new SendResult(status, msgId, resp.ext("msgId"), actual,
                resp.extLong("queueOffset", -1)));
    }
}
