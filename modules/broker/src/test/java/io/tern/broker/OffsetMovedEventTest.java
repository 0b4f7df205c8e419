package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pull whose offset the broker corrects (PULL_OFFSET_MOVED) leaves an OffsetMovedEvent in OFFSET_MOVED_EVENT. */
class OffsetMovedEventTest {
    @TempDir
    Path dir;

    @Test
    void aCorrectedPullOffsetIsRecorded() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir)) {
            for (int i = 0; i < 3; i++) {
                h.call(BrokerHarness.sendV2("OM", 1, "m" + i, props()));
            }
            RemotingCommand moved = h.call(BrokerHarness.pull("OMGroup", "OM", 1, 100, "*", 0));
            assertEquals(ResponseCode.PULL_OFFSET_MOVED, moved.code(), moved.remark());
            assertEquals("3", moved.ext("nextBeginOffset"));

            List<StoredMessage> events = List.of();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (events.isEmpty() && System.nanoTime() < deadline) {
                RemotingCommand r = h.call(BrokerHarness.pull("EventReader", "OFFSET_MOVED_EVENT", 0, 0, "OMGroup", 0));
                events = r.code() == ResponseCode.SUCCESS ? StoredMessage.decodeAll(r.bodyBytes()) : List.of();
                Thread.sleep(events.isEmpty() ? 20 : 0);
            }
            assertEquals(1, events.size());
            JsonNode event = Json.MAPPER.readTree(events.get(0).bodyString());
            assertEquals("OMGroup", event.get("consumerGroup").asText());
            assertEquals("OM", event.get("messageQueue").get("topic").asText());
            assertEquals(1, event.get("messageQueue").get("queueId").asInt());
            assertEquals(h.broker.components().config().brokerName,
                    event.get("messageQueue").get("brokerName").asText());
            assertEquals(100, event.get("offsetRequest").asLong());
            assertEquals(3, event.get("offsetNew").asLong());

            // an ordinary pull moves nothing
            assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.pull("OMGroup", "OM", 1, 0, "*", 0)).code());
            assertEquals(1, h.broker.components().store().maxOffsetInQueue("OFFSET_MOVED_EVENT", 0));
        }
    }
}
