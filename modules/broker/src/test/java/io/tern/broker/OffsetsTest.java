package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetsTest {
    @TempDir
    Path dir;

    static RemotingCommand query(String group, String topic, int queueId) {
        return RemotingCommand.request(RequestCode.QUERY_CONSUMER_OFFSET).put("consumerGroup", group)
                .put("topic", topic).put("queueId", queueId);
    }

    static RemotingCommand update(String group, String topic, int queueId, long offset) {
        return RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET).put("consumerGroup", group)
                .put("topic", topic).put("queueId", queueId).put("commitOffset", offset);
    }

    static RemotingCommand queueQuery(int code, String topic, int queueId) {
        return RemotingCommand.request(code).put("topic", topic).put("queueId", queueId);
    }

    @Test
    void offsetsRoundTripAndSurviveRestart() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("TO", 0, "m" + i, props())).code());
            }
            RemotingCommand none = h.call(query("G", "TO", 0));
            assertEquals(ResponseCode.SUCCESS, none.code(), "young queue: a new group starts at 0");
            assertEquals("0", none.ext("offset"));

            assertEquals(ResponseCode.SUCCESS, h.call(update("G", "TO", 0, 2)).code());
            assertEquals("2", h.call(query("G", "TO", 0)).ext("offset"));
            // oneway update is applied too
            h.client.invokeOneway(h.addr(), update("G", "TO", 1, 0).flag(RemotingCommand.FLAG_ONEWAY))
                    .await(5, TimeUnit.SECONDS);
            // commit offset carried in a pull
            RemotingCommand pull = BrokerHarness.pull("G2", "TO", 0, 3, "*", 0).put("sysFlag", 0x1 | 0x4)
                    .put("commitOffset", 3);
            assertEquals(ResponseCode.PULL_NOT_FOUND, h.call(pull).code());
            assertEquals("3", h.call(query("G2", "TO", 0)).ext("offset"));

            assertEquals("3", h.call(queueQuery(RequestCode.GET_MAX_OFFSET, "TO", 0)).ext("offset"));
            assertEquals("0", h.call(queueQuery(RequestCode.GET_MIN_OFFSET, "TO", 0)).ext("offset"));
            assertEquals("0", h.call(queueQuery(RequestCode.GET_MAX_OFFSET, "Nope", 0)).ext("offset"));
            long earliest = Long.parseLong(h.call(queueQuery(RequestCode.GET_EARLIEST_MSG_STORETIME, "TO", 0))
                    .ext("timestamp"));
            assertEquals("-1", h.call(queueQuery(RequestCode.GET_EARLIEST_MSG_STORETIME, "TO", 3)).ext("timestamp"));
            RemotingCommand search = queueQuery(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, "TO", 0)
                    .put("timestamp", earliest - 1000);
            assertEquals("0", h.call(search).ext("offset"));
            // after the last message: the lower boundary is the queue's end, the upper (5.x) its last message
            long later = System.currentTimeMillis() + 60_000;
            assertEquals("3", h.call(queueQuery(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, "TO", 0)
                    .put("timestamp", later)).ext("offset"));
            assertEquals("2", h.call(queueQuery(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, "TO", 0)
                    .put("timestamp", later).put("boundaryType", "UPPER")).ext("offset"));
            assertEquals("0", h.call(queueQuery(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, "TO", 0)
                    .put("timestamp", earliest - 1000).put("boundaryType", "UPPER")).ext("offset"));

            h.restartBroker();
            assertEquals("2", h.call(query("G", "TO", 0)).ext("offset"));
            assertEquals("3", h.call(query("G2", "TO", 0)).ext("offset"));
            assertEquals("3", h.call(queueQuery(RequestCode.GET_MAX_OFFSET, "TO", 0)).ext("offset"));
            // the auto-created topic survived too
            RemotingCommand pulled = h.call(BrokerHarness.pull("G", "TO", 0, 2, "*", 0));
            assertEquals(ResponseCode.SUCCESS, pulled.code(), pulled.remark());
            assertEquals("m2", StoredMessage.decodeAll(pulled.bodyBytes()).get(0).bodyString());
        }
    }
}
