package io.tern.broker.send;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.RemotingChannel;
import io.tern.store.StoreMessage;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Turns a validated send into the {@link StoreMessage} the store appends (spec 3.3.1 steps 7–9): broker
 * properties (CLUSTER and MSG_REGION added, TRACE_ON when false, WAIT removed), born/store hosts, tag code, and the two rewrites — a delayed message
 * goes to SCHEDULE_TOPIC_XXXX queue level−1 with its delivery time as tag code (6.7), a transactional half
 * message to RMQ_SYS_TRANS_HALF_TOPIC queue 0 with its transaction type reset (6.8). Both keep the real
 * destination in REAL_TOPIC / REAL_QID.
 *
 * <p>Stateless; safe from any thread.
 */
final class StoreMessageBuilder {
    private static final String BORN_HOST_ATTRIBUTE = "tern.bornHost";

    private StoreMessageBuilder() {
    }

    record BornHost(byte[] address, int port) {
    }

    static StoreMessage build(BrokerConfig config, BrokerAddress address, RemotingChannel conn, String topic,
                              int queueId, int flag, int sysFlag, long bornTimestamp, int reconsumeTimes,
                              ByteBuffer body, ParsedProperties props) {
        props.remove(MessageConst.WAIT_STORE_MSG_OK);
        props.put(MessageConst.CLUSTER, config.clusterName);
        // a consumer's trace hook reads these from the message: the 5.x client drops trace records without a
        // region, and skips messages whose TRACE_ON is "false". RocketMQ stamps both on every message; TRACE_ON is
        // written only when false, as its absence reads the same (14 bytes less per record by default)
        props.put(MessageConst.MSG_REGION, config.regionId);
        if (!config.traceOn) {
            props.put(MessageConst.TRACE_SWITCH, "false");
        }
        StoreMessage m = new StoreMessage();
        m.topic = topic;
        m.queueId = queueId;
        m.flag = flag;
        m.sysFlag = sysFlag;
        m.bornTimestamp = bornTimestamp;
        m.reconsumeTimes = reconsumeTimes;
        m.body = body;
        BornHost born = bornHost(conn);
        m.bornHostAddress = born.address;
        m.bornHostPort = born.port;
        m.storeHostAddress = address.hostBytes();
        m.storeHostPort = address.port();
        m.tagsCode = TagCodes.of(props.tags());

        if (props.isTransactionPrepared()) {
            toHalfMessage(m, props);
        } else {
            int tx = MessageSysFlag.transactionType(m.sysFlag);
            int level = props.delayLevel();
            if (level > 0 && (tx == MessageSysFlag.TRANSACTION_NOT_TYPE || tx == MessageSysFlag.TRANSACTION_COMMIT_TYPE)) {
                toScheduled(m, props, level);
            }
        }
        return m.withProperties(props);
    }

    static void toScheduled(StoreMessage m, ParsedProperties props, int level) {
        if (level > DelayLevels.maxLevel()) {
            level = DelayLevels.maxLevel();
            props.put(MessageConst.DELAY_TIME_LEVEL, String.valueOf(level));
        }
        props.put(MessageConst.REAL_TOPIC, m.topic);
        props.put(MessageConst.REAL_QUEUE_ID, String.valueOf(m.queueId));
        m.topic = SystemNames.SCHEDULE_TOPIC;
        m.queueId = level - 1;
        m.tagsCode = System.currentTimeMillis() + DelayLevels.delayMs(level);
    }

    private static void toHalfMessage(StoreMessage m, ParsedProperties props) {
        props.put(MessageConst.REAL_TOPIC, m.topic);
        props.put(MessageConst.REAL_QUEUE_ID, String.valueOf(m.queueId));
        m.sysFlag = MessageSysFlag.withTransactionType(m.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE);
        m.topic = SystemNames.TRANS_HALF_TOPIC;
        m.queueId = 0;
    }

    /** The TCP peer as address bytes + port, cached on the connection. */
    static BornHost bornHost(RemotingChannel conn) {
        BornHost cached = conn.attribute(BORN_HOST_ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        SocketAddress remote = conn.remoteSocketAddress();
        byte[] address = new byte[4];
        int port = 0;
        if (remote != null && remote.hostAddress() != null) {
            port = remote.port();
            try {
                address = InetAddress.getByName(remote.hostAddress()).getAddress();
            } catch (UnknownHostException e) {
                // keep 0.0.0.0: the born host is informational
            }
        }
        BornHost b = new BornHost(address, port);
        conn.attribute(BORN_HOST_ATTRIBUTE, b);
        return b;
    }

    static byte[] addressBytes(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("brokerIP1 is not an IP address: " + ip, e);
        }
    }
}
