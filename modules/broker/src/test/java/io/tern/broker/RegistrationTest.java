package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationTest {
    @TempDir
    Path dir;

    @Test
    void refusedRegistrationIsRetriedSoonAndStopUnregisters() throws Exception {
        FakeNameServer ns = new FakeNameServer();
        ns.refuseRegistrations.set(1);
        try (BrokerHarness h = new BrokerHarness(dir, c -> { }, ns)) {
            // the first round was refused; a retry follows well before the 30 s period
            ns.awaitRegistrations(2);
            FakeNameServer.Registration reg = ns.last();
            Map<String, String> header = reg.header();
            assertEquals("broker-a", header.get("brokerName"));
            assertEquals("DefaultCluster", header.get("clusterName"));
            assertEquals("0", header.get("brokerId"));
            assertEquals(h.addr(), header.get("brokerAddr"));
            int haPort = h.broker.components().address().haPort();
            assertTrue(haPort > 0, "an ephemeral broker listens for slaves on an ephemeral port");
            assertEquals("127.0.0.1:" + haPort, header.get("haServerAddr"));
            assertTrue(reg.body().topicConfigSerializeWrapper.topicConfigTable.containsKey("TBW102"));
            assertEquals(7, reg.body().topicConfigSerializeWrapper.topicConfigTable.get("TBW102").perm);
            assertEquals(18, reg.body().topicConfigSerializeWrapper.topicConfigTable.get("SCHEDULE_TOPIC_XXXX")
                    .readQueueNums);
            h.broker.stop().await(10, TimeUnit.SECONDS);
            assertEquals(1, ns.unregistrations.size());
            assertEquals(h.addr(), ns.unregistrations.get(0).get("brokerAddr"));
        }
    }
}
