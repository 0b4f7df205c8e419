package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.UsageException;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.List;
import java.util.Set;

/**
 * Creates or changes a topic on brokers: with -b on that broker, else on every master of the cluster given by -c
 * (N:106) or, without either, of every cluster (B:17 each). The broker registers the change at the nameservers
 * before it answers.
 */
public final class UpdateTopicCommand implements AdminCommand {
    @Override
    public String name() {
        return "updateTopic";
    }

    @Override
    public String description() {
        return "create or update a topic on a broker or on every master of a cluster";
    }

    @Override
    public String synopsis() {
        return "-t topic [-r readQueueNums=8] [-w writeQueueNums=8] [-p perm=6] [-o order=false] "
                + "[-c cluster | -b brokerAddr]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-t", "-r", "-w", "-p", "-o", "-c", "-b");
    }

    @Override
    public void validate(Options options) {
        options.required("-t");
        if (options.has("-c") && options.has("-b")) {
            throw new UsageException("give either -c or -b, not both");
        }
        int perm = options.intValue("-p", 6);
        if (perm < 0 || perm > 15) {
            throw new UsageException("perm must be 0..15 (4 = read, 2 = write, 1 = inherit)");
        }
        if (options.intValue("-r", 8) <= 0 || options.intValue("-w", 8) <= 0) {
            throw new UsageException("queue numbers must be positive");
        }
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String topic = options.required("-t");
        List<String> targets = options.has("-b") ? List.of(options.get("-b")) : session.masters(options.get("-c"));
        for (String addr : targets) {
            RemotingCommand req = RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC)
                    .put("topic", topic)
                    .put("defaultTopic", SystemNames.DEFAULT_TOPIC)
                    .put("readQueueNums", options.intValue("-r", 8))
                    .put("writeQueueNums", options.intValue("-w", 8))
                    .put("perm", options.intValue("-p", 6))
                    .put("topicFilterType", "SINGLE_TAG")
                    .put("topicSysFlag", 0)
                    .put("order", Boolean.parseBoolean(options.get("-o", "false")));
            AdminSession.expectSuccess(session.callBroker(addr, req), "update of topic " + topic + " on " + addr);
            if (!session.json()) {
                session.out().println("create topic " + topic + " on " + addr + " success");
            }
        }
        if (session.json()) {
            session.printJson(java.util.Map.of("topic", topic, "brokers", targets));
        }
        return 0;
    }
}
