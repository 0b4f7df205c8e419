package io.tern.nameserver.route;

import io.tern.common.protocol.TopicConfigSerializeWrapper;
import io.tern.remoting.RemotingChannel;
import java.util.List;

/**
 * One REGISTER_BROKER call, decoded.
 *
 * @param timeoutMs   per-broker expiry (5.x heartbeatTimeoutMillis), -1 for the configured default
 * @param topicConfigs topic table and its data version; never null
 * @param connection  the connection it arrived on (its close means the broker is gone); may be null
 */
public record BrokerRegistration(String clusterName, String brokerAddr, String brokerName, long brokerId,
                                 String haServerAddr, long timeoutMs, TopicConfigSerializeWrapper topicConfigs,
                                 List<String> filterServerList, RemotingChannel connection) {
}
