package io.tern.broker;

/** A broker's place in its group (brokers sharing a brokerName): RocketMQ's roles, same names. */
public enum BrokerRole {
    /** Answers a send once stored here; slaves copy the log when they can. */
    ASYNC_MASTER,
    /** Answers a send once stored here and acknowledged by {@code inSyncReplicas - 1} slaves. */
    SYNC_MASTER,
    /** Copies its master's commit log and metadata; serves reads, refuses sends. */
    SLAVE;

    public boolean isMaster() {
        return this != SLAVE;
    }
}
