package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.StoredMessage;
import io.tern.cli.StoredMessageDecoder;
import io.tern.cli.UsageException;
import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Shows one message by its offset message id: the id holds the store host and commit-log offset (spec 5.4.1), so
 * the broker is dialled directly with B:33; the nameserver is not needed.
 */
public final class QueryMsgByIdCommand implements AdminCommand {
    @Override
    public String name() {
        return "queryMsgById";
    }

    @Override
    public String description() {
        return "show a message (headers, properties, body) by its offset message id";
    }

    @Override
    public String synopsis() {
        return "-i offsetMsgId";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-i");
    }

    @Override
    public void validate(Options options) {
        String id = options.required("-i").trim();
        if ((id.length() != 32 && id.length() != 56) || !id.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new UsageException("not an offset message id (32 or 56 hex digits): " + id);
        }
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String id = options.required("-i").trim().toUpperCase();
        InetSocketAddress host = MessageIds.storeHost(id);
        String addr = host.getAddress().getHostAddress() + ":" + host.getPort();
        long offset = MessageIds.physicalOffset(id);
        RemotingCommand resp = AdminSession.expectSuccess(session.callBroker(addr,
                RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID).put("offset", offset)),
                "view of message " + id + " on broker " + addr);
        List<StoredMessage> messages = StoredMessageDecoder.decodeAll(resp.bodyBytes());
        if (messages.isEmpty()) {
            throw new AdminException("broker " + addr + " returned no decodable message for " + id);
        }
        if (session.json()) {
            session.printJson(MessagePrinter.toMap(messages.get(0)));
        } else {
            MessagePrinter.print(messages.get(0), session.out());
        }
        return 0;
    }
}
