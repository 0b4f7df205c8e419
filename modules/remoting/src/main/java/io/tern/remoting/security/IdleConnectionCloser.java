package io.tern.remoting.security;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that neither read nor wrote for the configured time (RocketMQ closes all-idle channels after
 * {@code serverChannelMaxIdleTimeSeconds}), and counts it. Replaces Vert.x's idle timeout, which closes silently.
 */
final class IdleConnectionCloser extends IdleStateHandler {
    private final ConnectionGuard guard;

    IdleConnectionCloser(int idleSeconds, ConnectionGuard guard) {
        super(0, 0, idleSeconds, TimeUnit.SECONDS);
        this.guard = guard;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        guard.count(ConnectionGuard.Reason.IDLE);
        ctx.close();
    }
}
