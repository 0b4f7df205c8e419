package io.tern.common.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * GET_BROKER_HA_STATUS (907) body: a broker's part in its group's replication. The field names are RocketMQ 5's
 * {@code HARuntimeInfo}, so its {@code mqadmin haStatus} reads them; fields Tern adds are marked. A master fills
 * {@link #haConnectionInfo}, a slave {@link #haClientRuntimeInfo}.
 */
public final class HaRuntimeInfo {
    public boolean master;
    /** The end of this broker's commit log (RocketMQ's name; a slave reports its own end here too). */
    public long masterCommitLogMaxOffset;
    /** Connected slaves within haMaxGapNotInSync bytes of the master's end. */
    public int inSyncSlaveNums;
    public List<Connection> haConnectionInfo = new ArrayList<>();
    public Client haClientRuntimeInfo;
    /** Tern: ASYNC_MASTER, SYNC_MASTER or SLAVE. */
    public String brokerRole;
    /** Tern: the replication port a master listens on (0 on a slave). */
    public int haPort;

    /** One slave connected to this master. */
    public static final class Connection {
        /** The slave's address as the master sees the connection. */
        public String addr;
        /** The offset up to which the slave has written and dispatched the log. */
        public long slaveAckOffset;
        /** Commit-log bytes the slave lacks: the master's end minus {@link #slaveAckOffset}. */
        public long diff;
        public boolean inSync;
        /** Tern: the slave's brokerId. */
        public long brokerId;
        /** Tern: whether the handshake is done and bytes stream to it. */
        public boolean streaming;
        /** Tern: messages the slave lacks (consume-queue entries whose record ends after its acked offset). */
        public long diffMessages;
    }

    /** A slave's connection to its master. */
    public static final class Client {
        /** The master's "host:haPort" while connected, else absent. */
        public String masterAddr;
        /** The end of this slave's log. */
        public long maxOffset;
        public boolean isActivated;
        /** Tern: the master's log end as last reported (-1 before the first report). */
        public long masterMaxOffset;
        /** Tern: bytes this slave lacks (-1 while unknown). */
        public long diff;
    }
}
