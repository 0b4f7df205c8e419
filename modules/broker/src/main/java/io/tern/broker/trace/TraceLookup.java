package io.tern.broker.trace;

import io.tern.broker.BrokerConfig;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import io.tern.common.trace.MessageTrace;
import io.tern.common.trace.TraceData;
import io.tern.store.MessageStore;
import io.tern.store.QueryResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the trace of a message in this broker's trace topic: the index query mqadmin's queryMsgTraceById makes
 * (QUERY_MESSAGE, key = message id), the bodies decoded as the clients write them. Blocking (walks index files):
 * call it on a worker.
 */
public final class TraceLookup {
    public static final String SOURCE_CLIENT = "client";

    private final BrokerConfig config;
    private final MessageStore store;

    public TraceLookup(BrokerConfig config, MessageStore store) {
        this.config = config;
        this.store = store;
    }

    public String traceTopic() {
        return config.msgTraceTopicName;
    }

    /** Every record naming {@code msgId}, at most {@code maxRecords} trace messages read. */
    public MessageTrace find(String msgId, int maxRecords) {
        QueryResult result = store.query(config.msgTraceTopicName, msgId, maxRecords, 0, Long.MAX_VALUE);
        List<MessageTrace.Observed> observed = new ArrayList<>();
        if (result != null && result.messages() != null) {
            for (ByteBuffer record : result.messages()) {
                StoredRecord r = StoredRecord.decode(record);
                if (!r.topic().equals(config.msgTraceTopicName)) {
                    continue;
                }
                String source = BrokerTraceWriter.SOURCE_BROKER.equals(
                        MessageProperties.parse(r.properties()).get(BrokerTraceWriter.SOURCE_PROPERTY))
                        ? BrokerTraceWriter.SOURCE_BROKER : SOURCE_CLIENT;
                String clientHost = host(r.bornHost(), r.bornPort());
                String body = StandardCharsets.UTF_8.decode(r.body().duplicate()).toString();
                TraceData.decode(body).forEach(t -> observed.add(new MessageTrace.Observed(t, clientHost, source)));
            }
        }
        return MessageTrace.of(msgId, observed);
    }

    static String host(byte[] address, int port) {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + ":" + port;
        } catch (UnknownHostException e) {
            return MessageIds.hex(address) + ":" + port;
        }
    }
}
