package io.tern.broker;

import io.tern.common.message.MessageProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A record of a pull response body decoded the way the 4.9 client does (spec 5.3), for assertions. */
record StoredMessage(int queueId, int flag, long queueOffset, long physicalOffset, int sysFlag, long bornTimestamp,
                     byte[] bornHost, int bornPort, long storeTimestamp, byte[] storeHost, int storePort,
                     int reconsumeTimes, byte[] body, String topic, Map<String, String> properties) {

    static List<StoredMessage> decodeAll(byte[] bytes) {
        List<StoredMessage> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            int start = b.position();
            int total = b.getInt();
            b.getInt(); // magic
            b.getInt(); // crc
            int queueId = b.getInt();
            int flag = b.getInt();
            long queueOffset = b.getLong();
            long phy = b.getLong();
            int sysFlag = b.getInt();
            long born = b.getLong();
            byte[] bornHost = new byte[(sysFlag & 0x10) != 0 ? 16 : 4];
            b.get(bornHost);
            int bornPort = b.getInt();
            long storeTs = b.getLong();
            byte[] storeHost = new byte[(sysFlag & 0x20) != 0 ? 16 : 4];
            b.get(storeHost);
            int storePort = b.getInt();
            int reconsume = b.getInt();
            b.getLong(); // prepared tx offset
            byte[] body = new byte[b.getInt()];
            b.get(body);
            byte[] topic = new byte[b.get()];
            b.get(topic);
            byte[] props = new byte[b.getShort()];
            b.get(props);
            if (b.position() - start != total) {
                throw new IllegalStateException("record size mismatch at " + start);
            }
            out.add(new StoredMessage(queueId, flag, queueOffset, phy, sysFlag, born, bornHost, bornPort, storeTs,
                    storeHost, storePort, reconsume, body, new String(topic, StandardCharsets.UTF_8),
                    MessageProperties.parse(new String(props, StandardCharsets.UTF_8))));
        }
        return out;
    }

    String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
