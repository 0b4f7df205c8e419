package io.tern.common.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of a trace message body, as the RocketMQ 4.9 / 5.x clients' TraceDataEncoder writes and reads it:
 * contexts ended by FIELD (\u0002), their fields separated by CONTENT (\u0001), the type name first.
 *
 * <pre>
 *  Pub            type ┆ timestamp ┆ regionId ┆ group ┆ topic ┆ msgId ┆ tags ┆ keys ┆ storeHost ┆ bodyLength ┆
 *                 costTime ┆ msgType ┆ offsetMsgId ┆ success [┆ clientHost (5.x readers only)] ▮
 *  SubBefore      type ┆ timestamp ┆ regionId ┆ group ┆ requestId ┆ msgId ┆ retryTimes ┆ keys ▮
 *  SubAfter       type ┆ requestId ┆ msgId ┆ costTime ┆ success ┆ keys [┆ contextCode [┆ timestamp ┆ group]] ▮
 *  EndTransaction type ┆ timestamp ┆ regionId ┆ group ┆ topic ┆ msgId ┆ tags ┆ keys ┆ storeHost ┆ msgType ┆
 *                 transactionId ┆ transactionState ┆ fromTransactionCheck ▮
 *  Recall         type ┆ timestamp ┆ regionId ┆ group ┆ topic ┆ msgId ┆ success ▮
 *                 (┆ = \u0001, ▮ = \u0002; null values are written as "null", as the clients do)
 * </pre>
 *
 * A Pub is written with 14 fields: the 4.9 reader takes only 13 or 14 and would read a 15th as a failed send. The
 * message carrying the body has the traced message ids and keys as its KEYS, which is how a trace is found by
 * message id (QUERY_MESSAGE on the trace topic); its born host is the client that sent or consumed.
 *
 * <p>Stateless; decoding skips a malformed context instead of failing the rest.
 */
public final class TraceData {
    public static final char CONTENT = '\u0001';
    public static final char FIELD = '\u0002';

    private TraceData() {
    }

    /** Every well-formed context of a body. */
    public static List<TraceRecord> decode(String body) {
        List<TraceRecord> out = new ArrayList<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String context : body.split(String.valueOf(FIELD))) {
            if (context.isEmpty()) {
                continue;
            }
            String[] f = context.split(String.valueOf(CONTENT), -1);
            try {
                TraceRecord r = decodeOne(f);
                if (r != null) {
                    out.add(r);
                }
            } catch (RuntimeException e) {
                // a context written by a client we do not know: skip it, keep the others
            }
        }
        return out;
    }

    private static TraceRecord decodeOne(String[] f) {
        switch (f[0]) {
            case TraceRecord.PUB -> {
                String offsetMsgId = f.length >= 14 ? text(f[12]) : null;
                boolean success = Boolean.parseBoolean(f.length >= 14 ? f[13] : f[12]);
                return new TraceRecord(TraceRecord.PUB, Long.parseLong(f[1]), text(f[2]), text(f[3]), null,
                        text(f[4]), text(f[5]), text(f[6]), text(f[7]), text(f[8]), Integer.parseInt(f[9]),
                        Integer.parseInt(f[10]), Integer.parseInt(f[11]), offsetMsgId, success, -1, -1, null, null,
                        null);
            }
            case TraceRecord.SUB_BEFORE -> {
                return new TraceRecord(TraceRecord.SUB_BEFORE, Long.parseLong(f[1]), text(f[2]), text(f[3]),
                        text(f[4]), null, text(f[5]), null, text(f[7]), null, -1, -1, -1, null, null,
                        Integer.parseInt(f[6]), -1, null, null, null);
            }
            case TraceRecord.SUB_AFTER -> {
                int contextCode = f.length >= 7 && !f[6].isEmpty() ? Integer.parseInt(f[6]) : -1;
                long timestamp = f.length >= 9 && !f[7].isEmpty() ? Long.parseLong(f[7]) : -1;
                String group = f.length >= 9 ? text(f[8]) : null;
                return new TraceRecord(TraceRecord.SUB_AFTER, timestamp, null, group, text(f[1]), null, text(f[2]),
                        null, text(f[5]), null, -1, Integer.parseInt(f[3]), -1, null, Boolean.parseBoolean(f[4]),
                        -1, contextCode, null, null, null);
            }
            case TraceRecord.END_TRANSACTION -> {
                return new TraceRecord(TraceRecord.END_TRANSACTION, Long.parseLong(f[1]), text(f[2]), text(f[3]),
                        null, text(f[4]), text(f[5]), text(f[6]), text(f[7]), text(f[8]), -1, -1,
                        Integer.parseInt(f[9]), null, null, -1, -1, text(f[10]), text(f[11]),
                        Boolean.parseBoolean(f[12]));
            }
            case TraceRecord.RECALL -> {
                return new TraceRecord(TraceRecord.RECALL, Long.parseLong(f[1]), text(f[2]), text(f[3]), null,
                        text(f[4]), text(f[5]), null, null, null, -1, -1, -1, null, Boolean.parseBoolean(f[6]), -1,
                        -1, null, null, null);
            }
            default -> {
                return null;
            }
        }
    }

    /** Appends one Pub context (the only type the broker writes itself). */
    public static StringBuilder appendPub(StringBuilder sb, TraceRecord r) {
        return sb.append(TraceRecord.PUB).append(CONTENT)
                .append(r.timestamp()).append(CONTENT)
                .append(r.regionId()).append(CONTENT)
                .append(r.group()).append(CONTENT)
                .append(r.topic()).append(CONTENT)
                .append(r.msgId()).append(CONTENT)
                .append(r.tags()).append(CONTENT)
                .append(r.keys()).append(CONTENT)
                .append(r.storeHost()).append(CONTENT)
                .append(r.bodyLength()).append(CONTENT)
                .append(r.costTimeMs()).append(CONTENT)
                .append(r.msgType()).append(CONTENT)
                .append(r.offsetMsgId()).append(CONTENT)
                .append(Boolean.TRUE.equals(r.success())).append(FIELD);
    }

    /** The clients write a missing value as "null". */
    private static String text(String s) {
        return s == null || s.equals("null") ? null : s;
    }
}
