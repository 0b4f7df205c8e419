package io.tern.nameserver.processor;

import io.tern.nameserver.body.KvTable;
import io.tern.nameserver.kv.KvConfigStore;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.Map;

/**
 * KV config calls: PUT_KV_CONFIG (100), GET_KV_CONFIG (101), DELETE_KV_CONFIG (102), GET_KVLIST_BY_NAMESPACE
 * (219) (spec 3.2.8). Runs on event loops; a change is answered once the store has written its file (on a
 * worker), so a SUCCESS means it survives a restart.
 */
public final class KvConfigProcessor {
    private final KvConfigStore kv;

    public KvConfigProcessor(KvConfigStore kv) {
        this.kv = kv;
    }

    public Future<RemotingCommand> put(RemotingChannel connection, RemotingCommand request) {
        String namespace = request.ext("namespace");
        String key = request.ext("key");
        if (namespace == null || key == null) {
            return Responses.error(request, ResponseCode.SYSTEM_ERROR, "namespace or key is null", false);
        }
        String value = request.required("value");
        return kv.put(namespace, key, value).map(v -> RemotingCommand.successTo(request));
    }

    public Future<RemotingCommand> get(RemotingChannel connection, RemotingCommand request) {
        String namespace = request.required("namespace");
        String key = request.required("key");
        String value = kv.get(namespace, key);
        if (value == null) {
            return Responses.error(request, ResponseCode.QUERY_NOT_FOUND,
                    "No config item, Namespace: " + namespace + " Key: " + key, true);
        }
        return Future.succeededFuture(RemotingCommand.successTo(request).put("value", value));
    }

    public Future<RemotingCommand> delete(RemotingChannel connection, RemotingCommand request) {
        return kv.delete(request.required("namespace"), request.required("key"))
                .map(v -> RemotingCommand.successTo(request));
    }

    public Future<RemotingCommand> list(RemotingChannel connection, RemotingCommand request) {
        String namespace = request.required("namespace");
        Map<String, String> entries = kv.namespace(namespace);
        if (entries == null) {
            return Responses.error(request, ResponseCode.QUERY_NOT_FOUND, "No config item, Namespace: " + namespace,
                    true);
        }
        return Responses.successJson(request, new KvTable(entries));
    }
}
