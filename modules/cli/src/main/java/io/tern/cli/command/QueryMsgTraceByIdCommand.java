package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.StoredMessage;
import io.tern.cli.StoredMessageDecoder;
import io.tern.cli.TextTable;
import io.tern.cli.UsageException;
import io.tern.common.message.MessageIds;
import io.tern.common.trace.MessageTrace;
import io.tern.common.trace.TraceData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trace of a message by its id, as mqadmin's queryMsgTraceById finds it: N:105 for the trace topic, then B:12
 * (QUERY_MESSAGE, key = the message id) on every broker of it; the bodies are decoded as the clients write them
 * ({@link TraceData}) and put together into sends and consumptions ({@link MessageTrace}); the traced message itself
 * is shown from the broker that stored it (B:33), for when it was stored.
 */
public final class QueryMsgTraceByIdCommand implements AdminCommand {
    static final String DEFAULT_TRACE_TOPIC = "RMQ_SYS_TRACE_TOPIC";
    static final int MAX_NUM = 64;

    @Override
    public String name() {
        return "queryMsgTraceById";
    }

    @Override
    public String description() {
        return "show a message's trace: who sent it, when, which groups consumed it, how long, the result";
    }

    @Override
    public String synopsis() {
        return "-i msgId [-t traceTopic=RMQ_SYS_TRACE_TOPIC] [-c maxNum=64]";
    }

    /**
     * The traced message itself, from the broker named in a send record's offset id (B:33): when it was stored.
     * Null when no record names one or that broker cannot show it — the trace stands without it.
     */
    private static StoredMessage storedMessage(AdminSession session, MessageTrace trace) {
        for (MessageTrace.Published p : trace.published()) {
            String id = p.offsetMsgId();
            if (id == null || !id.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{56}")) {
                continue;
            }
            InetSocketAddress host = MessageIds.storeHost(id.toUpperCase());
            try {
                RemotingCommand resp = session.callBroker(host.getAddress().getHostAddress() + ":" + host.getPort(),
                        RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID)
                                .put("offset", MessageIds.physicalOffset(id.toUpperCase())));
                if (resp.code() == ResponseCode.SUCCESS) {
                    List<StoredMessage> found = StoredMessageDecoder.decodeAll(resp.bodyBytes());
                    if (!found.isEmpty()) {
                        return found.get(0);
                    }
                }
            } catch (AdminException e) {
                // that broker is gone or unreachable: show the trace without the stored message
            }
        }
        return null;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-i", "-t", "-c");
    }

    @Override
    public void validate(Options options) {
        if (options.required("-i").isBlank()) {
            throw new UsageException("-i needs a message id");
        }
        if (options.intValue("-c", MAX_NUM) <= 0) {
            throw new UsageException("maxNum must be positive");
        }
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String msgId = options.required("-i").trim();
        String traceTopic = options.get("-t", DEFAULT_TRACE_TOPIC);
        List<MessageTrace.Observed> observed = new ArrayList<>();
        for (AdminSession.BrokerTarget b : AdminSession.masters(session.route(traceTopic))) {
            RemotingCommand resp = session.callBroker(b.addr(), RemotingCommand.request(RequestCode.QUERY_MESSAGE)
                    .put("topic", traceTopic).put("key", msgId).put("maxNum", options.intValue("-c", MAX_NUM))
                    .put("beginTimestamp", 0L).put("endTimestamp", Long.MAX_VALUE)
                    .put("_UNIQUE_KEY_QUERY", "false"));
            if (resp.code() == ResponseCode.QUERY_NOT_FOUND) {
                continue;
            }
            AdminSession.expectSuccess(resp, "trace query of " + msgId + " on " + b.addr());
            for (StoredMessage m : StoredMessageDecoder.decodeAll(resp.bodyBytes())) {
                String keys = m.properties().get("KEYS");
                if (!m.topic().equals(traceTopic) || keys == null || !Arrays.asList(keys.split(" ")).contains(msgId)) {
                    continue;
                }
                String source = "broker".equals(m.properties().get("TRACE_SOURCE")) ? "broker" : "client";
                TraceData.decode(new String(m.body(), StandardCharsets.UTF_8))
                        .forEach(r -> observed.add(new MessageTrace.Observed(r, m.bornHost(), source)));
            }
        }
        MessageTrace trace = MessageTrace.of(msgId, observed);
        if (trace.published().isEmpty() && trace.consumed().isEmpty() && trace.transactions().isEmpty()) {
            throw new AdminException("no trace of message " + msgId + " in " + traceTopic);
        }
        StoredMessage stored = storedMessage(session, trace);
        if (session.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("msgId", trace.msgId());
            out.put("published", trace.published());
            out.put("consumed", trace.consumed());
            out.put("transactions", trace.transactions());
            if (stored != null) {
                out.put("message", MessagePrinter.toMap(stored));
            }
            session.printJson(out);
            return 0;
        }
        if (stored != null) {
            session.out().println("Stored " + Times.format(stored.storeTimestamp()) + " at " + stored.storeHost()
                    + " in " + stored.topic() + " queue " + stored.queueId() + " offset " + stored.queueOffset());
            session.out().println();
        }
        if (!trace.published().isEmpty()) {
            TextTable pub = new TextTable("#Type", "#ProducerGroup", "#ClientHost", "#SendTime", "#CostTimes",
                    "#Status", "#Source", "#Topic", "#StoreHost");
            trace.published().forEach(p -> pub.row("Pub", p.producerGroup(), p.clientHost(),
                    Times.format(p.sendTimestamp()), p.costTimeMs() + "ms", p.success() ? "success" : "failed",
                    p.source(), p.topic(), p.storeHost()));
            pub.print(session.out());
            session.out().println();
        }
        if (!trace.consumed().isEmpty()) {
            TextTable sub = new TextTable("#Type", "#ConsumerGroup", "#ClientHost", "#ConsumeTime", "#CostTimes",
                    "#Status", "#RetryTimes");
            trace.consumed().forEach(c -> sub.row("Sub", c.group(), c.clientHost(),
                    Times.format(c.beginTimestamp() >= 0 ? c.beginTimestamp() : c.endTimestamp()),
                    c.costTimeMs() >= 0 ? c.costTimeMs() + "ms" : "-",
                    c.success() == null ? "consuming" : c.success() ? "success" : "failed",
                    c.retryTimes() >= 0 ? c.retryTimes() : "-"));
            sub.print(session.out());
        }
        return 0;
    }
}
