package io.tern.broker.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.broker.BrokerRole;
import org.junit.jupiter.api.Test;

class SlaveReadAdvisorTest {
    private static final long THRESHOLD = 1_000;

    @Test
    void aMasterSendsAFarBehindConsumerToItsSlaveAndBack() {
        long[] slave = {2};
        SlaveReadAdvisor advisor = new SlaveReadAdvisor(BrokerRole.ASYNC_MASTER, 0, THRESHOLD, () -> slave[0]);
        assertEquals(0, advisor.suggest(5_000, 4_500), "close to the end: stay on the master");
        assertEquals(2, advisor.suggest(5_000, 3_000), "far behind: read from the slave");
        assertEquals(0, advisor.suggest(5_000, 4_000), "caught up: back to the master");
        slave[0] = -1;
        assertEquals(0, advisor.suggest(5_000, 0), "no slave connected: stay");
    }

    @Test
    void aSlaveKeepsAFarBehindConsumerAndSendsACaughtUpOneToTheMaster() {
        SlaveReadAdvisor advisor = new SlaveReadAdvisor(BrokerRole.SLAVE, 1, THRESHOLD, () -> -1L);
        assertEquals(1, advisor.suggest(10_000, 0));
        assertEquals(0, advisor.suggest(10_000, 9_500));
    }
}
