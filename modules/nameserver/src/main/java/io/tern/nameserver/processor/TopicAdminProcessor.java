package io.tern.nameserver.processor;

import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;

/**
 * mqadmin changes to routes: DELETE_TOPIC_IN_NAMESRV (216), WIPE_WRITE_PERM_OF_BROKER (205),
 * ADD_WRITE_PERM_OF_BROKER (327) (spec 3.2.7, 3.2.9). Runs on event loops.
 */
public final class TopicAdminProcessor {
    private final RouteRegistry registry;

    public TopicAdminProcessor(RouteRegistry registry) {
        this.registry = registry;
    }

    public void registerTo(ProcessorTable table) {
        table.register(RequestCode.DELETE_TOPIC_IN_NAMESRV, this::deleteTopic)
                .register(RequestCode.WIPE_WRITE_PERM_OF_BROKER, (c, req) -> Future.succeededFuture(
                        RemotingCommand.successTo(req)
                                .put("wipeTopicCount", registry.wipeWritePerm(req.required("brokerName")))))
                .register(RequestCode.ADD_WRITE_PERM_OF_BROKER, (c, req) -> Future.succeededFuture(
                        RemotingCommand.successTo(req)
                                .put("addTopicCount", registry.addWritePerm(req.required("brokerName")))));
    }

    Future<RemotingCommand> deleteTopic(RemotingConnection connection, RemotingCommand request) {
        String topic = request.required("topic");
        String clusterName = request.ext("clusterName");
        if (clusterName != null && !clusterName.isEmpty()) {
            registry.deleteTopic(topic, clusterName);
        } else {
            registry.deleteTopic(topic);
        }
        return Responses.success(request);
    }
}
