package io.tern.broker.lock;

import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42), spec 3.4.7 / 4.2.5, over a {@link QueueLockTable}.
 * In-memory only: runs on the event loop.
 */
public final class LockProcessors {
    private final QueueLockTable locks;

    public LockProcessors(QueueLockTable locks) {
        this.locks = locks;
    }

    /** LockBatchRequestBody and UnlockBatchRequestBody (same shape). */
    public static final class LockBatchRequestBody {
        public String clientId;
        public String consumerGroup;
        public Set<MessageQueue> mqSet = new LinkedHashSet<>();
        public boolean onlyThisBroker;
    }

    public static final class LockBatchResponseBody {
        public Set<MessageQueue> lockOKMQSet = new TreeSet<>();
    }

    public void register(ProcessorTable table) {
        table.register(RequestCode.LOCK_BATCH_MQ, this::lock)
                .register(RequestCode.UNLOCK_BATCH_MQ, this::unlock);
    }

    public Future<RemotingCommand> lock(RemotingConnection conn, RemotingCommand req) {
        LockBatchRequestBody body = parse(req);
        LockBatchResponseBody resp = new LockBatchResponseBody();
        resp.lockOKMQSet.addAll(locks.lock(body.consumerGroup, body.clientId, body.mqSet, System.currentTimeMillis()));
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(resp)));
    }

    public Future<RemotingCommand> unlock(RemotingConnection conn, RemotingCommand req) {
        LockBatchRequestBody body = parse(req);
        locks.unlock(body.consumerGroup, body.clientId, body.mqSet);
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    private static LockBatchRequestBody parse(RemotingCommand req) {
        byte[] bytes = req.bodyBytes();
        if (bytes == null || bytes.length == 0) {
            throw new RemotingProtocolException("lock request without body");
        }
        LockBatchRequestBody body = Json.fromBytes(bytes, LockBatchRequestBody.class);
        if (body.clientId == null || body.consumerGroup == null) {
            throw new RemotingProtocolException("lock request without clientId or consumerGroup");
        }
        if (body.mqSet == null) {
            body.mqSet = new LinkedHashSet<>();
        }
        return body;
    }
}
