package io.tern.broker.metrics;

import io.tern.broker.BrokerStats;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.PutResult;

/**
 * The one place that counts a send. The send processor reports each SEND_MESSAGE, SEND_MESSAGE_V2 and
 * SEND_BATCH_MESSAGE it answers exactly once — {@link #answered} with the store's put result, or {@link #refused}
 * when it never reached the store — and this feeds both surfaces from that one report: the Prometheus meters
 * ({@link TrafficMeters}: messages and bytes per topic, failures per response code, latency) and the runtime stats
 * of GET_BROKER_RUNTIME_INFO ({@link BrokerStats#messagesPut}, from which putTps is derived).
 *
 * <p>The topic is the one the producer named, before any delay, retry or dead-letter rewrite; bytes are the
 * request body's (a batch counts its encoded batch body); a batch counts one message per stored record. The
 * latency runs from the processor receiving the request to its response being built.
 *
 * <p>Thread-safe: the counters are; called from every remoting event loop.
 */
public final class SendMetrics {
    private final TrafficMeters meters;
    private final BrokerStats stats;

    public SendMetrics(TrafficMeters meters, BrokerStats stats) {
        this.meters = meters;
        this.stats = stats;
    }

    /** A send the store answered with {@code result}; {@code responseCode} is what the producer is told. */
    public void answered(String topic, PutResult result, int responseCode, long requestBodyBytes, long startNanos) {
        meters.sendLatency(System.nanoTime() - startNanos);
        if (responseCode != ResponseCode.SUCCESS) {
            meters.putFailed(responseCode);
        }
        if (result.isStored()) {
            int messages = result.physicalOffsets().length;
            meters.put(topic, messages, requestBodyBytes);
            stats.messagesPut.add(messages);
        }
    }

    /** A send answered with {@code responseCode} before the store: bad header, permission, topic, size. */
    public void refused(int responseCode, long startNanos) {
        meters.sendLatency(System.nanoTime() - startNanos);
        meters.putFailed(responseCode);
    }
}
