package io.tern.bench.soak;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingCommandCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The three requests the soak sends, as the 4.9 client fills them in, encoded as frames. */
final class SoakRequests {
  static final int HEART_BEAT = 34;
  static final int PULL_MESSAGE = 11;
  static final int UPDATE_AND_CREATE_TOPIC = 17;
  /** PullSysFlag SUSPEND | SUBSCRIPTION: park when nothing is there, subscription carried in the request. */
  private static final int SUSPEND_WITH_SUBSCRIPTION = 0x2 | 0x4;

  private SoakRequests() {
  }

  static ByteBuffer heartbeat(String clientId, int opaque) {
    String body = "{\"clientID\":\"" + clientId + "\",\"consumerDataSet\":[],"
        + "\"producerDataSet\":[{\"groupName\":\"SOAK_PRODUCER\"}]}";
    return frame(RemotingCommand.request(HEART_BEAT).opaque(opaque).body(body.getBytes(StandardCharsets.UTF_8)));
  }

  static ByteBuffer pull(String group, String topic, int queueId, long suspendMs, int opaque) {
    return frame(RemotingCommand.request(PULL_MESSAGE).opaque(opaque)
        .put("consumerGroup", group).put("topic", topic).put("queueId", queueId).put("queueOffset", 0)
        .put("maxMsgNums", 32).put("sysFlag", SUSPEND_WITH_SUBSCRIPTION).put("commitOffset", 0)
        .put("suspendTimeoutMillis", suspendMs).put("subscription", "*").put("subVersion", 0)
        .put("expressionType", "TAG"));
  }

  static ByteBuffer createTopic(String topic, int queues) {
    return frame(RemotingCommand.request(UPDATE_AND_CREATE_TOPIC).opaque(1)
        .put("topic", topic).put("defaultTopic", "TBW102").put("readQueueNums", queues)
        .put("writeQueueNums", queues).put("perm", 6).put("topicFilterType", "SINGLE_TAG").put("topicSysFlag", 0)
        .put("order", false));
  }

  private static ByteBuffer frame(RemotingCommand cmd) {
    return ByteBuffer.wrap(RemotingCommandCodec.encode(cmd).getBytes());
  }
}
