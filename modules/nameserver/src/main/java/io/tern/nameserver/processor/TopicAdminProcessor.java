package io.tern.nameserver.processor;

import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
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

    public Future<RemotingCommand> wipeWritePerm(RemotingChannel channel, RemotingCommand request) {
        return Future.succeededFuture(RemotingCommand.successTo(request)
                .put("wipeTopicCount", registry.wipeWritePerm(request.required("brokerName"))));
    }

    public Future<RemotingCommand> addWritePerm(RemotingChannel channel, RemotingCommand request) {
        return Future.succeededFuture(RemotingCommand.successTo(request)
                .put("addTopicCount", registry.addWritePerm(request.required("brokerName"))));
    }

    public Future<RemotingCommand> deleteTopic(RemotingChannel connection, RemotingCommand request) {
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
