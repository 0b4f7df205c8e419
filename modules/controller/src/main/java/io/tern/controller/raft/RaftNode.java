package io.tern.controller.raft;

import io.tern.controller.ControllerConfig;
import io.tern.controller.state.Command;
import io.tern.controller.state.ControllerState;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;

/**
 * One controller peer of the Raft group: a Ratis server with the {@link ControllerStateMachine}, and a Ratis client
 * through which this peer, while leader, submits {@link Command}s. Raft itself (log, election, snapshots,
 * catch-up of a returning peer) is Ratis'; Tern adds only the state machine.
 *
 * <p>Election timeouts are 1–2 s rather than Ratis' 150–300 ms: the peers share small machines with brokers, and a
 * leader change costs a broker-heartbeat timeout of grace (see {@link io.tern.controller.MasterElector}).
 *
 * <p>Thread-safe.
 */
public final class RaftNode implements AutoCloseable {
    /** All Tern controllers form this one Raft group. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes("tern-controller".getBytes(StandardCharsets.UTF_8)));

    private final RaftPeerId selfId;
    private final RaftServer server;
    private final RaftClient client;
    private final ControllerStateMachine stateMachine;
    private final List<String> peerIds;

    private RaftNode(RaftPeerId selfId, RaftServer server, RaftClient client, ControllerStateMachine stateMachine,
                     List<String> peerIds) {
        this.selfId = selfId;
        this.server = server;
        this.client = client;
        this.stateMachine = stateMachine;
        this.peerIds = peerIds;
    }

    /** Builds and starts this peer (blocking: storage recovery and the gRPC bind). */
    public static RaftNode start(ControllerConfig config) throws IOException {
        List<ControllerConfig.Peer> peers = config.peers();
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, peers.stream()
                .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build()).toList());
        ControllerConfig.Peer self = peers.stream().filter(p -> p.id().equals(config.controllerSelfId)).findFirst()
                .orElseThrow();
        RaftProperties props = new RaftProperties();
        GrpcConfigKeys.Server.setPort(props, self.port());
        File storage = new File(config.resolvedStorePath(), self.id());
        RaftServerConfigKeys.setStorageDir(props, List.of(storage));
        // Ratis formats by default, which refuses a directory holding a previous run's log
        boolean recover = new File(storage, GROUP_ID.getUuid().toString()).isDirectory();
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, config.controllerSnapshotThreshold);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(props, true);
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        ControllerStateMachine stateMachine = new ControllerStateMachine();
        RaftPeerId selfId = RaftPeerId.valueOf(self.id());
        RaftServer server = RaftServer.newBuilder().setServerId(selfId).setGroup(group)
                .setStateMachine(stateMachine).setProperties(props)
                .setOption(recover ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT).build();
        server.start();
        RaftClient client = RaftClient.newBuilder().setProperties(props).setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
                        TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
                .build();
        return new RaftNode(selfId, server, client, stateMachine, peers.stream().map(ControllerConfig.Peer::id)
                .toList());
    }

    /** Appends {@code command} to the Raft log; completes with the applied result once committed. */
    public CompletableFuture<JsonObject> submit(JsonObject command) {
        return client.async().send(Message.valueOf(new String(Command.encode(command), StandardCharsets.UTF_8)))
                .thenApply(reply -> {
                    if (!reply.isSuccess()) {
                        throw new IllegalStateException("controller command not committed: " + reply.getException());
                    }
                    return new JsonObject(reply.getMessage().getContent().toString(StandardCharsets.UTF_8));
                });
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(GROUP_ID).getInfo();
        } catch (IOException e) {
            throw new IllegalStateException("controller peer has no division", e);
        }
    }

    /** Whether this peer is the leader and has committed an entry of its term (its state is current). */
    public boolean isLeaderReady() {
        DivisionInfo info = info();
        return info.isLeader() && info.isLeaderReady();
    }

    /** The leader's id as this peer knows it, or null. */
    public String leaderId() {
        RaftPeerId id = info().getLeaderId();
        return id == null ? null : id.toString();
    }

    public long term() {
        return info().getCurrentTerm();
    }

    public long appliedIndex() {
        return info().getLastAppliedIndex();
    }

    public String selfId() {
        return selfId.toString();
    }

    public List<String> peerIds() {
        return peerIds;
    }

    /** The state as applied on this peer. */
    public ControllerState state() {
        return stateMachine.state();
    }

    /** Stops this peer (blocking); Ratis takes a snapshot on the way out. */
    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
