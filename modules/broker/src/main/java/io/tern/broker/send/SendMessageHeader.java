package io.tern.broker.send;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;

/**
 * The custom header of SEND_MESSAGE (V1 field names) and SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE (one-letter keys),
 * spec 3.3.1. {@code maxReconsumeTimes} is null when absent.
 */
public record SendMessageHeader(String producerGroup, String topic, String defaultTopic, int defaultTopicQueueNums,
                                int queueId, int sysFlag, long bornTimestamp, int flag, String properties,
                                int reconsumeTimes, boolean unitMode, Integer maxReconsumeTimes, boolean batch) {

    public static SendMessageHeader of(RemotingCommand req) {
        return req.code() == RequestCode.SEND_MESSAGE || req.code() == RequestCode.SEND_REPLY_MESSAGE ? v1(req) : v2(req);
    }

    static SendMessageHeader v2(RemotingCommand r) {
        return new SendMessageHeader(r.required("a"), r.required("b"), r.required("c"), r.requiredInt("d"),
                r.requiredInt("e"), r.requiredInt("f"), r.requiredLong("g"), r.requiredInt("h"), r.ext("i"),
                r.extInt("j", 0), r.extBool("k"), r.ext("l") == null ? null : r.extInt("l", 0),
                r.extBool("m"));
    }

    static SendMessageHeader v1(RemotingCommand r) {
        return new SendMessageHeader(r.required("producerGroup"), r.required("topic"), r.required("defaultTopic"),
                r.requiredInt("defaultTopicQueueNums"), r.requiredInt("queueId"), r.requiredInt("sysFlag"),
                r.requiredLong("bornTimestamp"), r.requiredInt("flag"), r.ext("properties"),
                r.extInt("reconsumeTimes", 0), r.extBool("unitMode"),
                r.ext("maxReconsumeTimes") == null ? null : r.extInt("maxReconsumeTimes", 0), r.extBool("batch"));
    }
}
