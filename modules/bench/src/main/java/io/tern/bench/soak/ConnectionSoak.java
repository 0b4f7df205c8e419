package io.tern.bench.soak;

import io.tern.bench.proc.ProcFs;
import io.tern.bench.proc.ProcMemory;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingCommandCodec;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Soak of one broker with many quiet clients: {@code --idle} connections that only heartbeat (on connect and every
 * 30 s, as the 4.9 client does) and {@code --polls} connections each holding one long-poll pull on an empty queue,
 * re-issued whenever the broker answers it (after suspendTimeoutMillis). Held for {@code --duration}; every
 * {@code --sample} it prints the broker's heap in use and live data after GC (from its /metrics), RSS (from /proc),
 * the connections and parked pulls the broker counts, and the round trip of a heartbeat on a fresh connection (an
 * event loop that stalls shows there). Ends with a summary; exit status 1 when the broker dropped connections or
 * stopped answering.
 *
 * <p>All sockets are served by one selector thread here, so the generator itself stays small next to the broker.
 */
public final class ConnectionSoak {
  private static final String TOPIC = "SoakTopic";
  private static final String GROUP = "SOAK_CG";
  private static final int QUEUES = 8;

  private final SoakOptions options;
  private final List<Conn> conns = new ArrayList<>();
  private final ProcFs proc = new ProcFs();
  /** One read buffer for every connection: the selector thread reads one at a time. */
  private final ByteBuffer in = ByteBuffer.allocate(1 << 20);
  private long pollAnswers;
  private long heartbeatAnswers;
  private long otherAnswers;
  private int dropped;
  private int nextOpaque = 1_000;

  /** One soak connection: its socket, what it holds, its partial inbound frame and unsent bytes. */
  private static final class Conn {
    final SocketChannel channel;
    final boolean poll;
    final String clientId;
    final int queueId;
    /** The start of a frame not yet complete (rare: the broker's answers here are small). */
    byte[] partial;
    ByteBuffer out;
    int pollOpaque;
    long nextHeartbeatMs;
    boolean closed;

    Conn(SocketChannel channel, boolean poll, String clientId, int queueId) {
      this.channel = channel;
      this.poll = poll;
      this.clientId = clientId;
      this.queueId = queueId;
    }
  }

  private ConnectionSoak(SoakOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    SoakOptions options;
    try {
      options = SoakOptions.parse(args);
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(SoakOptions.USAGE);
      System.exit(2);
      return;
    }
    System.exit(new ConnectionSoak(options).run());
  }

  private int run() throws Exception {
    createTopic();
    SoakSummary summary = new SoakSummary();
    try (Selector selector = Selector.open()) {
      long t0 = System.currentTimeMillis();
      open(selector);
      long openedMs = System.currentTimeMillis() - t0;
      System.out.printf("opened %d idle + %d long-poll connections in %d ms%n", options.idle(), options.polls(),
          openedMs);
      System.out.println(SoakSummary.HEADER);
      long start = System.currentTimeMillis();
      long end = start + options.durationMs();
      long nextSample = start;
      while (System.currentTimeMillis() < end) {
        selector.select(200);
        for (SelectionKey key : selector.selectedKeys()) {
          Conn c = (Conn) key.attachment();
          if (key.isValid() && key.isReadable()) {
            read(c, key);
          }
          if (key.isValid() && key.isWritable()) {
            flush(c, key);
          }
        }
        selector.selectedKeys().clear();
        long now = System.currentTimeMillis();
        heartbeatDue(selector, now);
        if (now >= nextSample) {
          SoakSummary.Sample s = sample(now - start);
          summary.add(s);
          System.out.println(s.line());
          nextSample += options.sampleMs();
        }
      }
      for (Conn c : conns) {
        c.channel.close();
      }
    }
    System.out.println(summary.report(options, pollAnswers, heartbeatAnswers, otherAnswers, dropped));
    return dropped > 0 || summary.unanswered() > 0 ? 1 : 0;
  }

  private void open(Selector selector) throws IOException {
    InetSocketAddress broker = new InetSocketAddress(options.brokerHost(), options.brokerPort());
    long now = System.currentTimeMillis();
    for (int i = 0; i < options.idle() + options.polls(); i++) {
      SocketChannel ch = SocketChannel.open(broker);
      ch.configureBlocking(false);
      boolean poll = i >= options.idle();
      Conn c = new Conn(ch, poll, "soak-" + ProcessHandle.current().pid() + "-" + i, i % QUEUES);
      ch.register(selector, SelectionKey.OP_READ, c);
      conns.add(c);
      send(c, selector, SoakRequests.heartbeat(c.clientId, nextOpaque++));
      // spread the heartbeats over the period, as independent clients would be
      c.nextHeartbeatMs = now + ThreadLocalRandom.current().nextLong(options.heartbeatMs());
      if (poll) {
        issuePull(c, selector);
      }
    }
  }

  private void issuePull(Conn c, Selector selector) throws IOException {
    c.pollOpaque = nextOpaque++;
    send(c, selector, SoakRequests.pull(GROUP, TOPIC, c.queueId, options.suspendMs(), c.pollOpaque));
  }

  private void heartbeatDue(Selector selector, long now) throws IOException {
    for (Conn c : conns) {
      if (!c.closed && now >= c.nextHeartbeatMs) {
        c.nextHeartbeatMs += options.heartbeatMs();
        send(c, selector, SoakRequests.heartbeat(c.clientId, nextOpaque++));
      }
    }
  }

  private void send(Conn c, Selector selector, ByteBuffer frame) throws IOException {
    if (c.closed) {
      return;
    }
    if (c.out != null && c.out.hasRemaining()) {
      ByteBuffer joined = ByteBuffer.allocate(c.out.remaining() + frame.remaining());
      c.out = joined.put(c.out).put(frame).flip();
    } else {
      c.out = frame;
    }
    flush(c, c.channel.keyFor(selector));
  }

  private void flush(Conn c, SelectionKey key) throws IOException {
    try {
      c.channel.write(c.out);
    } catch (IOException e) {
      drop(c, key);
      return;
    }
    key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  private void read(Conn c, SelectionKey key) throws IOException {
    in.clear();
    if (c.partial != null) {
      in.put(c.partial);
      c.partial = null;
    }
    int n;
    try {
      n = c.channel.read(in);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      drop(c, key);
      return;
    }
    in.flip();
    while (in.remaining() >= 4 && in.remaining() - 4 >= in.getInt(in.position())) {
      int length = in.getInt();
      byte[] frame = new byte[length];
      in.get(frame);
      RemotingCommand answer = RemotingCommandCodec.decode(Buffer.buffer(frame));
      if (c.poll && answer.opaque() == c.pollOpaque) {
        pollAnswers++;
        issuePull(c, key.selector());
      } else if (answer.code() == 0 && answer.body() == null) {
        heartbeatAnswers++;
      } else {
        otherAnswers++;
      }
    }
    if (in.hasRemaining()) {
      c.partial = new byte[in.remaining()];
      in.get(c.partial);
    }
  }

  private void drop(Conn c, SelectionKey key) throws IOException {
    if (!c.closed) {
      c.closed = true;
      dropped++;
      key.cancel();
      c.channel.close();
    }
  }

  private SoakSummary.Sample sample(long atMs) {
    BrokerMetricsScrape.Values m = options.metricsUrl() == null ? BrokerMetricsScrape.Values.NONE
        : new BrokerMetricsScrape(options.metricsUrl()).read();
    Optional<ProcMemory> mem = options.brokerPid() > 0 ? proc.memory(options.brokerPid()) : Optional.empty();
    return new SoakSummary.Sample(atMs, m.heapUsedBytes(), m.liveDataBytes(), mem.map(ProcMemory::rssKb).orElse(-1L),
        m.connections(), m.parkedPulls(), pollAnswers, dropped, heartbeatRoundTripMicros());
  }

  /** A heartbeat on a fresh connection; -1 when it is not answered within 10 s. */
  private long heartbeatRoundTripMicros() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(options.brokerHost(), options.brokerPort()), 10_000);
      s.setSoTimeout(10_000);
      long t0 = System.nanoTime();
      s.getOutputStream().write(SoakRequests.heartbeat("soak-probe", 7).array());
      DataInputStream in = new DataInputStream(s.getInputStream());
      in.skipNBytes(in.readInt());
      return (System.nanoTime() - t0) / 1_000;
    } catch (IOException e) {
      return -1;
    }
  }

  private void createTopic() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(options.brokerHost(), options.brokerPort()), 10_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(SoakRequests.createTopic(TOPIC, QUEUES).array());
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      RemotingCommand answer = RemotingCommandCodec.decode(Buffer.buffer(frame));
      if (answer.code() != 0) {
        throw new IOException("creating " + TOPIC + " failed: " + answer.code() + " " + answer.remark());
      }
    }
  }
}
