package io.tern.remoting.security;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Puts the idle closer and the TLS handler into an accepted connection's Netty pipeline, ahead of everything the
 * connection added itself, so TLS sits next to the socket (it must see the raw bytes first and encrypt last).
 * Called from the server's connect handler, before the first read is handled.
 */
public final class ServerPipeline {
    static final String TLS = "tern-tls";
    static final String IDLE = "tern-idle";

    private ServerPipeline() {
    }

    public static void install(NetSocket socket, ServerTls tls, ConnectionGuard guard) {
        if (!(socket instanceof NetSocketInternal internal)) {
            throw new IllegalStateException("TLS and idle limits need Vert.x's NetSocketInternal, not "
                    + socket.getClass().getName());
        }
        ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
        int idleSeconds = guard.limits().idleSeconds();
        if (idleSeconds > 0) {
            pipeline.addFirst(IDLE, new IdleConnectionCloser(idleSeconds, guard));
        }
        if (tls != null) {
            pipeline.addFirst(TLS, tls.newHandler(internal.channelHandlerContext().alloc(), guard));
        }
    }
}
