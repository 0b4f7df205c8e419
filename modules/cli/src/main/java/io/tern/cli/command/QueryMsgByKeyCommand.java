package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.StoredMessage;
import io.tern.cli.StoredMessageDecoder;
import io.tern.cli.TextTable;
import io.tern.cli.UsageException;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Finds messages of a topic by key (N:105, then B:12 on every broker of the topic). Like the Java client, keeps
 * only messages whose KEYS holds the key or whose UNIQ_KEY equals it, since the index may return hash collisions.
 */
public final class QueryMsgByKeyCommand implements AdminCommand {
    static final int MAX_NUM = 64;

    @Override
    public String name() {
        return "queryMsgByKey";
    }

    @Override
    public String description() {
        return "find the messages of a topic that carry a key (or unique id)";
    }

    @Override
    public String synopsis() {
        return "-t topic -k key [-b beginTimestampMs] [-e endTimestampMs] [-m maxNum=64]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-t", "-k", "-b", "-e", "-m");
    }

    @Override
    public void validate(Options options) {
        options.required("-t");
        options.required("-k");
        if (options.intValue("-m", MAX_NUM) <= 0) {
            throw new UsageException("maxNum must be positive");
        }
        options.longValue("-b", 0);
        options.longValue("-e", 0);
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String topic = options.required("-t");
        String key = options.required("-k");
        List<StoredMessage> found = new ArrayList<>();
        for (AdminSession.BrokerTarget b : AdminSession.masters(session.route(topic))) {
            RemotingCommand resp = session.callBroker(b.addr(), RemotingCommand.request(RequestCode.QUERY_MESSAGE)
                    .put("topic", topic).put("key", key).put("maxNum", options.intValue("-m", MAX_NUM))
                    .put("beginTimestamp", options.longValue("-b", 0))
                    .put("endTimestamp", options.longValue("-e", Long.MAX_VALUE))
                    .put("_UNIQUE_KEY_QUERY", "false"));
            if (resp.code() == ResponseCode.QUERY_NOT_FOUND) {
                continue;
            }
            AdminSession.expectSuccess(resp, "query of key " + key + " on " + b.addr());
            for (StoredMessage m : StoredMessageDecoder.decodeAll(resp.bodyBytes())) {
                if (m.topic().equals(topic) && matches(m, key)) {
                    found.add(m);
                }
            }
        }
        found.sort(Comparator.comparingLong(StoredMessage::storeTimestamp));
        if (found.isEmpty()) {
            throw new AdminException("no message of topic " + topic + " with key " + key);
        }
        if (session.json()) {
            session.printJson(found.stream().map(MessagePrinter::toMap).toList());
            return 0;
        }
        TextTable table = new TextTable("#Message ID", "#Offset ID", "#QID", "#Offset", "#Store Time");
        found.forEach(m -> table.row(m.msgId(), m.offsetMsgId(), m.queueId(), m.queueOffset(),
                Times.format(m.storeTimestamp())));
        table.print(session.out());
        return 0;
    }

    private static boolean matches(StoredMessage m, String key) {
        String keys = m.properties().get("KEYS");
        if (keys != null && Arrays.asList(keys.split(" ")).contains(key)) {
            return true;
        }
        return key.equals(m.properties().get("UNIQ_KEY"));
    }
}
