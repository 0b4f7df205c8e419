package io.tern.controller.raft;

import io.tern.controller.state.Command;
import io.tern.controller.state.ControllerState;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's Ratis state machine: applies committed {@link Command}s to a {@link ControllerState} and answers
 * each with the group's state after it. A snapshot is the whole state as one JSON file (Ratis' single-file snapshot
 * storage, with its MD5 beside it), taken when Ratis asks (every {@code controllerSnapshotThreshold} entries and at
 * stop); a restarted peer loads the newest snapshot and replays the log after it.
 *
 * <p>Thread contract: Ratis calls apply, snapshot and (re)initialize one at a time; {@link #state()} is thread-safe.
 */
public final class ControllerStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final ControllerState state = new ControllerState();

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot(storage.loadLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        loadSnapshot(storage.loadLatestSnapshot());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        MD5FileUtil.verifySavedMD5(file, MD5FileUtil.readStoredMd5ForFile(file));
        state.load(new JsonObject(Files.readString(file.toPath(), StandardCharsets.UTF_8)));
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("controller state loaded from snapshot {}", snapshot.getTermIndex());
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
        Files.writeString(tmp.toPath(), state.toJson().encode(), StandardCharsets.UTF_8);
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        MD5FileUtil.computeAndSaveMd5ForFile(file);
        LOG.debug("controller snapshot at {}", last);
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        JsonObject result;
        try {
            result = state.apply(Command.decode(entry.getStateMachineLogEntry().getLogData().toByteArray()));
        } catch (RuntimeException e) {
            // a malformed entry must not stop the peer (all peers skip it alike)
            result = new JsonObject().put("error", String.valueOf(e.getMessage()));
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(result.encode()));
    }

    /** The applied state. */
    public ControllerState state() {
        return state;
    }
}
