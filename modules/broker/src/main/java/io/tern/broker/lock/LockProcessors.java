package io.tern.broker.lock;

import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.Set;

/** LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42), spec 3.4.7. In-memory: event loop. */
public final class LockProcessors {
    private final QueueLockManager locks;

    public LockProcessors(QueueLockManager locks) {
        this.locks = locks;
    }

    /** Request body of both calls (5.x adds onlyThisBroker, ignored: we only lock our own queues). */
    public static final class LockBatchRequestBody {
        public String consumerGroup;
        public String clientId;
        public boolean onlyThisBroker;
        public Set<MessageQueue> mqSet = new LinkedHashSet<>();
    }

    public static final class LockBatchResponseBody {
        public Set<MessageQueue> lockOKMQSet = new LinkedHashSet<>();
    }

    public Future<RemotingCommand> lock(RemotingChannel conn, RemotingCommand req) {
        LockBatchRequestBody body = parse(req);
        LockBatchResponseBody resp = new LockBatchResponseBody();
        resp.lockOKMQSet = locks.lock(body.consumerGroup, body.mqSet, body.clientId);
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(resp)));
    }

    public Future<RemotingCommand> unlock(RemotingChannel conn, RemotingCommand req) {
        LockBatchRequestBody body = parse(req);
        locks.unlock(body.consumerGroup, body.mqSet, body.clientId);
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    private static LockBatchRequestBody parse(RemotingCommand req) {
        byte[] bytes = req.bodyBytes();
        if (bytes == null) {
            throw new RemotingProtocolException("lock request without body");
        }
        LockBatchRequestBody body = Json.fromBytes(bytes, LockBatchRequestBody.class);
        if (body.consumerGroup == null || body.clientId == null || body.mqSet == null) {
            throw new RemotingProtocolException("lock request needs consumerGroup, clientId and mqSet");
        }
        return body;
    }
}
