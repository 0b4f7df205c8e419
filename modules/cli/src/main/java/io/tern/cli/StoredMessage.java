package io.tern.cli;

import io.tern.common.message.MessageConst;
import java.util.Map;

/** One message decoded from the stored format (spec 5.3); {@code body} is already decompressed when possible. */
public record StoredMessage(
        String topic,
        int queueId,
        int flag,
        long queueOffset,
        long physicalOffset,
        int sysFlag,
        long bornTimestamp,
        String bornHost,
        long storeTimestamp,
        String storeHost,
        int reconsumeTimes,
        long preparedTransactionOffset,
        int bodyCrc,
        byte[] body,
        String bodyNote,
        Map<String, String> properties,
        String offsetMsgId) {

    /** What applications see as msgId: UNIQ_KEY when the producer set one, else the offset id. */
    public String msgId() {
        String uniq = properties.get(MessageConst.UNIQ_KEY);
        return uniq != null ? uniq : offsetMsgId;
    }
}
