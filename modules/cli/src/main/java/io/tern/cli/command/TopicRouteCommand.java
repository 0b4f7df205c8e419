package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.common.protocol.BrokerData;
import io.tern.common.protocol.QueueData;
import io.tern.common.protocol.TopicRouteData;
import java.util.Set;

/** The nameserver's route of a topic (N:105): queue data per broker and broker addresses. */
public final class TopicRouteCommand implements AdminCommand {
    @Override
    public String name() {
        return "topicRoute";
    }

    @Override
    public String description() {
        return "show the route of a topic: brokers, addresses, queue numbers and permissions";
    }

    @Override
    public String synopsis() {
        return "-t topic";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-t");
    }

    @Override
    public void validate(Options options) {
        options.required("-t");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        TopicRouteData route = session.route(options.required("-t"));
        if (session.json()) {
            session.printJson(route);
            return 0;
        }
        var out = session.out();
        out.println("Topic: " + options.required("-t"));
        if (route.orderTopicConf != null) {
            out.println("Order topic config: " + route.orderTopicConf);
        }
        out.println("Brokers:");
        for (BrokerData bd : route.brokerDatas) {
            out.println("  " + bd.brokerName + " (cluster " + bd.cluster + "): " + bd.brokerAddrs);
        }
        out.println("Queues:");
        for (QueueData qd : route.queueDatas) {
            out.println("  " + qd.brokerName + ": read " + qd.readQueueNums + ", write " + qd.writeQueueNums
                    + ", perm " + perm(qd.perm) + " (" + qd.perm + ")");
        }
        return 0;
    }

    static String perm(int perm) {
        return ((perm & 4) != 0 ? "R" : "-") + ((perm & 2) != 0 ? "W" : "-") + ((perm & 1) != 0 ? "X" : "-");
    }
}
