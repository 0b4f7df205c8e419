package io.tern.remoting;

import io.vertx.core.Handler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@link RemotingChannel} keeps besides its transport: named attributes and close handlers. One copy for
 * the TCP connection and the in-process channel.
 *
 * <p>Thread-safe.
 */
final class ChannelState {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelState.class);

    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final List<Handler<RemotingChannel>> closeHandlers = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    <T> T attribute(String key) {
        return (T) attributes.get(key);
    }

    /** Sets {@code key}; a null value removes it. */
    void attribute(String key, Object value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
    }

    /** Adds a close handler; runs it at once when {@code channel} is already closed. */
    void closeHandler(RemotingChannel channel, Handler<RemotingChannel> handler, boolean closed) {
        closeHandlers.add(handler);
        if (closed) {
            handler.handle(channel);
        }
    }

    /** Runs every close handler once the channel closed; a failing handler does not stop the others. */
    void closed(RemotingChannel channel) {
        for (Handler<RemotingChannel> h : closeHandlers) {
            try {
                h.handle(channel);
            } catch (RuntimeException e) {
                LOG.warn("close handler failed", e);
            }
        }
    }
}
