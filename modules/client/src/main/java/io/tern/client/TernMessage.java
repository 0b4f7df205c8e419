package io.tern.client;

import io.tern.common.message.MessageConst;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message: topic, optional tag and keys, user properties and a body. Messages handed to a consumer's handler also
 * carry their {@link MessageReceipt} (ids, queue, offsets, timestamps, reconsume count).
 *
 * <p>Not thread-safe; do not change a message while a send of it is in progress.
 */
public final class TernMessage {
    private String topic;
    private String tags;
    private List<String> keys = List.of();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Buffer body;
    private int flag;
    private int delayLevel;
    private MessageReceipt receipt;

    public TernMessage(String topic, Buffer body) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.body = Objects.requireNonNull(body, "body");
    }

    public static TernMessage of(String topic, Buffer body) {
        return new TernMessage(topic, body);
    }

    public static TernMessage of(String topic, String body) {
        return new TernMessage(topic, Buffer.buffer(body));
    }

    /** A message as received: built by the client from a stored record. */
    public static TernMessage received(String topic, Buffer body, int flag, Map<String, String> allProperties,
                                       MessageReceipt receipt) {
        TernMessage m = new TernMessage(topic, body);
        m.flag = flag;
        m.receipt = receipt;
        for (Map.Entry<String, String> e : allProperties.entrySet()) {
            switch (e.getKey()) {
                case MessageConst.TAGS -> m.tags = e.getValue();
                case MessageConst.KEYS -> m.keys = List.of(e.getValue().split(" "));
                default -> m.properties.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    public String topic() {
        return topic;
    }

    public TernMessage setTopic(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        return this;
    }

    /** The tag (one per message; consumers filter on it), or null. */
    public String tags() {
        return tags;
    }

    public TernMessage setTags(String tags) {
        this.tags = tags;
        return this;
    }

    /** Business keys (indexed by the broker for look-ups); never null. */
    public List<String> keys() {
        return keys;
    }

    public TernMessage setKeys(String... keys) {
        return setKeys(Arrays.asList(keys));
    }

    public TernMessage setKeys(List<String> keys) {
        for (String k : keys) {
            if (k.isEmpty() || k.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("a key is not empty and has no space: '" + k + "'");
            }
        }
        this.keys = List.copyOf(new ArrayList<>(keys));
        return this;
    }

    /**
     * Properties other than TAGS and KEYS: user properties; on received messages also the system ones (UNIQ_KEY,
     * CLUSTER, RETRY_TOPIC, ...).
     */
    public Map<String, String> properties() {
        return Collections.unmodifiableMap(properties);
    }

    public String property(String name) {
        return properties.get(name);
    }

    /** Sets a user property; names and values must not contain U+0001 / U+0002, empty values are dropped. */
    public TernMessage putProperty(String name, String value) {
        if (name.indexOf('\u0001') >= 0 || name.indexOf('\u0002') >= 0
                || value.indexOf('\u0001') >= 0 || value.indexOf('\u0002') >= 0) {
            throw new IllegalArgumentException("property names and values cannot contain U+0001 or U+0002");
        }
        if (MessageConst.TAGS.equals(name) || MessageConst.KEYS.equals(name)) {
            throw new IllegalArgumentException("use setTags / setKeys for " + name);
        }
        properties.put(name, value);
        return this;
    }

    public Buffer body() {
        return body;
    }

    public TernMessage setBody(Buffer body) {
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    /** Opaque user flag stored with the message (default 0). */
    public int flag() {
        return flag;
    }

    public TernMessage setFlag(int flag) {
        this.flag = flag;
        return this;
    }

    /** Delay level 1–18 (1 s … 2 h, spec 6.7); 0 (default) = deliver at once. */
    public int delayLevel() {
        return delayLevel;
    }

    public TernMessage setDelayLevel(int delayLevel) {
        if (delayLevel < 0) {
            throw new IllegalArgumentException("delayLevel >= 0");
        }
        this.delayLevel = delayLevel;
        return this;
    }

    /** Null on messages built by the application; set on received messages. */
    public MessageReceipt receipt() {
        return receipt;
    }

    /** The id applications see: the producer's UNIQ_KEY, else the broker's offset id. Null before sending. */
    public String msgId() {
        return receipt == null ? null : receipt.msgId();
    }

    public String offsetMsgId() {
        return receipt == null ? null : receipt.offsetMsgId();
    }

    public int queueId() {
        return receipt == null ? -1 : receipt.queueId();
    }

    public long queueOffset() {
        return receipt == null ? -1 : receipt.queueOffset();
    }

    public long bornTimestamp() {
        return receipt == null ? 0 : receipt.bornTimestamp();
    }

    public long storeTimestamp() {
        return receipt == null ? 0 : receipt.storeTimestamp();
    }

    public int reconsumeTimes() {
        return receipt == null ? 0 : receipt.reconsumeTimes();
    }

    @Override
    public String toString() {
        return "TernMessage[topic=" + topic + ", tags=" + tags + ", keys=" + keys + ", body=" + body.length() + "B"
                + (receipt == null ? "" : ", " + receipt) + "]";
    }
}
