package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Bodies;
import io.tern.cli.Options;
import io.tern.cli.UsageException;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates or changes a consumer group's settings (B:200) on a broker (-b) or on every master of a cluster (N:106;
 * every cluster without -c).
 */
public final class UpdateSubGroupCommand implements AdminCommand {
    @Override
    public String name() {
        return "updateSubGroup";
    }

    @Override
    public String description() {
        return "create or update a consumer group's settings on a broker or on every master of a cluster";
    }

    @Override
    public String synopsis() {
        return "-g group [-c cluster | -b brokerAddr] [-s consumeEnable=true] [-m consumeFromMinEnable=true] "
                + "[-d consumeBroadcastEnable=true] [-q retryQueueNums=1] [-r retryMaxTimes=16] "
                + "[-i brokerId=0] [-w whichBrokerWhenConsumeSlowly=1] [-a notifyConsumerIdsChanged=true]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-g", "-c", "-b", "-s", "-m", "-d", "-q", "-r", "-i", "-w", "-a");
    }

    @Override
    public void validate(Options options) {
        config(options);
        if (options.has("-c") && options.has("-b")) {
            throw new UsageException("give either -c or -b, not both");
        }
    }

    static Bodies.SubscriptionGroupConfig config(Options options) {
        Bodies.SubscriptionGroupConfig c = new Bodies.SubscriptionGroupConfig();
        c.groupName = options.required("-g");
        c.consumeEnable = Boolean.parseBoolean(options.get("-s", "true"));
        c.consumeFromMinEnable = Boolean.parseBoolean(options.get("-m", "true"));
        c.consumeBroadcastEnable = Boolean.parseBoolean(options.get("-d", "true"));
        c.retryQueueNums = options.intValue("-q", 1);
        c.retryMaxTimes = options.intValue("-r", 16);
        c.brokerId = options.longValue("-i", 0);
        c.whichBrokerWhenConsumeSlowly = options.longValue("-w", 1);
        c.notifyConsumerIdsChangedEnable = Boolean.parseBoolean(options.get("-a", "true"));
        return c;
    }

    @Override
    public int execute(AdminSession session, Options options) {
        Bodies.SubscriptionGroupConfig config = config(options);
        byte[] body = Json.toBytes(config);
        List<String> targets = options.has("-b") ? List.of(options.get("-b")) : session.masters(options.get("-c"));
        for (String addr : targets) {
            AdminSession.expectSuccess(session.callBroker(addr,
                    RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP).body(body)),
                    "update of group " + config.groupName + " on " + addr);
            if (!session.json()) {
                session.out().println("update subscription group " + config.groupName + " on " + addr + " success");
            }
        }
        if (session.json()) {
            session.printJson(Map.of("group", config, "brokers", targets));
        }
        return 0;
    }
}
