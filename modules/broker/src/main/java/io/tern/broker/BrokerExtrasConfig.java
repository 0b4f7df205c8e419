package io.tern.broker;

import io.tern.common.Json;

/**
 * Settings of scheduled delivery, retry and transactions, read from the top level of the broker config like the
 * {@link BrokerConfig} keys (so {@code transactionCheckIntervalMs: 3000} in broker.yaml). Documented in
 * src-docs/broker-extras.md. Public fields so tests can set them directly.
 */
public final class BrokerExtrasConfig {
    /** Delay of each level 1..n, units s/m/h/d (spec 6.7). */
    public String messageDelayLevel = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";
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
    /** Lifetime of an orderly-consumption queue lock without a refresh. */
    public long rebalanceLockMaxLiveTimeMs = 60_000;
    /** Timeout of broker-to-client relays (GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY). */
    public long clientRelayTimeoutMs = 10_000;

    @Override
    public String toString() {
        return Json.toString(this);
    }
}
