package io.tern.common.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of one message, parsed once where the message enters the broker and handed along from there:
 * the broker's edits (CLUSTER added, WAIT removed, REAL_TOPIC for a delayed or half message), the values the later
 * steps act on ({@link #tags}, {@link #keys}, {@link #uniqKey}, {@link #delayLevel},
 * {@link #isTransactionPrepared}), and the encoded string the record encoder stores. The store's index takes KEYS
 * and UNIQ_KEY from here instead of scanning the encoded string again.
 *
 * <p>{@link #encoded} is the text as given until the first edit, so a message re-stored unchanged keeps its
 * properties byte for byte; after an edit it is encoded once (in insertion order, without a trailing separator)
 * and kept until the next edit.
 *
 * <p>Not thread-safe: owned by the request that parsed it.
 */
public final class ParsedProperties {
    private final Map<String, String> values;
    private String encoded;

    private ParsedProperties(Map<String, String> values, String encoded) {
        this.values = values;
        this.encoded = encoded;
    }

    /** Parses {@code text} (spec 5.1.2); null or empty gives no properties. */
    public static ParsedProperties parse(String text) {
        return new ParsedProperties(MessageProperties.parse(text), text == null ? "" : text);
    }

    /** Properties built from scratch, in {@code values}' iteration order. */
    public static ParsedProperties of(Map<String, String> values) {
        return new ParsedProperties(new LinkedHashMap<>(values), null);
    }

    /** An independent copy: edits to either do not show in the other. */
    public ParsedProperties copy() {
        return new ParsedProperties(new LinkedHashMap<>(values), encoded);
    }

    public String get(String name) {
        return values.get(name);
    }

    public ParsedProperties put(String name, String value) {
        if (!value.equals(values.put(name, value))) {
            encoded = null;
        }
        return this;
    }

    public ParsedProperties putIfAbsent(String name, String value) {
        if (values.putIfAbsent(name, value) == null) {
            encoded = null;
        }
        return this;
    }

    /** Adds every property of {@code other} this one does not have. */
    public ParsedProperties fillFrom(ParsedProperties other) {
        other.values.forEach(this::putIfAbsent);
        return this;
    }

    public String remove(String name) {
        String old = values.remove(name);
        if (old != null) {
            encoded = null;
        }
        return old;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Read-only view, in order. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** TAGS, or null. */
    public String tags() {
        return values.get(MessageConst.TAGS);
    }

    /** KEYS (space-separated business keys), or null. */
    public String keys() {
        return values.get(MessageConst.KEYS);
    }

    /** UNIQ_KEY, or null. */
    public String uniqKey() {
        return values.get(MessageConst.UNIQ_KEY);
    }

    /** DELAY as a level, 0 when absent or not a number (the level is clamped by whoever schedules it). */
    public int delayLevel() {
        String v = values.get(MessageConst.DELAY_TIME_LEVEL);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** TRAN_MSG=true: the half message of a transaction. */
    public boolean isTransactionPrepared() {
        return Boolean.parseBoolean(values.get(MessageConst.TRANSACTION_PREPARED));
    }

    /** The properties string as it will be stored. */
    public String encoded() {
        if (encoded == null) {
            encoded = MessageProperties.encode(values);
        }
        return encoded;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
