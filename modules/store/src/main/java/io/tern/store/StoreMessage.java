package io.tern.store;

import io.tern.common.message.ParsedProperties;
import java.nio.ByteBuffer;

/**
 * A message to append, as the broker prepared it. The store assigns queue offset, physical offset and (unless
 * {@link #storeTimestamp} is set) the store time, computes BODYCRC and encodes the stored layout (spec 5.3).
 *
 * <p>Not thread-safe; handed over to the store once and not touched by the caller afterwards. The store does not
 * copy {@link #body} when the put is accepted: the writer copies it into the commit log later, so the bytes it
 * refers to must not change until the put's future completes (a request frame, a mapped record and a fresh array
 * all qualify; a pooled buffer handed back for reuse would not).
 */
public final class StoreMessage {
    public String topic;
    public int queueId;
    public int flag;
    /**
     * Stored body bytes (already compressed when sysFlag says so); read from position to limit, and by the writer
     * after the put returns (see the class comment).
     */
    public ByteBuffer body;
    /** Properties string (spec 5.1.2) as it will be stored; set with {@link #withProperties}. */
    public String properties = "";
    /** KEYS of {@link #properties} (space-separated), indexed by the dispatcher; null when none. */
    public String keys;
    /** UNIQ_KEY of {@link #properties}, indexed by the dispatcher; null when none. */
    public String uniqKey;
    public int sysFlag;
    public long bornTimestamp;
    /** IPv4 (4 bytes) or IPv6 (16 bytes) address of the producer; sysFlag BORNHOST_V6 must match. */
    public byte[] bornHostAddress;
    public int bornHostPort;
    /** Address and port of this broker as advertised (brokerIP1:listenPort); STOREHOST_V6 must match. */
    public byte[] storeHostAddress;
    public int storeHostPort;
    public int reconsumeTimes;
    public long preparedTransactionOffset;
    /** Consume-queue tag code: hash of TAGS, or the delivery time for SCHEDULE_TOPIC_XXXX entries. */
    public long tagsCode;
    /** 0 = the writer stamps the append time; otherwise kept (transaction commit keeps the half's time). */
    public long storeTimestamp;

    /** Takes the properties string and the index keys from properties the caller parsed once. */
    public StoreMessage withProperties(ParsedProperties p) {
        properties = p.encoded();
        keys = p.keys();
        uniqKey = p.uniqKey();
        return this;
    }
}
