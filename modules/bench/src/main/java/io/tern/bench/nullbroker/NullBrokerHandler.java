package io.tern.bench.nullbroker;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tern.bench.nullbroker.MemoryQueue.ParkedPull;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.protocol.RequestCode;
import org.apache.rocketmq.common.protocol.ResponseCode;
import org.apache.rocketmq.common.protocol.body.ClusterInfo;
import org.apache.rocketmq.common.protocol.header.GetConsumerListByGroupResponseBody;
import org.apache.rocketmq.common.protocol.header.GetMaxOffsetResponseHeader;
import org.apache.rocketmq.common.protocol.header.GetMinOffsetResponseHeader;
import org.apache.rocketmq.common.protocol.header.PullMessageResponseHeader;
import org.apache.rocketmq.common.protocol.header.QueryConsumerOffsetResponseHeader;
import org.apache.rocketmq.common.protocol.header.SearchOffsetResponseHeader;
import org.apache.rocketmq.common.protocol.header.SendMessageResponseHeader;
import org.apache.rocketmq.common.protocol.heartbeat.ConsumerData;
import org.apache.rocketmq.common.protocol.heartbeat.HeartbeatData;
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.QueueData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.common.sysflag.MessageSysFlag;
import org.apache.rocketmq.common.sysflag.PullSysFlag;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * The null broker's whole behaviour, on its one event loop: nameserver answers that route every topic to this
 * server, sends answered SEND_OK at once (the message is kept only in its queue's {@link MemoryQueue} ring), pulls
 * answered from memory or parked until a send arrives, consumer offsets in a map. Nothing touches a disk, nothing
 * hops a thread: what the official client reaches against it is the most it can reach on this machine.
 *
 * <p>Responses are written during a read and flushed once when the read burst ends, as a good server does.
 */
@ChannelHandler.Sharable
final class NullBrokerHandler extends ChannelInboundHandlerAdapter {
    static final String BROKER_NAME = "null-broker";
    static final String CLUSTER = "NullCluster";
    static final int QUEUES = 8;
    /**
     * Records kept over all queues, shared out evenly: 1,250 topics x 8 queues, or 1 MiB bodies, must not outgrow
     * the null broker's heap, and only a consumer near the head needs the real records.
     */
    static final long RETAINED_BYTES = 256L * 1024 * 1024;

    private final String host;
    private volatile String address;
    private volatile InetSocketAddress storeHost;
    private final Map<String, MemoryQueue[]> topics = new HashMap<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private final Map<String, Set<String>> groupClients = new HashMap<>();
    private long physicalOffset;
    private int queueCount;

    NullBrokerHandler(String host) {
        this.host = host;
    }

    /** Once bound: the address routes name (no client can know the port before). */
    void boundTo(int port) {
        this.storeHost = new InetSocketAddress(host, port);
        this.address = host + ":" + port;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RemotingCommand request = (RemotingCommand) msg;
        RemotingCommand response;
        try {
            response = handle(ctx, request);
        } catch (Exception e) {
            response = RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR, String.valueOf(e));
        }
        if (response != null && !request.isOnewayRPC()) {
            response.setOpaque(request.getOpaque());
            response.markResponseType();
            ctx.write(response);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** The response, or null when there is none now (a parked pull, a oneway request). */
    private RemotingCommand handle(ChannelHandlerContext ctx, RemotingCommand request) throws Exception {
        Map<String, String> f = request.getExtFields();
        switch (request.getCode()) {
            case RequestCode.SEND_MESSAGE:
            case RequestCode.SEND_MESSAGE_V2:
            case RequestCode.SEND_BATCH_MESSAGE:
                return send(ctx, request, f);
            case RequestCode.PULL_MESSAGE:
                return pull(ctx, request, f);
            case RequestCode.GET_ROUTEINFO_BY_TOPIC:
                return withBody(route().encode());
            case RequestCode.GET_BROKER_CLUSTER_INFO:
                return withBody(cluster().encode());
            case RequestCode.HEART_BEAT:
                heartbeat(HeartbeatData.decode(request.getBody(), HeartbeatData.class));
                return ok();
            case RequestCode.GET_CONSUMER_LIST_BY_GROUP: {
                GetConsumerListByGroupResponseBody body = new GetConsumerListByGroupResponseBody();
                body.setConsumerIdList(new ArrayList<>(groupClients.getOrDefault(f.get("consumerGroup"), Set.of())));
                return withBody(body.encode());
            }
            case RequestCode.QUERY_CONSUMER_OFFSET: {
                Long offset = offsets.get(offsetKey(f));
                if (offset == null) {
                    return RemotingCommand.createResponseCommand(ResponseCode.QUERY_NOT_FOUND, "no offset");
                }
                RemotingCommand r = RemotingCommand.createResponseCommand(QueryConsumerOffsetResponseHeader.class);
                ((QueryConsumerOffsetResponseHeader) r.readCustomHeader()).setOffset(offset);
                return success(r);
            }
            case RequestCode.UPDATE_CONSUMER_OFFSET:
                offsets.put(offsetKey(f), Long.parseLong(f.get("commitOffset")));
                return ok();
            case RequestCode.GET_MAX_OFFSET: {
                RemotingCommand r = RemotingCommand.createResponseCommand(GetMaxOffsetResponseHeader.class);
                ((GetMaxOffsetResponseHeader) r.readCustomHeader())
                        .setOffset(queue(f.get("topic"), Integer.parseInt(f.get("queueId"))).maxOffset());
                return success(r);
            }
            case RequestCode.GET_MIN_OFFSET: {
                RemotingCommand r = RemotingCommand.createResponseCommand(GetMinOffsetResponseHeader.class);
                ((GetMinOffsetResponseHeader) r.readCustomHeader()).setOffset(0L);
                return success(r);
            }
            case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP: {
                RemotingCommand r = RemotingCommand.createResponseCommand(SearchOffsetResponseHeader.class);
                ((SearchOffsetResponseHeader) r.readCustomHeader()).setOffset(0L);
                return success(r);
            }
            case RequestCode.UPDATE_AND_CREATE_TOPIC:
            case RequestCode.UNREGISTER_CLIENT:
            case RequestCode.END_TRANSACTION:
                return ok();
            default:
                return RemotingCommand.createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                        "the null broker does not serve request code " + request.getCode());
        }
    }

    private RemotingCommand send(ChannelHandlerContext ctx, RemotingCommand request, Map<String, String> f)
            throws Exception {
        boolean v2 = request.getCode() != RequestCode.SEND_MESSAGE;
        String topic = f.get(v2 ? "b" : "topic");
        int queueId = Integer.parseInt(f.get(v2 ? "e" : "queueId"));
        MemoryQueue queue = queue(topic, queueId);
        long firstOffset = queue.maxOffset();
        List<ParkedPull> woken;
        if (request.getCode() == RequestCode.SEND_BATCH_MESSAGE) {
            woken = new ArrayList<>();
            for (var m : MessageDecoder.decodeMessages(java.nio.ByteBuffer.wrap(request.getBody()))) {
                woken.addAll(append(ctx, queue, topic, queueId, f, v2, m.getBody(),
                        MessageDecoder.messageProperties2String(m.getProperties()), m.getFlag()));
            }
        } else {
            woken = append(ctx, queue, topic, queueId, f, v2, request.getBody(), f.get(v2 ? "i" : "properties"),
                    Integer.parseInt(f.get(v2 ? "h" : "flag")));
        }
        for (ParkedPull p : woken) {
            if (p.timeout().cancel(false)) {
                answerPull(p.channel(), p.request(), queue, p.offset(), p.maxMessages());
                p.channel().flush();
            }
        }
        RemotingCommand r = RemotingCommand.createResponseCommand(SendMessageResponseHeader.class);
        SendMessageResponseHeader h = (SendMessageResponseHeader) r.readCustomHeader();
        h.setMsgId(MessageDecoder.createMessageId(storeHost, physicalOffset));
        h.setQueueId(queueId);
        h.setQueueOffset(firstOffset);
        return success(r);
    }

    private List<ParkedPull> append(ChannelHandlerContext ctx, MemoryQueue queue, String topic, int queueId,
                                    Map<String, String> f, boolean v2, byte[] body, String properties, int flag) {
        MessageExt m = new MessageExt();
        m.setTopic(topic);
        m.setBody(body);
        m.setFlag(flag);
        if (properties != null) {
            MessageAccessor.setProperties(m, MessageDecoder.string2messageProperties(properties));
        }
        m.setQueueId(queueId);
        m.setQueueOffset(queue.maxOffset());
        m.setCommitLogOffset(physicalOffset);
        m.setSysFlag(Integer.parseInt(f.get(v2 ? "f" : "sysFlag")) & ~MessageSysFlag.COMPRESSED_FLAG);
        m.setBornTimestamp(Long.parseLong(f.get(v2 ? "g" : "bornTimestamp")));
        m.setBornHost(ctx.channel().remoteAddress());
        m.setStoreTimestamp(System.currentTimeMillis());
        m.setStoreHost(storeHost);
        m.setBodyCRC(0);
        byte[] record;
        try {
            record = MessageDecoder.encode(m, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode the record", e);
        }
        physicalOffset += record.length;
        return queue.append(record, RETAINED_BYTES / Math.max(1, queueCount));
    }

    private RemotingCommand pull(ChannelHandlerContext ctx, RemotingCommand request, Map<String, String> f) {
        MemoryQueue queue = queue(f.get("topic"), Integer.parseInt(f.get("queueId")));
        long offset = Long.parseLong(f.get("queueOffset"));
        int max = Integer.parseInt(f.get("maxMsgNums"));
        if (offset < queue.maxOffset() || !PullSysFlag.hasSuspendFlag(Integer.parseInt(f.get("sysFlag")))) {
            answerPull(ctx, request, queue, offset, max);
            return null;
        }
        long suspendMs = Long.parseLong(f.getOrDefault("suspendTimeoutMillis", "15000"));
        ParkedPull[] self = new ParkedPull[1];
        self[0] = new ParkedPull(ctx, request, offset, max, ctx.executor().schedule(() -> {
            if (queue.unpark(self[0])) {
                answerPull(ctx, request, queue, offset, max);
                ctx.flush();
            }
        }, suspendMs, TimeUnit.MILLISECONDS));
        queue.park(self[0]);
        return null;
    }

    /** Writes (without flushing) the answer to a pull: FOUND with records, or PULL_NOT_FOUND at the head. */
    private void answerPull(ChannelHandlerContext ctx, RemotingCommand request, MemoryQueue queue, long offset,
                            int max) {
        RemotingCommand r = RemotingCommand.createResponseCommand(PullMessageResponseHeader.class);
        PullMessageResponseHeader h = (PullMessageResponseHeader) r.readCustomHeader();
        long end = queue.maxOffset();
        h.setMinOffset(0L);
        h.setMaxOffset(end);
        h.setSuggestWhichBrokerId(0L);
        if (offset < end) {
            byte[] body = queue.read(offset, max);
            r.setCode(ResponseCode.SUCCESS);
            r.setBody(body);
            h.setNextBeginOffset(offset + Math.min(max, end - offset));
        } else {
            r.setCode(ResponseCode.PULL_NOT_FOUND);
            h.setNextBeginOffset(Math.min(offset, end));
        }
        r.setOpaque(request.getOpaque());
        r.markResponseType();
        ctx.write(r);
    }

    private void heartbeat(HeartbeatData data) {
        for (ConsumerData c : data.getConsumerDataSet()) {
            groupClients.computeIfAbsent(c.getGroupName(), g -> new LinkedHashSet<>()).add(data.getClientID());
        }
    }

    private MemoryQueue queue(String topic, int queueId) {
        MemoryQueue[] queues = topics.computeIfAbsent(topic, t -> new MemoryQueue[QUEUES]);
        if (queueId >= queues.length) {
            queues = java.util.Arrays.copyOf(queues, queueId + 1);
            topics.put(topic, queues);
        }
        if (queues[queueId] == null) {
            queues[queueId] = new MemoryQueue();
            queueCount++;
        }
        return queues[queueId];
    }

    private static String offsetKey(Map<String, String> f) {
        return f.get("consumerGroup") + '@' + f.get("topic") + '@' + f.get("queueId");
    }

    private TopicRouteData route() {
        TopicRouteData route = new TopicRouteData();
        QueueData q = new QueueData();
        q.setBrokerName(BROKER_NAME);
        q.setReadQueueNums(QUEUES);
        q.setWriteQueueNums(QUEUES);
        q.setPerm(6);
        route.setQueueDatas(new ArrayList<>(List.of(q)));
        route.setBrokerDatas(new ArrayList<>(List.of(brokerData())));
        route.setFilterServerTable(new HashMap<>());
        return route;
    }

    private ClusterInfo cluster() {
        ClusterInfo info = new ClusterInfo();
        HashMap<String, BrokerData> brokers = new HashMap<>();
        brokers.put(BROKER_NAME, brokerData());
        info.setBrokerAddrTable(brokers);
        HashMap<String, Set<String>> clusters = new HashMap<>();
        clusters.put(CLUSTER, new java.util.HashSet<>(Set.of(BROKER_NAME)));
        info.setClusterAddrTable(clusters);
        return info;
    }

    private BrokerData brokerData() {
        HashMap<Long, String> addrs = new HashMap<>();
        addrs.put(0L, address);
        return new BrokerData(CLUSTER, BROKER_NAME, addrs);
    }

    private static RemotingCommand ok() {
        return RemotingCommand.createResponseCommand(ResponseCode.SUCCESS, null);
    }

    private static RemotingCommand success(RemotingCommand r) {
        r.setCode(ResponseCode.SUCCESS);
        return r;
    }

    private static RemotingCommand withBody(byte[] body) {
        RemotingCommand r = ok();
        r.setBody(body);
        return r;
    }
}
