package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Bodies;
import io.tern.cli.Options;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Every topic the nameserver has queue data for (N:206). */
public final class TopicListCommand implements AdminCommand {
    @Override
    public String name() {
        return "topicList";
    }

    @Override
    public String description() {
        return "list every topic known to the nameserver";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of();
    }

    @Override
    public int execute(AdminSession session, Options options) {
        RemotingCommand resp = AdminSession.expectSuccess(session.callNameServer(
                RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)), "topic list query");
        List<String> topics = List.copyOf(new TreeSet<>(Json.fromBytes(resp.bodyBytes(), Bodies.TopicList.class).topicList));
        if (session.json()) {
            session.printJson(topics);
        } else {
            topics.forEach(session.out()::println);
        }
        return 0;
    }
}
