package io.tern.broker.acl;

import io.tern.common.Json;
import io.tern.common.protocol.ConsumerData;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.SubscriptionData;
import io.tern.remoting.acl.AccessNeeds;
import io.tern.remoting.acl.AccessTable;
import io.tern.remoting.acl.Permission;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;

/**
 * What each broker request needs from the account that signed it, following RocketMQ's {@code PlainAccessValidator}
 * (sends need PUB on the topic; pulls, offsets and client registration need SUB on the topic and the group; a
 * retry topic {@code %RETRY%G} stands for group G) and filling the gaps it leaves: batch and reply sends, lite pulls,
 * offset queries and the 5.x pop codes (pop, ack, change invisible time, notification, polling info: SUB on the
 * topic and the group, as RocketMQ 5's plain ACL does) are checked like their siblings, and every request that
 * changes topics, groups, offsets or settings for everyone needs an admin account (RocketMQ 4.9 asks that of five
 * codes only). Codes not named here — route, stats and metadata reads, locks, transactions' end, batch ack,
 * assignment queries — need a valid signature of any account.
 */
public final class BrokerAccessTable {
    private BrokerAccessTable() {
    }

    public static AccessTable build() {
        AccessTable table = new AccessTable();

        // producing: the topic named by the V1 header ("topic") or the V2 header ("b")
        for (int code : new int[] {RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2,
            RequestCode.SEND_BATCH_MESSAGE, RequestCode.SEND_REPLY_MESSAGE, RequestCode.SEND_REPLY_MESSAGE_V2}) {
            table.resolve(code, BrokerAccessTable::send);
        }
        table.resolve(RequestCode.CONSUMER_SEND_MSG_BACK,
                req -> AccessNeeds.none().group(req.ext("group"), Permission.SUB));

        // consuming: the topic and the group
        for (int code : new int[] {RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE,
            RequestCode.UPDATE_CONSUMER_OFFSET, RequestCode.QUERY_CONSUMER_OFFSET, RequestCode.POP_MESSAGE,
            RequestCode.ACK_MESSAGE, RequestCode.CHANGE_MESSAGE_INVISIBLETIME, RequestCode.NOTIFICATION,
            RequestCode.POLLING_INFO}) {
            table.resolve(code, req -> AccessNeeds.none().topic(req.ext("topic"), Permission.SUB)
                    .group(req.ext("consumerGroup"), Permission.SUB));
        }
        table.resolve(RequestCode.QUERY_MESSAGE, req -> AccessNeeds.none().topic(req.ext("topic"), Permission.SUB))
                .resolve(RequestCode.HEART_BEAT, BrokerAccessTable::heartbeat);
        for (int code : new int[] {RequestCode.UNREGISTER_CLIENT, RequestCode.GET_CONSUMER_LIST_BY_GROUP}) {
            table.resolve(code, req -> AccessNeeds.none().group(req.ext("consumerGroup"), Permission.SUB));
        }

        // administration: changes that affect every client of the broker
        table.admin(RequestCode.UPDATE_AND_CREATE_TOPIC, RequestCode.UPDATE_AND_CREATE_TOPIC_LIST,
                RequestCode.DELETE_TOPIC_IN_BROKER, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
                RequestCode.DELETE_SUBSCRIPTIONGROUP, RequestCode.UPDATE_BROKER_CONFIG,
                RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, RequestCode.CLONE_GROUP_OFFSET,
                RequestCode.CONSUME_MESSAGE_DIRECTLY, RequestCode.RESUME_CHECK_HALF_MESSAGE,
                RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, RequestCode.CLEAN_UNUSED_TOPIC,
                RequestCode.DELETE_EXPIRED_COMMITLOG);
        // RocketMQ's ACL administration codes (50–54): not served here, refused to non-admins all the same
        table.admin(50, 51, 52, 53, 54);
        return table;
    }

    /** PUB on the topic; a send to a retry topic (a consumer returning a message) is SUB on its group. */
    private static AccessNeeds send(RemotingCommand req) {
        String topic = req.ext("b") != null ? req.ext("b") : req.ext("topic");
        boolean retry = topic != null && topic.startsWith("%RETRY%");
        return AccessNeeds.none().topic(topic, retry ? Permission.SUB : Permission.PUB);
    }

    /** SUB on every consumer group the client registers and every topic they subscribe to. */
    private static AccessNeeds heartbeat(RemotingCommand req) {
        AccessNeeds needs = AccessNeeds.none();
        byte[] body = req.bodyBytes();
        if (body == null || body.length == 0) {
            return needs;
        }
        HeartbeatData heartbeat = Json.fromBytes(body, HeartbeatData.class);
        if (heartbeat.consumerDataSet == null) {
            return needs;
        }
        for (ConsumerData consumer : heartbeat.consumerDataSet) {
            needs.group(consumer.groupName, Permission.SUB);
            if (consumer.subscriptionDataSet != null) {
                for (SubscriptionData subscription : consumer.subscriptionDataSet) {
                    needs.topic(subscription.topic, Permission.SUB);
                }
            }
        }
        return needs;
    }
}
