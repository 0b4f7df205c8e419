package io.tern.broker;

import io.tern.common.message.MessageProperties;
import io.tern.common.message.StoredRecordLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A record of a pull response body, read with the layout's owner (spec 5.3), for assertions. */
record StoredMessage(int queueId, int flag, long queueOffset, long physicalOffset, int sysFlag, long bornTimestamp,
                     byte[] bornHost, int bornPort, long storeTimestamp, byte[] storeHost, int storePort,
                     int reconsumeTimes, byte[] body, String topic, Map<String, String> properties) {

    static List<StoredMessage> decodeAll(byte[] bytes) {
        List<StoredMessage> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        for (int pos = 0; pos < bytes.length; pos += v.totalSize()) {
            if (!v.wrap(b, pos, bytes.length)) {
                throw new IllegalStateException("not a whole record at " + pos);
            }
            byte[] body = new byte[v.bodyLength()];
            v.body().get(body);
            out.add(new StoredMessage(v.queueId(), v.flag(), v.queueOffset(), v.physicalOffset(), v.sysFlag(),
                    v.bornTimestamp(), v.bornHostAddress(), v.bornHostPort(), v.storeTimestamp(),
                    v.storeHostAddress(), v.storeHostPort(), v.reconsumeTimes(), body, v.topic(),
                    MessageProperties.parse(v.properties())));
        }
        return out;
    }

    String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
