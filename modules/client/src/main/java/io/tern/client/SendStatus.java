package io.tern.client;

/** Outcome of a stored send (spec 2.2); any other outcome fails the send's future. */
public enum SendStatus {
    SEND_OK,
    /** Stored, but the broker's flush did not finish in time (SYNC_FLUSH). */
    FLUSH_DISK_TIMEOUT,
    /** Stored, but the slave did not acknowledge in time (SYNC_MASTER). */
    FLUSH_SLAVE_TIMEOUT,
    /** Stored, but no slave is connected (SYNC_MASTER). */
    SLAVE_NOT_AVAILABLE
}
