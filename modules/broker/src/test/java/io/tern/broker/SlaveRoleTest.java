package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker started as a slave, over a real socket: it registers as brokerId 1 and refuses sends as RocketMQ does. */
class SlaveRoleTest {
    @TempDir
    Path dir;

    @Test
    void aSlaveRegistersWithItsIdAndRefusesSends() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir, c -> {
            c.brokerRole = BrokerRole.SLAVE;
            c.brokerId = 1;
        })) {
            h.nameServer.awaitRegistrations(1);
            Map<String, String> header = h.nameServer.last().header();
            assertEquals("1", header.get("brokerId"));

            RemotingCommand resp = h.call(BrokerHarness.sendV2("SlaveTopic", 0, "refused", props("UNIQ_KEY", "S1")));
            assertEquals(ResponseCode.SERVICE_NOT_AVAILABLE, resp.code());
            assertTrue(resp.remark().contains("slave"), resp.remark());
            assertEquals(0, h.broker.components().store().replicaLog().maxOffset(), "nothing stored");
        }
    }
}
