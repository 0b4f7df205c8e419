package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes a topic: B:215 on every master of the cluster (N:106; every cluster without -c), then N:216 on every
 * nameserver so the route disappears at once.
 */
public final class DeleteTopicCommand implements AdminCommand {
    @Override
    public String name() {
        return "deleteTopic";
    }

    @Override
    public String description() {
        return "delete a topic from the masters of a cluster and from every nameserver";
    }

    @Override
    public String synopsis() {
        return "-t topic [-c cluster]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-t", "-c");
    }

    @Override
    public void validate(Options options) {
        options.required("-t");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String topic = options.required("-t");
        String cluster = options.get("-c");
        List<String> masters = session.masters(cluster);
        for (String addr : masters) {
            AdminSession.expectSuccess(session.callBroker(addr,
                    RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_BROKER).put("topic", topic)),
                    "delete of topic " + topic + " on broker " + addr);
        }
        session.callEveryNameServer(() -> RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_NAMESRV)
                .put("topic", topic).put("clusterName", cluster), "delete of topic " + topic);
        if (session.json()) {
            session.printJson(Map.of("topic", topic, "brokers", masters, "nameServers", session.nameServers()));
        } else {
            session.out().println("delete topic " + topic + " from brokers " + masters + " and nameservers "
                    + session.nameServers() + " success");
        }
        return 0;
    }
}
