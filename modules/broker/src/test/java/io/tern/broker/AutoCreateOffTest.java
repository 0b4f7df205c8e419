package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoCreateOffTest {
    @TempDir
    Path dir;

    @Test
    void unknownTopicIsRejectedWhenAutoCreateIsOff() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir, c -> c.autoCreateTopicEnable = false)) {
            RemotingCommand r = h.call(BrokerHarness.sendV2("Unknown", 0, "x", Map.of()));
            assertEquals(ResponseCode.TOPIC_NOT_EXIST, r.code());
            assertEquals("DefaultRegion", r.ext("MSG_REGION"));
            assertFalse(h.nameServer.last().body().topicConfigSerializeWrapper.topicConfigTable.containsKey("TBW102"),
                    "no default topic is registered when auto-create is off");
        }
    }
}
