package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.StoredMessage;
import io.tern.cli.StoredMessageDecoder;
import io.tern.cli.TextTable;
import io.tern.cli.UsageException;
import io.tern.common.trace.MessageTrace;
import io.tern.common.trace.TraceData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The trace of a message by its id, as mqadmin's queryMsgTraceById finds it: N:105 for the trace topic, then B:12
 * (QUERY_MESSAGE, key = the message id) on every broker of it; the bodies are decoded as the clients write them
 * ({@link TraceData}) and put together into sends and consumptions ({@link MessageTrace}).
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
        if (session.json()) {
            session.printJson(trace);
            return 0;
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
