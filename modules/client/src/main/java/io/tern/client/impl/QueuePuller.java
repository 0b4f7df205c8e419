package io.tern.client.impl;

import io.tern.client.TernMessage;
import io.tern.common.message.MessageConst;
import io.tern.common.message.PullSysFlag;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SubscriptionData;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull loop of one owned queue (spec 3.4.1, 7.2): long-polling PULL_MESSAGE (SUSPEND, plus COMMIT_OFFSET with
 * the queue's commit offset in CLUSTERING), client-side tag re-filter, hand-over to the handler in queue order, and
 * acknowledgement bookkeeping. It stops pulling while the consumer is paused or while
 * {@code maxInFlightPerQueue} messages are unacknowledged, and resumes when that clears (back-pressure).
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class QueuePuller {
    private static final Logger LOG = LoggerFactory.getLogger(QueuePuller.class);

    final MessageQueue mq;
    private final ConsumerImpl consumer;
    private final ProcessQueue processQueue = new ProcessQueue();
    /** Pulled, matching, not yet handed to the handler, in queue order. */
    private final Deque<TernMessage> ready = new ArrayDeque<>();
    private long nextOffset = -1;
    private boolean pullInFlight;
    private long retryTimer = -1;
    private int handling;
    private boolean delivering;
    private boolean stopped;

    QueuePuller(ConsumerImpl consumer, MessageQueue mq) {
        this.consumer = consumer;
        this.mq = mq;
    }

    void start(long offset) {
        if (stopped) {
            return;
        }
        nextOffset = offset;
        processQueue.reset(offset);
        consumer.offsets.update(mq, offset);
        pullIfAllowed();
    }

    boolean isStarted() {
        return nextOffset >= 0;
    }

    void stop() {
        stopped = true;
        if (retryTimer != -1) {
            consumer.ctx().cancelTimer(retryTimer);
            retryTimer = -1;
        }
        ready.clear();
    }

    boolean isStopped() {
        return stopped;
    }

    long commitOffset() {
        return processQueue.commitOffset();
    }

    /** Issues the next pull unless one is in flight, a retry is scheduled, the consumer is paused or we are full. */
    void pullIfAllowed() {
        if (stopped || nextOffset < 0 || pullInFlight || retryTimer != -1 || consumer.isPaused()
                || processQueue.size() >= consumer.options.getMaxInFlightPerQueue()) {
            return;
        }
        String addr = consumer.routes().masterAddr(mq.brokerName);
        SubscriptionData sub = consumer.subscription(mq.topic);
        if (addr == null || sub == null) {
            retryLater();
            return;
        }
        long commitOffset = consumer.isClustering() ? processQueue.commitOffset() : 0;
        int sysFlag = PullSysFlag.SUSPEND | (commitOffset > 0 ? PullSysFlag.COMMIT_OFFSET : 0);
        RemotingCommand req = RemotingCommand.request(RequestCode.PULL_MESSAGE)
                .put("consumerGroup", consumer.group())
                .put("topic", mq.topic)
                .put("queueId", mq.queueId)
                .put("queueOffset", nextOffset)
                .put("maxMsgNums", consumer.options.getPullBatchSize())
                .put("sysFlag", sysFlag)
                .put("commitOffset", commitOffset)
                .put("suspendTimeoutMillis", consumer.options.getPullSuspendMs())
                .put("subVersion", sub.subVersion)
                .put("expressionType", SubscriptionData.TAG);
        pullInFlight = true;
        consumer.calls().invoke(addr, req, consumer.options.getPullTimeoutMs()).onComplete(this::onPulled);
    }

    private void onPulled(AsyncResult<RemotingCommand> ar) {
        pullInFlight = false;
        if (stopped) {
            return;
        }
        if (ar.failed()) {
            LOG.debug("pull of {} failed: {}", mq, ar.cause().toString());
            retryLater();
            return;
        }
        RemotingCommand resp = ar.result();
        switch (resp.code()) {
            case ResponseCode.SUCCESS -> {
                long next = resp.extLong("nextBeginOffset", nextOffset);
                if (resp.body() != null) {
                    accept(StoredMessageDecoder.decodeAll(resp.body(), mq.brokerName));
                }
                advanceTo(next);
                deliver();
            }
            case ResponseCode.PULL_NOT_FOUND, ResponseCode.PULL_RETRY_IMMEDIATELY, ResponseCode.PULL_OFFSET_MOVED ->
                    advanceTo(resp.extLong("nextBeginOffset", nextOffset));
            default -> {
                LOG.debug("pull of {} answered {} {}", mq, resp.code(), resp.remark());
                retryLater();
                return;
            }
        }
        pullIfAllowed();
    }

    private void accept(List<TernMessage> messages) {
        SubscriptionData sub = consumer.subscription(mq.topic);
        for (TernMessage m : messages) {
            if (m.queueOffset() < nextOffset) {
                continue;
            }
            if (SystemNames.isRetryTopic(m.topic())) {
                String origin = m.property(MessageConst.RETRY_TOPIC);
                if (origin != null) {
                    m.setTopic(origin);
                }
            }
            if (sub != null && !sub.tagsSet.isEmpty() && (m.tags() == null || !sub.tagsSet.contains(m.tags()))) {
                continue;
            }
            processQueue.add(m);
            ready.add(m);
        }
    }

    private void advanceTo(long next) {
        nextOffset = next;
        processQueue.pulledUpTo(next);
        consumer.offsets.update(mq, processQueue.commitOffset());
    }

    private void retryLater() {
        if (retryTimer == -1 && !stopped) {
            retryTimer = consumer.ctx().setTimer(consumer.options.getPullRetryDelayMs(), () -> {
                retryTimer = -1;
                pullIfAllowed();
            });
        }
    }

    /** Hands ready messages to the handler in order, unless paused (orderly: one at a time). */
    void deliver() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (!stopped && !consumer.isPaused() && !ready.isEmpty()
                    && !(consumer.options.isOrderly() && handling > 0)) {
                TernMessage m = ready.poll();
                handling++;
                consumer.ctx().onContext(consumer.invokeHandler(m)).onComplete(ar -> onHandled(m, ar.succeeded()));
            }
        } finally {
            delivering = false;
        }
    }

    private void onHandled(TernMessage m, boolean succeeded) {
        if (stopped) {
            return;
        }
        if (succeeded) {
            ack(m);
        } else if (!consumer.isClustering()) {
            // as the official client: a broadcast message is nobody else's to retry, and the group's %RETRY% topic
            // is not consumed in this mode
            LOG.warn("broadcast message {} of {} failed in the handler and is dropped", m.msgId(), mq);
            ack(m);
        } else if (consumer.options.isOrderly()) {
            // keep the queue blocked and retry in place: sending back would let later messages overtake this one
            redeliverLater(m);
        } else {
            consumer.sendBack(m).recover(e -> {
                LOG.debug("send-back of {} failed ({}), re-sending it to the retry topic", m.msgId(), e.toString());
                return consumer.resendToRetryTopic(m);
            }).onComplete(sent -> {
                if (stopped) {
                    return;
                }
                if (sent.succeeded()) {
                    ack(m);
                } else {
                    LOG.warn("retry of {} failed ({}), redelivering locally", m.msgId(), sent.cause().toString());
                    redeliverLater(m);
                }
            });
        }
    }

    private void redeliverLater(TernMessage m) {
        consumer.ctx().setTimer(consumer.options.getPullRetryDelayMs(), () -> {
            handling--;
            if (!stopped) {
                ready.addFirst(m);
                deliver();
            }
        });
    }

    private void ack(TernMessage m) {
        handling--;
        processQueue.ack(m.queueOffset());
        consumer.offsets.update(mq, processQueue.commitOffset());
        deliver();
        pullIfAllowed();
    }

    /** Called on resume. */
    void kick() {
        deliver();
        pullIfAllowed();
    }
}
