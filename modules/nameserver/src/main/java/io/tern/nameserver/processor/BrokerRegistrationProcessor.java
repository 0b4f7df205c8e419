package io.tern.nameserver.processor;

import io.tern.common.Json;
import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.nameserver.body.KvTable;
import io.tern.nameserver.kv.KvConfigStore;
import io.tern.nameserver.route.BrokerRegistration;
import io.tern.nameserver.route.RegisterBrokerBodyDecoder;
import io.tern.nameserver.route.RegisterResult;
import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Broker → nameserver calls: REGISTER_BROKER (103), UNREGISTER_BROKER (104), QUERY_DATA_VERSION (322)
 * (spec 3.2.1–3.2.3). Runs on event loops: decoding a registration body and updating the registry are
 * in-memory work.
 */
public final class BrokerRegistrationProcessor {
    public static final String ORDER_TOPIC_CONFIG_NAMESPACE = "ORDER_TOPIC_CONFIG";

    private final RouteRegistry registry;
    private final KvConfigStore kv;

    public BrokerRegistrationProcessor(RouteRegistry registry, KvConfigStore kv) {
        this.registry = registry;
        this.kv = kv;
    }

    public Future<RemotingCommand> registerBroker(RemotingChannel connection, RemotingCommand request) {
        String brokerName = request.required("brokerName");
        String brokerAddr = request.required("brokerAddr");
        String clusterName = request.required("clusterName");
        String haServerAddr = request.ext("haServerAddr");
        long brokerId = request.requiredLong("brokerId");
        int bodyCrc32 = request.extInt("bodyCrc32", 0);
        byte[] body = request.bodyBytes();
        if (bodyCrc32 != 0 && crc32(body) != bodyCrc32) {
            return Responses.error(request, ResponseCode.SYSTEM_ERROR, "crc32 not match", false);
        }
        RegisterBrokerBody decoded;
        try {
            decoded = RegisterBrokerBodyDecoder.decode(body, request.extBool("compressed"), request.version());
        } catch (IllegalArgumentException e) {
            throw new RemotingProtocolException("Failed to decode RegisterBrokerBody: " + e.getMessage());
        }
        RegisterResult result = registry.register(new BrokerRegistration(clusterName, brokerAddr, brokerName,
                brokerId, haServerAddr, request.extLong("heartbeatTimeoutMillis", -1),
                decoded.topicConfigSerializeWrapper, decoded.filterServerList, connection));

        RemotingCommand response = RemotingCommand.successTo(request)
                .put("masterAddr", result.masterAddr())
                .put("haServerAddr", result.haServerAddr());
        Map<String, String> orderConf = kv.namespace(ORDER_TOPIC_CONFIG_NAMESPACE);
        if (orderConf != null) {
            response.body(Json.toBytes(new KvTable(orderConf)));
        }
        return Future.succeededFuture(response);
    }

    public Future<RemotingCommand> unregisterBroker(RemotingChannel connection, RemotingCommand request) {
        registry.unregister(request.required("clusterName"), request.required("brokerAddr"),
                request.required("brokerName"), request.requiredLong("brokerId"));
        return Responses.success(request);
    }

    public Future<RemotingCommand> queryDataVersion(RemotingChannel connection, RemotingCommand request) {
        String brokerAddr = request.required("brokerAddr");
        byte[] body = request.bodyBytes();
        if (body == null || body.length == 0) {
            throw new RemotingProtocolException("QUERY_DATA_VERSION without a DataVersion body");
        }
        DataVersion brokerVersion;
        try {
            brokerVersion = Json.fromBytes(body, DataVersion.class);
        } catch (IllegalArgumentException e) {
            throw new RemotingProtocolException(e.getMessage());
        }
        boolean changed = registry.isTopicConfigChanged(brokerAddr, brokerVersion);
        if (!changed) {
            registry.touch(brokerAddr);
        }
        DataVersion known = registry.dataVersionOf(brokerAddr);
        RemotingCommand response = RemotingCommand.successTo(request).put("changed", changed);
        if (known != null) {
            response.body(Json.toBytes(known));
        }
        return Future.succeededFuture(response);
    }

    /** CRC32 masked to a non-negative int, as the reference's UtilAll.crc32. */
    static int crc32(byte[] body) {
        if (body == null) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }
}
