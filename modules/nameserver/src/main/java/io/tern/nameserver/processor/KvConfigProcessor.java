package io.tern.nameserver.processor;

import io.tern.nameserver.body.KvTable;
import io.tern.nameserver.kv.KvConfigStore;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
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

    public void registerTo(ProcessorTable table) {
        table.register(RequestCode.PUT_KV_CONFIG, this::put)
                .register(RequestCode.GET_KV_CONFIG, this::get)
                .register(RequestCode.DELETE_KV_CONFIG, this::delete)
                .register(RequestCode.GET_KVLIST_BY_NAMESPACE, this::list);
    }

    Future<RemotingCommand> put(RemotingConnection connection, RemotingCommand request) {
        String namespace = request.ext("namespace");
        String key = request.ext("key");
        if (namespace == null || key == null) {
            return Responses.error(request, ResponseCode.SYSTEM_ERROR, "namespace or key is null", false);
        }
        String value = request.required("value");
        return kv.put(namespace, key, value).map(v -> RemotingCommand.successTo(request));
    }

    Future<RemotingCommand> get(RemotingConnection connection, RemotingCommand request) {
        String namespace = request.required("namespace");
        String key = request.required("key");
        String value = kv.get(namespace, key);
        if (value == null) {
            return Responses.error(request, ResponseCode.QUERY_NOT_FOUND,
                    "No config item, Namespace: " + namespace + " Key: " + key, true);
        }
        return Future.succeededFuture(RemotingCommand.successTo(request).put("value", value));
    }

    Future<RemotingCommand> delete(RemotingConnection connection, RemotingCommand request) {
        return kv.delete(request.required("namespace"), request.required("key"))
                .map(v -> RemotingCommand.successTo(request));
    }

    Future<RemotingCommand> list(RemotingConnection connection, RemotingCommand request) {
        String namespace = request.required("namespace");
        Map<String, String> entries = kv.namespace(namespace);
        if (entries == null) {
            return Responses.error(request, ResponseCode.QUERY_NOT_FOUND, "No config item, Namespace: " + namespace,
                    true);
        }
        return Responses.successJson(request, new KvTable(entries));
    }
}
