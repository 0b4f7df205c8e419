package io.tern.broker.ha;

/**
 * Controller mode: how long this broker may still acknowledge sends as master. Each heartbeat answer that names it
 * master extends the lease to the heartbeat's send time plus the controller's {@code leaseMs}, which is shorter than
 * the time after which the controller elects another master; so a master cut off from the controller (or stopped
 * and resumed) stops answering SEND_OK before a successor can take over. Both ends measure with their own
 * monotonic clocks.
 *
 * <p>Thread-safe.
 */
public final class MasterLease {
    private volatile long validUntilNanos = Long.MIN_VALUE;

    /** Extends the lease to {@code sentAtNanos + leaseMs} (never shortens it). */
    public void extend(long sentAtNanos, long leaseMs) {
        long until = sentAtNanos + leaseMs * 1_000_000L;
        if (until - validUntilNanos > 0 || validUntilNanos == Long.MIN_VALUE) {
            validUntilNanos = until;
        }
    }

    /** Ends the lease at once (the broker stops being master). */
    public void revoke() {
        validUntilNanos = Long.MIN_VALUE;
    }

    public boolean valid() {
        long until = validUntilNanos;
        return until != Long.MIN_VALUE && System.nanoTime() - until < 0;
    }
}
