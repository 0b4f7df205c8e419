package io.tern.remoting.acl;

import io.tern.remoting.RemotingChannel;
import io.tern.remoting.RequestGate;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain-ACL check of every network request, in RocketMQ's order:
 * <ol>
 *   <li>an address on the global whitelist passes;</li>
 *   <li>the request must carry an {@code AccessKey} of a known account;</li>
 *   <li>that account's own {@code whiteRemoteAddress} lets its requests from there pass;</li>
 *   <li>the {@code Signature} must be the one the account's secret key gives ({@link AclSignature});</li>
 *   <li>an administrative request needs an admin account, and each topic and group the request touches needs the
 *       permission ({@link AccessTable}, {@link AclAccount#permissionOn}); publishing to the message-trace topic is
 *       always allowed.</li>
 * </ol>
 * A refused request is answered NO_PERMISSION with a remark that names the access key, the request code and what
 * was missing — never a secret or the expected signature.
 *
 * <p>Thread-safe: the rules are swapped whole on reload ({@link #rules(AclRules)}).
 */
public final class AclGate implements RequestGate {
    private static final Logger LOG = LoggerFactory.getLogger(AclGate.class);

    private final AccessTable table;
    private volatile AclRules rules;

    public AclGate(AccessTable table, AclRules rules) {
        this.table = table;
        this.rules = rules;
    }

    public AclRules rules() {
        return rules;
    }

    /** Applies to the requests read from now on. */
    public void rules(AclRules rules) {
        this.rules = rules;
    }

    @Override
    public RemotingCommand refusal(RemotingChannel channel, RemotingCommand request) {
        String ip = ipOf(channel);
        String denied;
        try {
            denied = check(ip, request);
        } catch (RuntimeException e) {
            denied = "cannot read the topics and groups of request code " + request.code() + ": " + e.getMessage();
        }
        if (denied == null) {
            return null;
        }
        LOG.debug("refused request code {} from {}: {}", request.code(), channel.remoteAddress(), denied);
        return RemotingCommand.responseTo(request, ResponseCode.NO_PERMISSION, "ACL: " + denied);
    }

    /** Null when the request from {@code ip} may run, else why not. */
    String check(String ip, RemotingCommand request) {
        AclRules current = rules;
        if (current.globallyWhitelisted(ip)) {
            return null;
        }
        Map<String, String> ext = request.extFields();
        String accessKey = ext == null ? null : ext.get(AclSignature.ACCESS_KEY);
        if (accessKey == null) {
            return "request code " + request.code() + " from " + ip + " is not signed (no AccessKey)";
        }
        AclAccount account = current.account(accessKey);
        if (account == null) {
            return "no account for accessKey " + accessKey;
        }
        if (account.whiteRemoteAddress().matches(ip)) {
            return null;
        }
        String signature = ext.get(AclSignature.SIGNATURE);
        if (signature == null) {
            return "request code " + request.code() + " of accessKey " + accessKey + " carries no Signature";
        }
        if (!signatureMatches(request, account.secretKey(), signature)) {
            return "signature check failed for accessKey " + accessKey + " (request code " + request.code() + ")";
        }
        AccessNeeds needs = table.needs(request);
        if (needs.isAdmin() && !account.admin()) {
            return "request code " + request.code() + " needs an admin account; accessKey " + accessKey
                    + " is not one";
        }
        if (needs.isTracePublish() || account.unrestrictedAdmin()) {
            return null;
        }
        for (AccessNeeds.Need need : needs.needs()) {
            byte owned = account.permissionOn(need);
            if (!Permission.grants(owned, need.perm())) {
                return "accessKey " + accessKey + " has no " + Permission.name(need.perm()) + " permission on "
                        + need.resource() + " (it holds " + Permission.name(owned) + ")";
            }
        }
        return null;
    }

    private static boolean signatureMatches(RemotingCommand request, String secretKey, String given) {
        String expected = AclSignature.compute(request.extFields(), request.body(), secretKey, null);
        if (AclSignature.same(expected, given)) {
            return true;
        }
        return request.ext(AclSignature.UNIQUE_KEY_QUERY) != null && AclSignature.same(AclSignature.compute(
                request.extFields(), request.body(), secretKey, AclSignature.UNIQUE_KEY_QUERY), given);
    }

    private static String ipOf(RemotingChannel channel) {
        SocketAddress address = channel.remoteSocketAddress();
        if (address != null && address.hostAddress() != null) {
            return address.hostAddress();
        }
        String hostPort = channel.remoteAddress();
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 ? hostPort.substring(0, colon) : hostPort;
    }
}
