package io.tern.broker;

import io.tern.common.Json;

/**
 * Settings of scheduled delivery, retry, transactions and client relays, read from the top level of the broker config like the
 * {@link BrokerConfig} keys (so {@code transactionCheckIntervalMs: 3000} in broker.yaml). Documented in
 * src-docs/broker-extras.md. Public fields so tests can set them directly. The delay levels themselves are the
 * store's {@code messageDelayLevel} (recovery rebuilds schedule-queue tag codes from them too).
 */
public final class BrokerExtrasConfig {
    /** Period of writing config/delayOffset.json (also written at shutdown). */
    public long flushDelayOffsetIntervalMs = 10_000;
    /** Re-check period of a delay level whose queue is empty or whose head is not due. */
    public long scheduleIdleCheckMs = 100;
    /** First scan of each delay level after start. */
    public long scheduleFirstDelayMs = 1_000;
    /** Period of the transaction check round. */
    public long transactionCheckIntervalMs = 60_000;
    /** A half message younger than this is not checked yet. */
    public long transactionTimeOutMs = 6_000;
    /** After this many checks a half message is moved to TRANS_CHECK_MAX_TIME_TOPIC and forgotten. */
    public int transactionCheckMax = 15;
    /** Timeout of broker-to-client relays (GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY). */
    public long clientRelayTimeoutMs = 10_000;

    @Override
    public String toString() {
        return Json.toString(this);
    }
}
