package io.tern.broker.http;

import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A stored record as JSON for operators: positions, times, hosts, properties, and the body as UTF-8 text when it
 * decodes as such ({@code bodyEncoding: "utf8"}), else base64. A body the producer compressed (sysFlag bit 0,
 * zlib) is shown inflated, up to {@code maxBodyBytes}.
 */
final class MessageView {
    private MessageView() {
    }

    static JsonObject of(ByteBuffer record, int maxBodyBytes) {
        StoredRecord r = StoredRecord.decode(record);
        Map<String, String> props = MessageProperties.parse(r.properties());
        JsonObject properties = new JsonObject();
        new TreeMap<>(props).forEach(properties::put);
        JsonObject json = new JsonObject()
                .put("msgId", MessageIds.offsetMsgId(r.storeHost(), r.storePort(), r.physicalOffset()))
                .put("uniqKey", props.get(MessageConst.UNIQ_KEY))
                .put("topic", r.topic())
                .put("queueId", r.queueId())
                .put("queueOffset", r.queueOffset())
                .put("physicalOffset", r.physicalOffset())
                .put("storeSize", record.remaining())
                .put("tags", props.get(MessageConst.TAGS))
                .put("keys", props.get(MessageConst.KEYS))
                .put("flag", r.flag())
                .put("sysFlag", r.sysFlag())
                .put("bornTimestamp", r.bornTimestamp())
                .put("bornHost", host(r.bornHost(), r.bornPort()))
                .put("storeTimestamp", r.storeTimestamp())
                .put("storeHost", host(r.storeHost(), r.storePort()))
                .put("reconsumeTimes", r.reconsumeTimes())
                .put("preparedTransactionOffset", r.preparedTransactionOffset())
                .put("properties", properties);
        byte[] body = new byte[r.body().remaining()];
        r.body().duplicate().get(body);
        json.put("bodySize", body.length);
        if ((r.sysFlag() & MessageSysFlag.COMPRESSED) != 0) {
            byte[] inflated = inflate(body, maxBodyBytes);
            json.put("compressed", true);
            if (inflated != null) {
                body = inflated;
            }
        }
        String text = utf8(body);
        if (text != null) {
            json.put("bodyEncoding", "utf8").put("body", text);
        } else {
            json.put("bodyEncoding", "base64").put("body", Base64.getEncoder().encodeToString(body));
        }
        return json;
    }

    /** The text when the bytes are well-formed UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** zlib-inflated bytes, or null when they are not zlib data or inflate beyond {@code maxBytes}. */
    private static byte[] inflate(byte[] compressed, int maxBytes) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[Math.max(64, Math.min(maxBytes, compressed.length * 4))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= maxBytes) {
                        return null;
                    }
                    out = java.util.Arrays.copyOf(out, Math.min(maxBytes, out.length * 2));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                n += got;
            }
            return java.util.Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static String host(byte[] address, int port) {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + ":" + port;
        } catch (UnknownHostException e) {
            return MessageIds.hex(address) + ":" + port;
        }
    }
}
