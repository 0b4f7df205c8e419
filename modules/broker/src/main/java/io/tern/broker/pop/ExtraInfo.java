package io.tern.broker.pop;

/**
 * The POP_CK extra info a popped message carries and an ack or invisible-time change sends back, space separated:
 * <pre>
 *   ckQueueOffset popTime invisibleTime reviveQid retryMark brokerName queueId [msgQueueOffset]
 * </pre>
 * The client builds it from the pop response header (startOffsetInfo gives ckQueueOffset, msgOffsetInfo the last
 * field); the broker only reads it.
 */
record ExtraInfo(long ckOffset, long popTime, long invisibleTime, int reviveQueueId, String retryMark,
                 String brokerName, int queueId) {

    /** Parses the first seven fields; IllegalArgumentException when it is not extra info. */
    static ExtraInfo parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("extraInfo is missing");
        }
        String[] f = text.trim().split(" ");
        if (f.length < 7) {
            throw new IllegalArgumentException("extraInfo has " + f.length + " fields, needs 7: " + text);
        }
        try {
            return new ExtraInfo(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), f[4], f[5], Integer.parseInt(f[6]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed extraInfo: " + text);
        }
    }

    boolean isOrder() {
        return reviveQueueId == PopNames.ORDER_REVIVE_QUEUE_ID;
    }
}
