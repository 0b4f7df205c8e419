package io.tern.broker.ha;

import io.tern.common.Json;
import io.tern.common.protocol.HaRuntimeInfo;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;

/**
 * GET_BROKER_HA_STATUS (907): the replication status as RocketMQ 5's {@code HARuntimeInfo} plus Tern's lag in
 * messages, for {@code tern-admin haStatus} and RocketMQ's {@code mqadmin haStatus}. RocketMQ's transfer rates
 * are not measured here and left out. Runs on the event loop: it reads memory and mapped consume-queue pages.
 */
public final class HaStatusProcessor {
    private final Replication replication;

    public HaStatusProcessor(Replication replication) {
        this.replication = replication;
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(status())));
    }

    HaRuntimeInfo status() {
        HaRuntimeInfo info = new HaRuntimeInfo();
        info.brokerRole = replication.role().name();
        info.master = replication.role().isMaster();
        info.masterCommitLogMaxOffset = replication.maxOffset();
        info.haPort = replication.haPort();
        for (HaMaster.SlaveStatus s : replication.slaves()) {
            HaRuntimeInfo.Connection c = new HaRuntimeInfo.Connection();
            c.addr = s.address();
            c.brokerId = s.brokerId();
            c.streaming = s.streaming();
            c.slaveAckOffset = s.ackedOffset();
            c.diff = s.lagBytes();
            c.diffMessages = replication.lagMessages(s);
            c.inSync = replication.inSync(s);
            if (c.inSync) {
                info.inSyncSlaveNums++;
            }
            info.haConnectionInfo.add(c);
        }
        HaSlave slave = replication.slave();
        if (slave != null) {
            HaRuntimeInfo.Client c = new HaRuntimeInfo.Client();
            c.masterAddr = slave.connectedTo();
            c.isActivated = c.masterAddr != null;
            c.maxOffset = slave.maxOffset();
            c.masterMaxOffset = slave.masterMaxOffset();
            c.diff = c.masterMaxOffset < 0 ? -1 : Math.max(0, c.masterMaxOffset - c.maxOffset);
            info.haClientRuntimeInfo = c;
        }
        return info;
    }
}
