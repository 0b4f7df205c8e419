package io.tern.broker;

import java.time.LocalDate;
import java.util.concurrent.atomic.LongAdder;

/**
 * Put/get counters for GET_BROKER_RUNTIME_INFO. {@link #messagesPut} is fed only by
 * {@link io.tern.broker.metrics.SendMetrics}, the one place that counts a send (and also feeds the Prometheus
 * meters); {@link #messagesGot} by the pull processor. Counters are bumped from any thread; {@link #sample} (every
 * {@link #SAMPLE_INTERVAL_MS}, from one timer) keeps the history the TPS figures and the "this/yesterday
 * morning" totals are derived from.
 */
public final class BrokerStats {
    public static final long SAMPLE_INTERVAL_MS = 10_000;
    /** 10 minutes of samples plus the current one. */
    private static final int SAMPLES = 61;

    public final LongAdder messagesPut = new LongAdder();
    public final LongAdder messagesGot = new LongAdder();

    private final long[] sampleTimeMs = new long[SAMPLES];
    private final long[] samplePut = new long[SAMPLES];
    private final long[] sampleGot = new long[SAMPLES];
    private int sampleCount;
    private int head = -1;
    private LocalDate day = LocalDate.now();
    private long putTodayMorning;
    private long putYesterdayMorning;
    private long gotTodayMorning;
    private long gotYesterdayMorning;

    public synchronized void sample(long nowMs) {
        long put = messagesPut.sum();
        long got = messagesGot.sum();
        head = (head + 1) % SAMPLES;
        sampleTimeMs[head] = nowMs;
        samplePut[head] = put;
        sampleGot[head] = got;
        sampleCount = Math.min(SAMPLES, sampleCount + 1);
        LocalDate today = LocalDate.now();
        if (!today.equals(day)) {
            day = today;
            putYesterdayMorning = putTodayMorning;
            gotYesterdayMorning = gotTodayMorning;
            putTodayMorning = put;
            gotTodayMorning = got;
        }
    }

    /** "tps10s tps60s tps600s" as the reference formats putTps / getTransferedTps. */
    public synchronized String putTps() {
        return tps(samplePut, messagesPut.sum());
    }

    public synchronized String getTps() {
        return tps(sampleGot, messagesGot.sum());
    }

    private String tps(long[] counts, long current) {
        long now = System.currentTimeMillis();
        return rate(counts, current, now, 10_000) + " " + rate(counts, current, now, 60_000) + " "
                + rate(counts, current, now, 600_000);
    }

    private double rate(long[] counts, long current, long nowMs, long windowMs) {
        if (sampleCount == 0) {
            return 0.0;
        }
        // the newest sample at least windowMs old, else the oldest one we have
        int idx = head;
        for (int i = 0; i < sampleCount; i++) {
            int j = Math.floorMod(head - i, SAMPLES);
            idx = j;
            if (nowMs - sampleTimeMs[j] >= windowMs) {
                break;
            }
        }
        long elapsed = nowMs - sampleTimeMs[idx];
        return elapsed <= 0 ? 0.0 : Math.round((current - counts[idx]) * 1000.0 * 100 / elapsed) / 100.0;
    }

    public synchronized long putTodayMorning() {
        return putTodayMorning;
    }

    public synchronized long putYesterdayMorning() {
        return putYesterdayMorning;
    }

    public synchronized long gotTodayMorning() {
        return gotTodayMorning;
    }

    public synchronized long gotYesterdayMorning() {
        return gotYesterdayMorning;
    }
}
