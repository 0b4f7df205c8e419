package io.tern.client;

/**
 * Settings of a {@link TernConsumer}; defaults follow the official push consumer (spec 9.1).
 *
 * <p>Not thread-safe: configure, then pass to {@link TernClient#createConsumer}.
 */
public final class TernConsumerOptions {
    /** How a group shares messages. */
    public enum MessageModel { CLUSTERING, BROADCASTING }

    /** Where a queue without a committed offset starts. */
    public enum ConsumeFromWhere { CONSUME_FROM_LAST_OFFSET, CONSUME_FROM_FIRST_OFFSET, CONSUME_FROM_TIMESTAMP }

    private MessageModel messageModel = MessageModel.CLUSTERING;
    private ConsumeFromWhere consumeFromWhere = ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET;
    private long consumeTimestampMs = System.currentTimeMillis() - 30 * 60_000L;
    private int pullBatchSize = 32;
    private long pullSuspendMs = 15_000;
    private long pullTimeoutMs = 30_000;
    private long pullRetryDelayMs = 1_000;
    private int maxInFlightPerQueue = 1_000;
    private boolean orderly;
    private long rebalanceIntervalMs = 20_000;
    private long offsetCommitIntervalMs = 5_000;
    private int retryDelayLevel;
    private int maxReconsumeTimes = 16;

    public MessageModel getMessageModel() {
        return messageModel;
    }

    public TernConsumerOptions setMessageModel(MessageModel messageModel) {
        this.messageModel = messageModel;
        return this;
    }

    public ConsumeFromWhere getConsumeFromWhere() {
        return consumeFromWhere;
    }

    /** Used only for queues the group has no committed offset for (default CONSUME_FROM_LAST_OFFSET). */
    public TernConsumerOptions setConsumeFromWhere(ConsumeFromWhere consumeFromWhere) {
        this.consumeFromWhere = consumeFromWhere;
        return this;
    }

    public long getConsumeTimestampMs() {
        return consumeTimestampMs;
    }

    /** Start time for CONSUME_FROM_TIMESTAMP (default: 30 minutes before the options were made). */
    public TernConsumerOptions setConsumeTimestampMs(long consumeTimestampMs) {
        this.consumeTimestampMs = consumeTimestampMs;
        return this;
    }

    public int getPullBatchSize() {
        return pullBatchSize;
    }

    /** Messages asked for per PULL_MESSAGE (default 32). */
    public TernConsumerOptions setPullBatchSize(int pullBatchSize) {
        this.pullBatchSize = (int) TernClientOptions.positive(pullBatchSize, "pullBatchSize");
        return this;
    }

    public long getPullSuspendMs() {
        return pullSuspendMs;
    }

    /** How long the broker may hold a pull at the end of a queue (default 15000). */
    public TernConsumerOptions setPullSuspendMs(long pullSuspendMs) {
        this.pullSuspendMs = TernClientOptions.positive(pullSuspendMs, "pullSuspendMs");
        return this;
    }

    public long getPullTimeoutMs() {
        return pullTimeoutMs;
    }

    /** Client-side timeout of one (long-polling) pull; must exceed the suspend time (default 30000). */
    public TernConsumerOptions setPullTimeoutMs(long pullTimeoutMs) {
        this.pullTimeoutMs = TernClientOptions.positive(pullTimeoutMs, "pullTimeoutMs");
        return this;
    }

    public long getPullRetryDelayMs() {
        return pullRetryDelayMs;
    }

    /** Pause before pulling a queue again after a failed pull (default 1000). */
    public TernConsumerOptions setPullRetryDelayMs(long pullRetryDelayMs) {
        this.pullRetryDelayMs = TernClientOptions.positive(pullRetryDelayMs, "pullRetryDelayMs");
        return this;
    }

    public int getMaxInFlightPerQueue() {
        return maxInFlightPerQueue;
    }

    /**
     * Back-pressure: a queue stops pulling while this many of its messages are pulled but not yet acknowledged
     * (default 1000, like pullThresholdForQueue).
     */
    public TernConsumerOptions setMaxInFlightPerQueue(int maxInFlightPerQueue) {
        this.maxInFlightPerQueue = (int) TernClientOptions.positive(maxInFlightPerQueue, "maxInFlightPerQueue");
        return this;
    }

    public boolean isOrderly() {
        return orderly;
    }

    /**
     * true = one message of a queue at a time: the next one is handed over only when the handler's future of the
     * previous one completed. false (default) = handed over in queue order without waiting.
     */
    public TernConsumerOptions setOrderly(boolean orderly) {
        this.orderly = orderly;
        return this;
    }

    public long getRebalanceIntervalMs() {
        return rebalanceIntervalMs;
    }

    /** Periodic rebalance (default 20000); brokers also trigger one when the group changes. */
    public TernConsumerOptions setRebalanceIntervalMs(long rebalanceIntervalMs) {
        this.rebalanceIntervalMs = TernClientOptions.positive(rebalanceIntervalMs, "rebalanceIntervalMs");
        return this;
    }

    public long getOffsetCommitIntervalMs() {
        return offsetCommitIntervalMs;
    }

    /** UPDATE_CONSUMER_OFFSET of every owned queue every this many ms (default 5000). */
    public TernConsumerOptions setOffsetCommitIntervalMs(long offsetCommitIntervalMs) {
        this.offsetCommitIntervalMs = TernClientOptions.positive(offsetCommitIntervalMs, "offsetCommitIntervalMs");
        return this;
    }

    public int getRetryDelayLevel() {
        return retryDelayLevel;
    }

    /**
     * Delay level asked for when a message failed and is sent back for redelivery: 0 (default) lets the broker pick
     * 3 + reconsumeTimes (10 s, 30 s, 1 min, ...); 1 = 1 s, 2 = 5 s, ... (spec 6.7).
     */
    public TernConsumerOptions setRetryDelayLevel(int retryDelayLevel) {
        this.retryDelayLevel = retryDelayLevel;
        return this;
    }

    public int getMaxReconsumeTimes() {
        return maxReconsumeTimes;
    }

    /** After this many redeliveries the broker moves a failing message to %DLQ%group (default 16). */
    public TernConsumerOptions setMaxReconsumeTimes(int maxReconsumeTimes) {
        this.maxReconsumeTimes = maxReconsumeTimes;
        return this;
    }
}
