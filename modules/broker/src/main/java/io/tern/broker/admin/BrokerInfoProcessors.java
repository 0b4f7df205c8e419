package io.tern.broker.admin;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerStats;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.namesrv.NameServerRegistrar;
import io.tern.broker.pull.PullHoldTable;
import io.tern.common.Json;
import io.tern.common.protocol.AdminBodies;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.StoreConfig;
import io.tern.store.StoreStats;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * GET_BROKER_RUNTIME_INFO (28) and GET_BROKER_CONFIG (26), spec 3.7 and 4.2.10. Every numeric key mqadmin
 * parses is present and parseable, including the 5.x timer keys (always zero here).
 */
public final class BrokerInfoProcessors {
    private static final String VERSION_DESC = "V4_9_7";

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final long bootTimestampMs;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final PullHoldTable holds;
    private final BrokerStats stats;
    private final NameServerRegistrar registrar;

    public BrokerInfoProcessors(BrokerConfig config, BrokerAddress address, long bootTimestampMs, MessageStore store,
                                TopicConfigManager topics, PullHoldTable holds, BrokerStats stats,
                                NameServerRegistrar registrar) {
        this.config = config;
        this.address = address;
        this.bootTimestampMs = bootTimestampMs;
        this.store = store;
        this.topics = topics;
        this.holds = holds;
        this.stats = stats;
        this.registrar = registrar;
    }

    public Future<RemotingCommand> runtimeInfo(RemotingChannel conn, RemotingCommand req) {
        AdminBodies.KVTable kv = new AdminBodies.KVTable();
        Map<String, String> t = kv.table;
        BrokerStats s = stats;
        StoreStats store = this.store.stats();
        long now = System.currentTimeMillis();
        t.put("brokerVersionDesc", VERSION_DESC);
        t.put("brokerVersion", String.valueOf(RemotingCommand.SERVER_VERSION));
        t.put("brokerActive", "true");
        t.put("msgPutTotalYesterdayMorning", String.valueOf(s.putYesterdayMorning()));
        t.put("msgPutTotalTodayMorning", String.valueOf(s.putTodayMorning()));
        t.put("msgPutTotalTodayNow", String.valueOf(s.messagesPut.sum()));
        t.put("msgGetTotalYesterdayMorning", String.valueOf(s.gotYesterdayMorning()));
        t.put("msgGetTotalTodayMorning", String.valueOf(s.gotTodayMorning()));
        t.put("msgGetTotalTodayNow", String.valueOf(s.messagesGot.sum()));
        t.put("putTps", s.putTps());
        t.put("getTransferedTps", s.getTps());
        t.put("getFoundTps", s.getTps());
        t.put("getMissTps", "0.0 0.0 0.0");
        t.put("getTotalTps", s.getTps());
        for (String zero : new String[] {"sendThreadPoolQueueSize", "sendThreadPoolQueueCapacity",
            "pullThreadPoolQueueSize", "pullThreadPoolQueueCapacity", "queryThreadPoolQueueSize",
            "queryThreadPoolQueueCapacity", "sendThreadPoolQueueHeadWaitTimeMills",
            "pullThreadPoolQueueHeadWaitTimeMills", "queryThreadPoolQueueHeadWaitTimeMills",
            "pageCacheLockTimeMills", "timerReadBehind", "timerOffsetBehind", "timerCongestNum"}) {
            t.put(zero, "0");
        }
        t.put("timerEnqueueTps", "0.0");
        t.put("timerDequeueTps", "0.0");
        t.put("earliestMessageTimeStamp", String.valueOf(store.earliestMessageTimestamp()));
        t.put("commitLogDiskRatio", String.valueOf(store.commitLogDiskRatio()));
        t.put("commitLogMinOffset", String.valueOf(store.minPhysicalOffset()));
        t.put("commitLogMaxOffset", String.valueOf(store.maxPhysicalOffset()));
        t.put("dispatchBehindBytes", String.valueOf(store.dispatchBehindBytes()));
        t.put("remainHowManyDataToFlush", String.valueOf(Math.max(0,
                store.maxPhysicalOffset() - store.flushedPhysicalOffset())));
        t.put("putMessageFailedTimes", String.valueOf(store.putFailureCount()));
        t.put("bootTimestamp", String.valueOf(bootTimestampMs));
        t.put("runtime", runtime(now - bootTimestampMs));
        t.put("brokerName", config.brokerName);
        t.put("brokerAddr", address.hostPort());
        t.put("parkedPulls", String.valueOf(holds.parkedCount()));
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(kv)));
    }

    public Future<RemotingCommand> brokerConfig(RemotingChannel conn, RemotingCommand req) {
        StringBuilder sb = new StringBuilder();
        appendFields(sb, config, BrokerConfig.class);
        appendFields(sb, config.store, StoreConfig.class);
        return Future.succeededFuture(RemotingCommand.successTo(req)
                .put("version", Json.toString(topics.dataVersion()))
                .body(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void appendFields(StringBuilder sb, Object target, Class<?> type) {
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType() == StoreConfig.class) {
                continue;
            }
            try {
                Object value = BrokerConfig.SECRET_KEYS.contains(f.getName()) ? "******" : f.get(target);
                sb.append(f.getName()).append('=').append(value).append('\n');
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * UPDATE_BROKER_CONFIG (25): body = Java properties text. Keys in {@link BrokerConfig#RUNTIME_KEYS} take effect
     * at once (a permission change is registered at the nameservers right away); other keys are accepted and
     * ignored, as they need a restart. Not persisted: the config file stays the source of truth.
     */
    public Future<RemotingCommand> updateBrokerConfig(RemotingChannel conn, RemotingCommand req) {
        byte[] body = req.bodyBytes();
        Properties props = new Properties();
        if (body != null) {
            try {
                props.load(new StringReader(new String(body, StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                return Future.succeededFuture(RemotingCommand.responseTo(req,
                        ResponseCode.SYSTEM_ERROR, "bad properties body: " + e.getMessage()));
            }
        }
        Map<String, String> values = new HashMap<>();
        props.forEach((k, v) -> values.put(k.toString(), v.toString()));
        Set<String> applied;
        try {
            applied = config.applyRuntimeChanges(values);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(RemotingCommand.responseTo(req,
                    ResponseCode.SYSTEM_ERROR, e.getMessage()));
        }
        if (applied.contains("brokerPermission")) {
            return registrar.requestRegistration().map(v -> RemotingCommand.successTo(req));
        }
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    /** "[ 0 days, 1 hours, 2 minutes, 3 seconds ]" as the reference prints it. */
    static String runtime(long ms) {
        long s = ms / 1000;
        return "[ " + s / 86400 + " days, " + (s % 86400) / 3600 + " hours, " + (s % 3600) / 60 + " minutes, "
                + s % 60 + " seconds ]";
    }
}
