package io.tern.broker.pull;

import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.store.MessageFilter;
import io.vertx.core.Promise;
import java.util.function.Consumer;

/**
 * One PULL_MESSAGE / LITE_PULL_MESSAGE request with its parsed header and, once parked, its deadline and timer.
 * The {@link #response} promise is answered on the connection's event loop.
 *
 * <p>Ownership of a parked request passes with its membership in a {@link QueueHolder}: whoever removes it
 * from the holder (a wake-up, the timeout, a closed connection) answers or drops it.
 */
public final class PullRequest {
    final RemotingChannel connection;
    final RemotingCommand command;
    final String group;
    final String topic;
    final int queueId;
    final long queueOffset;
    final int maxMsgNums;
    final int maxBytes;
    final MessageFilter filter;
    final Promise<RemotingCommand> response = Promise.promise();
    long deadlineMs;
    long timerId = -1;
    /** Set by the hold timer (on the request's event loop); a request whose timer fired is never parked again. */
    boolean timerFired;
    /** Null for a pull; for a {@link #waiter}, what runs on its connection's event loop when an arrival takes it. */
    final Consumer<PullRequest> wakeHandler;

    PullRequest(RemotingChannel connection, RemotingCommand command, String group, String topic, int queueId,
                long queueOffset, int maxMsgNums, int maxBytes, MessageFilter filter) {
        this(connection, command, group, topic, queueId, queueOffset, maxMsgNums, maxBytes, filter, null);
    }

    private PullRequest(RemotingChannel connection, RemotingCommand command, String group, String topic, int queueId,
                        long queueOffset, int maxMsgNums, int maxBytes, MessageFilter filter,
                        Consumer<PullRequest> wakeHandler) {
        this.wakeHandler = wakeHandler;
        this.connection = connection;
        this.command = command;
        this.group = group;
        this.topic = topic;
        this.queueId = queueId;
        this.queueOffset = queueOffset;
        this.maxMsgNums = maxMsgNums;
        this.maxBytes = maxBytes;
        this.filter = filter;
    }

    /**
     * A waiter of another long-polling processor (pop, notification) parked in the same {@link PullHoldTable}: woken
     * by any matching arrival on {@code topic}/{@code queueId}, it runs {@code onWake} on the connection's event
     * loop. It has no timer here: its owner times it out and takes it back with {@link PullHoldTable#unpark}.
     */
    public static PullRequest waiter(RemotingChannel connection, String topic, int queueId, MessageFilter filter,
                                     Consumer<PullRequest> onWake) {
        return new PullRequest(connection, null, null, topic, queueId, 0, 0, 0, filter, onWake);
    }

    /** Whether a message at {@code offset} with this tag code is one this request waits for. */
    boolean wantsArrival(long offset, long tagsCode) {
        return offset >= queueOffset && filter.matchesTagsCode(tagsCode);
    }
}
