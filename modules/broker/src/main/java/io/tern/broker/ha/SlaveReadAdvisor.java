package io.tern.broker.ha;

import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerRole;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * The {@code suggestWhichBrokerId} of a pull response, by RocketMQ's rule for slave reads: a consumer reading
 * further behind the log's end than accessMessageInMemoryMaxRatio percent of physical memory reads bytes that
 * are likely no longer in the page cache, so it is sent to a slave (the master's cache stays for fresh messages);
 * once it has caught up it is sent back to the master (0). A master without a connected slave keeps it.
 *
 * <p>Thread-safe; called on event loops for every pull that found messages, so it allocates nothing.
 */
public final class SlaveReadAdvisor {
    private final BrokerRole role;
    private final long brokerId;
    private final long thresholdBytes;
    /** A master's first streaming slave id, or -1. */
    private final Supplier<Long> connectedSlave;

    SlaveReadAdvisor(BrokerRole role, long brokerId, long thresholdBytes, Supplier<Long> connectedSlave) {
        this.role = role;
        this.brokerId = brokerId;
        this.thresholdBytes = thresholdBytes;
        this.connectedSlave = connectedSlave;
    }

    static SlaveReadAdvisor of(BrokerConfig config, Supplier<Long> connectedSlave) {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return new SlaveReadAdvisor(config.brokerRole, config.brokerId,
                memory / 100 * Math.max(0, Math.min(100, config.accessMessageInMemoryMaxRatio)), connectedSlave);
    }

    /** The broker id to suggest after a pull whose last message sits at {@code pulledOffset}. */
    public long suggest(long maxOffset, long pulledOffset) {
        if (maxOffset - pulledOffset <= thresholdBytes) {
            return 0;
        }
        if (role == BrokerRole.SLAVE) {
            return brokerId;
        }
        long slave = connectedSlave.get();
        return slave < 0 ? 0 : slave;
    }
}
