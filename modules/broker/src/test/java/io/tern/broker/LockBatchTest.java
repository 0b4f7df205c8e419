package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42) with the 4.9 client's bodies (spec 4.2.5). */
class LockBatchTest {
    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    static RemotingCommand lockRequest(int code, String clientId, int... queues) {
        StringBuilder mqs = new StringBuilder();
        for (int q : queues) {
            if (mqs.length() > 0) {
                mqs.append(',');
            }
            mqs.append("{\"brokerName\":\"broker-a\",\"queueId\":").append(q).append(",\"topic\":\"OT\"}");
        }
        String body = "{\"clientId\":\"" + clientId + "\",\"consumerGroup\":\"CG_ORDER\",\"mqSet\":[" + mqs + "]}";
        return RemotingCommand.request(code).body(body.getBytes(StandardCharsets.UTF_8));
    }

    private String lock(String clientId, int... queues) throws Exception {
        RemotingCommand r = h.call(lockRequest(RequestCode.LOCK_BATCH_MQ, clientId, queues));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        return new String(r.bodyBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aQueueIsLockedByOneClientUntilItUnlocks() throws Exception {
        assertEquals("{\"lockOKMQSet\":[{\"brokerName\":\"broker-a\",\"queueId\":0,\"topic\":\"OT\"},"
                + "{\"brokerName\":\"broker-a\",\"queueId\":1,\"topic\":\"OT\"}]}", lock("A", 0, 1));
        assertEquals("{\"lockOKMQSet\":[{\"brokerName\":\"broker-a\",\"queueId\":2,\"topic\":\"OT\"}]}",
                lock("B", 1, 2));
        RemotingCommand unlock = h.call(lockRequest(RequestCode.UNLOCK_BATCH_MQ, "A", 1));
        assertEquals(ResponseCode.SUCCESS, unlock.code());
        assertEquals("{\"lockOKMQSet\":[{\"brokerName\":\"broker-a\",\"queueId\":1,\"topic\":\"OT\"}]}",
                lock("B", 1));
        assertEquals("{\"lockOKMQSet\":[]}", lock("A", 1, 2));
    }
}
