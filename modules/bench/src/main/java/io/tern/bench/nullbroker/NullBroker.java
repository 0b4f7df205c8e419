package io.tern.bench.nullbroker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import org.apache.rocketmq.remoting.netty.NettyDecoder;
import org.apache.rocketmq.remoting.netty.NettyEncoder;

/**
 * The ceiling of the official client on this machine: a server on one port that is both nameserver and broker
 * for the bench scenarios, speaking the remoting protocol with RocketMQ's own codec on a single event-loop thread,
 * storing nothing ({@link NullBrokerHandler}). Run the load generator against it as against a broker; every
 * scenario's result is then the most this client can do here, and a real broker's result is read as a fraction of it.
 *
 * <pre>java -cp tern-bench-*-bench.jar io.tern.bench.nullbroker.NullBroker [--host 127.0.0.1] --port 9876</pre>
 *
 * The nameserver address and the broker address given to the generator are both host:port.
 */
public final class NullBroker implements AutoCloseable {
    private final EventLoopGroup loop;
    private final Channel server;

    private NullBroker(EventLoopGroup loop, Channel server) {
        this.loop = loop;
        this.server = server;
    }

    /** Binds {@code host:port} (0: a free port) and serves until closed. */
    public static NullBroker start(String host, int port) throws InterruptedException {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            NullBrokerHandler handler = new NullBrokerHandler(host);
            ServerBootstrap b = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new NettyEncoder(), new NettyDecoder(), handler);
                        }
                    });
            Channel server = b.bind(host, port).sync().channel();
            int bound = ((InetSocketAddress) server.localAddress()).getPort();
            handler.boundTo(bound);
            return new NullBroker(loop, server);
        } catch (RuntimeException | InterruptedException e) {
            loop.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully().syncUninterruptibly();
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 9876;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: --host H --port P");
            }
        }
        NullBroker broker = start(host, port);
        System.out.println("null broker listening on " + host + ":" + broker.port());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        Thread.currentThread().join();
    }
}
