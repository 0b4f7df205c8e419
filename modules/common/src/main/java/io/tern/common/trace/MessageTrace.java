package io.tern.common.trace;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace of one message put together from the trace records that name it: who sent it and how the send went,
 * and each consumption (a SubBefore paired with its SubAfter by request id) — which group, which client, when,
 * how long, the outcome. What Tern's readers show (tern-admin, the HTTP API, the console); mqadmin reads the same
 * records itself.
 *
 * @param published    Pub records, oldest first (a send traced by both the client and the broker shows twice,
 *                     told apart by {@code source})
 * @param consumed     consumptions, oldest first
 * @param transactions EndTransaction records
 *
 * <p>Written as JSON by its record components (the project mapper otherwise sees public fields only).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public record MessageTrace(String msgId, List<Published> published, List<Consumed> consumed,
                           List<TraceRecord> transactions) {

    /** A record as read: the context, the born host of the trace message carrying it, who wrote it. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
    public record Observed(TraceRecord record, String clientHost, String source) {
    }

    /** @param source "client" (a client's trace hook) or "broker" (brokerTraceEnable) */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
    public record Published(String source, String producerGroup, String clientHost, long sendTimestamp,
                            int costTimeMs, boolean success, String topic, String tags, String keys,
                            String storeHost, String offsetMsgId, int msgType) {
    }

    /**
     * @param beginTimestamp when the listener got it (−1 when only the SubAfter was found)
     * @param success        null while the listener has not answered (or its SubAfter was not written yet)
     */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
    public record Consumed(String group, String clientHost, long beginTimestamp, long endTimestamp,
                           int costTimeMs, Boolean success, int retryTimes, String requestId, int contextCode) {
    }

    public static MessageTrace of(String msgId, List<Observed> observed) {
        List<Published> published = new ArrayList<>();
        List<TraceRecord> transactions = new ArrayList<>();
        Map<String, Observed> before = new LinkedHashMap<>();
        Map<String, Observed> after = new LinkedHashMap<>();
        int unpaired = 0;
        for (Observed o : observed) {
            TraceRecord r = o.record();
            if (!msgId.equals(r.msgId())) {
                continue;
            }
            switch (r.type()) {
                case TraceRecord.PUB -> published.add(new Published(o.source(), r.group(), o.clientHost(),
                        r.timestamp(), r.costTimeMs(), Boolean.TRUE.equals(r.success()), r.topic(), r.tags(),
                        r.keys(), r.storeHost(), r.offsetMsgId(), r.msgType()));
                case TraceRecord.SUB_BEFORE -> before.put(pairKey(r, unpaired++), o);
                case TraceRecord.SUB_AFTER -> after.put(pairKey(r, unpaired++), o);
                case TraceRecord.END_TRANSACTION -> transactions.add(r);
                default -> {
                    // Recall and future types: not part of this view
                }
            }
        }
        List<Consumed> consumed = new ArrayList<>();
        before.forEach((key, b) -> {
            Observed a = after.remove(key);
            TraceRecord br = b.record();
            TraceRecord ar = a == null ? null : a.record();
            consumed.add(new Consumed(br.group(), b.clientHost(), br.timestamp(),
                    ar == null ? -1 : ar.timestamp(), ar == null ? -1 : ar.costTimeMs(),
                    ar == null ? null : ar.success(), br.retryTimes(), br.requestId(),
                    ar == null ? -1 : ar.contextCode()));
        });
        after.values().forEach(a -> {
            TraceRecord ar = a.record();
            consumed.add(new Consumed(ar.group(), a.clientHost(), -1, ar.timestamp(), ar.costTimeMs(), ar.success(),
                    -1, ar.requestId(), ar.contextCode()));
        });
        published.sort(Comparator.comparingLong(Published::sendTimestamp));
        consumed.sort(Comparator.comparingLong(c -> c.beginTimestamp() >= 0 ? c.beginTimestamp() : c.endTimestamp()));
        return new MessageTrace(msgId, published, consumed, transactions);
    }

    /** SubBefore and SubAfter of one delivery share the request id; without one they cannot be paired. */
    private static String pairKey(TraceRecord r, int sequence) {
        return r.requestId() != null ? r.requestId() : "#" + sequence;
    }
}
