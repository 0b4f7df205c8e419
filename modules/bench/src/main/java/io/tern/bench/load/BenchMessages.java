package io.tern.bench.load;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.rocketmq.common.message.Message;

/**
 * Builds benchmark messages and reads back what they carry.
 *
 * <pre>
 *  0                   8                  16  17                     bodyBytes
 *  +-------------------+-------------------+---+----------------------+
 *  | send stamp (ns)   | run id            | M | filler ('x')         |
 *  +-------------------+-------------------+---+----------------------+
 * </pre>
 * The stamp is {@link System#nanoTime()} of the generator JVM; producer and consumer of an
 * end-to-end run live in that JVM, so the difference is a valid latency. M is 1 for messages
 * of the measured phase, 0 for warm-up. The run id lets a consumer skip messages left in the
 * topic by earlier runs.
 */
public final class BenchMessages {

  public static final int STAMP_OFFSET = 0;
  public static final int RUN_ID_OFFSET = 8;
  public static final int MEASURED_OFFSET = 16;
  public static final int HEADER_BYTES = 17;

  private final TopicSet topics;
  private final int bodyBytes;
  private final long runId;
  private final byte[] template;

  public BenchMessages(String topic, int bodyBytes, long runId) {
    this(new TopicSet(topic, 1), bodyBytes, runId);
  }

  public BenchMessages(TopicSet topics, int bodyBytes, long runId) {
    this.topics = topics;
    this.bodyBytes = bodyBytes;
    this.runId = runId;
    this.template = new byte[bodyBytes];
    Arrays.fill(template, (byte) 'x');
  }

  /** A fresh message to the first topic of the set (the client may keep a reference until the send completes). */
  public Message create(long stampNanos, boolean measured) {
    return create(0, stampNanos, measured);
  }

  /** A fresh message number {@code seq} of its phase, to that sequence number's topic. */
  public Message create(long seq, long stampNanos, boolean measured) {
    byte[] body = template.clone();
    ByteBuffer.wrap(body)
        .putLong(STAMP_OFFSET, stampNanos)
        .putLong(RUN_ID_OFFSET, runId)
        .put(MEASURED_OFFSET, (byte) (measured ? 1 : 0));
    return new Message(topics.forSequence(seq), body);
  }

  public int bodyBytes() {
    return bodyBytes;
  }

  public long runId() {
    return runId;
  }

  public static long stampNanos(byte[] body) {
    return ByteBuffer.wrap(body).getLong(STAMP_OFFSET);
  }

  public static long runId(byte[] body) {
    return body.length < HEADER_BYTES ? 0 : ByteBuffer.wrap(body).getLong(RUN_ID_OFFSET);
  }

  public static boolean measured(byte[] body) {
    return body.length >= HEADER_BYTES && body[MEASURED_OFFSET] == 1;
  }
}
