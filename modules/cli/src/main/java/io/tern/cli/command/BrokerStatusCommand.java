package io.tern.cli.command;

import io.tern.common.protocol.AdminBodies;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Bodies;
import io.tern.cli.Options;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.Map;
import java.util.Set;

/** Every runtime statistic of one broker (B:28). */
public final class BrokerStatusCommand implements AdminCommand {
    @Override
    public String name() {
        return "brokerStatus";
    }

    @Override
    public String description() {
        return "print a broker's runtime statistics";
    }

    @Override
    public String synopsis() {
        return "-b brokerAddr";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-b");
    }

    @Override
    public void validate(Options options) {
        options.required("-b");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        Map<String, String> table = runtimeInfo(session, options.required("-b"));
        if (session.json()) {
            session.printJson(table);
        } else {
            int width = table.keySet().stream().mapToInt(String::length).max().orElse(0);
            table.forEach((k, v) -> session.out().println(k + " ".repeat(width - k.length() + 2) + ": " + v));
        }
        return 0;
    }

    static Map<String, String> runtimeInfo(AdminSession session, String brokerAddr) {
        RemotingCommand resp = AdminSession.expectSuccess(session.callBroker(brokerAddr,
                RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO)), "runtime info of broker " + brokerAddr);
        return Json.fromBytes(resp.bodyBytes(), AdminBodies.KVTable.class).table;
    }
}
