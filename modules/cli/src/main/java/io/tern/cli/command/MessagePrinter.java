package io.tern.cli.command;

import io.tern.cli.StoredMessage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints one decoded message as text lines or as a JSON-ready map. */
final class MessagePrinter {
    private MessagePrinter() {
    }

    static void print(StoredMessage m, PrintStream out) {
        line(out, "OffsetID", m.offsetMsgId());
        line(out, "Message ID", m.msgId());
        line(out, "Topic", m.topic());
        line(out, "Tags", "[" + m.properties().getOrDefault("TAGS", "") + "]");
        line(out, "Keys", "[" + m.properties().getOrDefault("KEYS", "") + "]");
        line(out, "Queue ID", m.queueId());
        line(out, "Queue Offset", m.queueOffset());
        line(out, "CommitLog Offset", m.physicalOffset());
        line(out, "Reconsume Times", m.reconsumeTimes());
        line(out, "Born Timestamp", Times.format(m.bornTimestamp()) + " (" + m.bornTimestamp() + ")");
        line(out, "Store Timestamp", Times.format(m.storeTimestamp()) + " (" + m.storeTimestamp() + ")");
        line(out, "Born Host", m.bornHost());
        line(out, "Store Host", m.storeHost());
        line(out, "System Flag", m.sysFlag());
        line(out, "Properties", m.properties());
        if (m.bodyNote() != null) {
            line(out, "Body Note", m.bodyNote());
        }
        line(out, "Message Body", new String(m.body(), StandardCharsets.UTF_8));
    }

    private static void line(PrintStream out, String name, Object value) {
        out.printf("%-20s %s%n", name + ":", value);
    }

    static Map<String, Object> toMap(StoredMessage m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("offsetMsgId", m.offsetMsgId());
        r.put("msgId", m.msgId());
        r.put("topic", m.topic());
        r.put("queueId", m.queueId());
        r.put("queueOffset", m.queueOffset());
        r.put("commitLogOffset", m.physicalOffset());
        r.put("flag", m.flag());
        r.put("sysFlag", m.sysFlag());
        r.put("reconsumeTimes", m.reconsumeTimes());
        r.put("bornTimestamp", m.bornTimestamp());
        r.put("bornHost", m.bornHost());
        r.put("storeTimestamp", m.storeTimestamp());
        r.put("storeHost", m.storeHost());
        r.put("properties", m.properties());
        r.put("body", new String(m.body(), StandardCharsets.UTF_8));
        if (m.bodyNote() != null) {
            r.put("bodyNote", m.bodyNote());
        }
        return r;
    }
}
