package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.TextTable;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The failover controller's state (src-docs/ha.md "Controller"): its leader and, per broker group, master, epoch,
 * SyncStateSet and replicas. Asks each address of {@code -a} (';'-separated) and prints the leader's answer, else the
 * first one's.
 */
public final class ControllerStateCommand implements AdminCommand {
    @Override
    public String name() {
        return "controllerState";
    }

    @Override
    public String description() {
        return "print the failover controller's leader, groups, epochs and SyncStateSets";
    }

    @Override
    public String synopsis() {
        return "-a controllerAddr[;controllerAddr...]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-a");
    }

    @Override
    public void validate(Options options) {
        options.required("-a");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        JsonObject state = null;
        AdminException last = null;
        for (String addr : options.required("-a").split(";")) {
            try {
                RemotingCommand r = AdminSession.expectSuccess(session.callBroker(addr.trim(),
                        RemotingCommand.request(ControllerWire.GET_CONTROLLER_STATE)), "state of controller " + addr);
                JsonObject s = new JsonObject(new String(r.bodyBytes(), StandardCharsets.UTF_8));
                if (state == null || s.getBoolean("leader", false)) {
                    state = s;
                }
                if (s.getBoolean("leader", false)) {
                    break;
                }
            } catch (AdminException e) {
                last = e;
            }
        }
        if (state == null) {
            throw last;
        }
        if (session.json()) {
            session.out().println(state.encodePrettily());
            return 0;
        }
        session.out().printf("controller %s (leader %s, term %d, applied index %d, peers %s)%n",
                state.getString("selfId"), state.getString("leaderId"), state.getLong("term"),
                state.getLong("appliedIndex"), state.getJsonArray("peers"));
        boolean fromLeader = state.getBoolean("leader", false);
        TextTable table = new TextTable("#Cluster", "#Group", "#Master", "#Epoch", "#SyncStateSet", "#Replicas");
        JsonArray groups = state.getJsonArray("groups");
        for (int i = 0; i < groups.size(); i++) {
            ControllerWire.GroupView g = ControllerWire.GroupView.fromJson(groups.getJsonObject(i));
            StringBuilder replicas = new StringBuilder();
            g.replicas().forEach((id, r) -> replicas.append(replicas.length() == 0 ? "" : " ").append(id).append('=')
                    .append(r.address()).append(fromLeader ? (r.alive() ? "(alive)" : "(dead)")
                            : ""));
            table.row(g.cluster(), g.group(), g.masterId(), g.epoch(), g.syncStateSet(), replicas);
        }
        table.print(session.out());
        return 0;
    }
}
