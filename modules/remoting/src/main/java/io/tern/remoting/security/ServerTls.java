package io.tern.remoting.security;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import javax.net.ssl.SSLException;

/**
 * The TLS side of one remoting server: an {@link SslContext} built once from the PEM files of {@link TlsSettings}
 * (Vert.x reads PKCS#8 and PKCS#1 keys), and the handler each accepted connection gets at the head of its pipeline:
 * <ul>
 *   <li>{@code enforcing}: an {@link SslHandler}; a plaintext frame fails the handshake and the connection closes;</li>
 *   <li>{@code permissive}: Netty's {@link OptionalSslHandler}, which waits for the first five bytes and installs an
 *       SslHandler when they are a TLS record header (content type 20..24, major version 3), else removes itself.
 *       No remoting frame looks like one: its first four bytes are a length of at most 16 MiB, so byte 0 is 0 or
 *       1 where a TLS record starts with 20..24.</li>
 * </ul>
 * Failed handshakes are counted ({@link ConnectionGuard.Reason#TLS_HANDSHAKE}).
 *
 * <p>Thread-safe.
 */
public final class ServerTls {
    private final TlsMode mode;
    private final SslContext context;

    private ServerTls(TlsMode mode, SslContext context) {
        this.mode = mode;
        this.context = context;
    }

    /** Builds the context; fails with a message naming the files when they cannot be read. */
    public static ServerTls create(Vertx vertx, TlsSettings settings) {
        if (!settings.enabled()) {
            return null;
        }
        try {
            PemKeyCertOptions keyCert = new PemKeyCertOptions().setCertPath(settings.certFile())
                    .setKeyPath(settings.keyFile());
            SslContextBuilder builder = SslContextBuilder.forServer(keyCert.getKeyManagerFactory(vertx));
            if (!settings.trustCertFile().isEmpty()) {
                builder.trustManager(new PemTrustOptions().addCertPath(settings.trustCertFile())
                        .getTrustManagerFactory(vertx));
            }
            builder.clientAuth(switch (settings.clientAuth()) {
                case "require" -> ClientAuth.REQUIRE;
                case "optional" -> ClientAuth.OPTIONAL;
                default -> ClientAuth.NONE;
            });
            return new ServerTls(settings.mode(), builder.build());
        } catch (SSLException e) {
            throw new IllegalArgumentException("TLS context from " + settings.certFile() + " and "
                    + settings.keyFile() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read TLS certificate " + settings.certFile() + " / key "
                    + settings.keyFile() + (settings.trustCertFile().isEmpty() ? "" : " / CA "
                    + settings.trustCertFile()) + ": " + e.getMessage(), e);
        }
    }

    public TlsMode mode() {
        return mode;
    }

    /** The handler to put at the head of an accepted connection's pipeline. */
    ChannelHandler newHandler(ByteBufAllocator alloc, ConnectionGuard guard) {
        if (mode == TlsMode.ENFORCING) {
            return counted(context.newHandler(alloc), guard);
        }
        return new OptionalSslHandler(context) {
            @Override
            protected SslHandler newSslHandler(ChannelHandlerContext ctx, SslContext sslContext) {
                return counted(sslContext.newHandler(ctx.alloc()), guard);
            }
        };
    }

    private static SslHandler counted(SslHandler handler, ConnectionGuard guard) {
        handler.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                guard.count(ConnectionGuard.Reason.TLS_HANDSHAKE);
            }
        });
        return handler;
    }
}
