package io.tern.cli.command;

import io.tern.common.protocol.AdminBodies;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Bodies;
import io.tern.cli.Options;
import io.tern.cli.TextTable;
import io.tern.common.Json;
import io.tern.common.protocol.SubscriptionData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.util.Set;

/** The online clients of a consumer group and their subscriptions (N:105 of %RETRY%group, then B:203). */
public final class ConsumerConnectionCommand implements AdminCommand {
    @Override
    public String name() {
        return "consumerConnection";
    }

    @Override
    public String description() {
        return "list the online clients of a consumer group and their subscriptions";
    }

    @Override
    public String synopsis() {
        return "-g group";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-g");
    }

    @Override
    public void validate(Options options) {
        options.required("-g");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String group = options.required("-g");
        AdminBodies.ConsumerConnection conn = null;
        for (AdminSession.BrokerTarget b : GroupBrokers.of(session, group)) {
            RemotingCommand resp = session.callBroker(b.addr(),
                    RemotingCommand.request(RequestCode.GET_CONSUMER_CONNECTION_LIST).put("consumerGroup", group));
            if (resp.code() == ResponseCode.CONSUMER_NOT_ONLINE) {
                continue;
            }
            AdminSession.expectSuccess(resp, "connection list of " + group + " on " + b.addr());
            conn = Json.fromBytes(resp.bodyBytes(), AdminBodies.ConsumerConnection.class);
            break;
        }
        if (conn == null) {
            throw new AdminException("consumer group " + group + " is not online on any broker");
        }
        if (session.json()) {
            session.printJson(conn);
            return 0;
        }
        var out = session.out();
        TextTable clients = new TextTable("#ClientId", "#ClientAddr", "#Language", "#Version");
        conn.connectionSet.forEach(c -> clients.row(c.clientId, c.clientAddr, c.language, c.version));
        clients.print(out);
        out.println();
        out.println("Below is subscription:");
        TextTable subs = new TextTable("#Topic", "#SubExpression");
        for (SubscriptionData s : conn.subscriptionTable.values()) {
            subs.row(s.topic, s.subString);
        }
        subs.print(out);
        out.println();
        out.println("ConsumeType: " + conn.consumeType);
        out.println("MessageModel: " + conn.messageModel);
        out.println("ConsumeFromWhere: " + conn.consumeFromWhere);
        return 0;
    }
}
