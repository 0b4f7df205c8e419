package io.tern.remoting.acl;

import java.util.Map;

/**
 * One account of {@code acl.yaml} ({@code accounts:} entry of RocketMQ's plain_acl.yml).
 *
 * @param whiteRemoteAddress requests with this account's key from a matching address pass without signature or
 *                           permission check, as in RocketMQ
 * @param admin              may make the administrative requests; an admin without topic or group entries may use
 *                           every topic and group
 * @param topicPerms         topic → permission bits ({@link Permission}); others get {@code defaultTopicPerm}
 * @param groupPerms         consumer group → permission bits; others get {@code defaultGroupPerm}
 */
public record AclAccount(String accessKey, String secretKey, AddressPattern whiteRemoteAddress, boolean admin,
                         byte defaultTopicPerm, byte defaultGroupPerm, Map<String, Byte> topicPerms,
                         Map<String, Byte> groupPerms) {

    /** The permission this account holds on a topic or a group. */
    public byte permissionOn(AccessNeeds.Need need) {
        Byte explicit = need.group() ? groupPerms.get(need.name()) : topicPerms.get(need.name());
        if (explicit != null) {
            return explicit;
        }
        return need.group() ? defaultGroupPerm : defaultTopicPerm;
    }

    /** Whether an admin account is unrestricted: it names no topic and no group (RocketMQ's rule). */
    boolean unrestrictedAdmin() {
        return admin && topicPerms.isEmpty() && groupPerms.isEmpty();
    }

    /** Never shows the secret key. */
    @Override
    public String toString() {
        return "AclAccount[accessKey=" + accessKey + ", admin=" + admin + "]";
    }
}
