package io.tern.nameserver.acl;

import io.tern.remoting.acl.AccessTable;
import io.tern.remoting.protocol.RequestCode;

/**
 * What each nameserver request needs from the account that signed it. Route and cluster reads need a valid
 * signature of any account (every client reads routes); requests that change the routing for everyone — a broker
 * registering or leaving, deleting a topic's route, a broker's write permission, KV and nameserver settings — need
 * an admin account, so a broker signs with one. (RocketMQ 4.9's nameserver checks nothing; its 5.x one checks
 * authentication.)
 */
public final class NameServerAccessTable {
    private NameServerAccessTable() {
    }

    public static AccessTable build() {
        return new AccessTable().admin(RequestCode.REGISTER_BROKER, RequestCode.UNREGISTER_BROKER,
                RequestCode.DELETE_TOPIC_IN_NAMESRV, RequestCode.WIPE_WRITE_PERM_OF_BROKER,
                RequestCode.ADD_WRITE_PERM_OF_BROKER, RequestCode.PUT_KV_CONFIG, RequestCode.DELETE_KV_CONFIG,
                RequestCode.UPDATE_NAMESRV_CONFIG);
    }
}
