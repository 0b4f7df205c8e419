package io.tern.client;

/**
 * Where and when a received message was stored.
 *
 * @param msgId           the producer's UNIQ_KEY, else {@code offsetMsgId}
 * @param offsetMsgId     broker-made id: store host + commit-log offset (spec 5.4.1)
 * @param brokerName      broker the message was pulled from
 * @param queueId         queue it was pulled from (for retried messages: the %RETRY% queue)
 * @param queueOffset     its logical offset in that queue
 * @param commitLogOffset its physical offset in the broker's commit log
 * @param bornTimestamp   producer wall clock at send, ms
 * @param storeTimestamp  broker wall clock at store, ms
 * @param reconsumeTimes  how often it was redelivered after a failed handler
 * @param sysFlag         stored sysFlag bits (spec 5.3.1)
 */
public record MessageReceipt(String msgId, String offsetMsgId, String brokerName, int queueId, long queueOffset,
                             long commitLogOffset, long bornTimestamp, long storeTimestamp, int reconsumeTimes,
                             int sysFlag) {
}
