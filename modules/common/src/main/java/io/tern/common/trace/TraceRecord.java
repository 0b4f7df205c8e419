package io.tern.common.trace;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/**
 * One context of a message trace, as the RocketMQ clients' trace hooks write it into RMQ_SYS_TRACE_TOPIC (one
 * message body carries several, see {@link TraceData} for the text layout). Fields a type does not carry are null,
 * or −1 for numbers; {@code timestamp} is −1 in SubAfter records of clients older than 4.9.
 *
 * @param type          Pub (a send), SubBefore (handed to a listener), SubAfter (the listener's outcome),
 *                      EndTransaction, Recall
 * @param timestamp     Pub: when the send began; SubBefore/SubAfter: when consumption began / ended
 * @param group         producer group (Pub, EndTransaction), consumer group (Sub*)
 * @param requestId     pairs a SubBefore with its SubAfter
 * @param msgId         the message id the trace is about (the client's UNIQ_KEY, else the offset id)
 * @param storeHost     the broker that stored it, host:port
 * @param costTimeMs    Pub: the send's round trip; SubAfter: the listener's time
 * @param msgType       ordinal of the client's MessageType: 0 normal, 1 transaction half, 2 commit, 3 delay
 * @param success       Pub: sent; SubAfter: consumed (not RECONSUME_LATER)
 * @param retryTimes    SubBefore: the message's reconsume times
 * @param contextCode   SubAfter: the client's ConsumeReturnType ordinal (0 SUCCESS, 1 TIME_OUT, 2 EXCEPTION,
 *                      3 RETURNNULL, 4 FAILED)
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public record TraceRecord(String type, long timestamp, String regionId, String group, String requestId,
                          String topic, String msgId, String tags, String keys, String storeHost, int bodyLength,
                          int costTimeMs, int msgType, String offsetMsgId, Boolean success, int retryTimes,
                          int contextCode, String transactionId, String transactionState,
                          Boolean fromTransactionCheck) {
    public static final String PUB = "Pub";
    public static final String SUB_BEFORE = "SubBefore";
    public static final String SUB_AFTER = "SubAfter";
    public static final String END_TRANSACTION = "EndTransaction";
    public static final String RECALL = "Recall";

    /** MessageType ordinals of the client. */
    public static final int NORMAL_MSG = 0;
    public static final int TRANS_MSG_HALF = 1;
    public static final int DELAY_MSG = 3;

    /** A Pub context: a message stored (success) by {@code storeHost}. */
    public static TraceRecord pub(long timestamp, String regionId, String producerGroup, String topic, String msgId,
                                  String tags, String keys, String storeHost, int bodyLength, int costTimeMs,
                                  int msgType, String offsetMsgId, boolean success) {
        return new TraceRecord(PUB, timestamp, regionId, producerGroup, null, topic, msgId, tags, keys, storeHost,
                bodyLength, costTimeMs, msgType, offsetMsgId, success, -1, -1, null, null, null);
    }
}
