package io.tern.remoting.acl;

import io.tern.remoting.protocol.RemotingCommand;
import java.util.HashMap;
import java.util.Map;

/**
 * Request code → what the request needs ({@link AccessNeeds}): the role's own table of which codes are
 * administrative and which topics and groups each code touches. A code without an entry needs a valid signature
 * only. The broker and the nameserver each build one next to their processor table.
 *
 * <p>Filled before the server starts, read-only afterwards.
 */
public final class AccessTable {
    /** Reads the resources a request touches from its ext fields or body; may throw on a malformed request. */
    @FunctionalInterface
    public interface Resolver {
        AccessNeeds needs(RemotingCommand request);
    }

    private static final Resolver NONE = request -> AccessNeeds.none();
    private static final Resolver ADMIN = request -> AccessNeeds.adminOnly();

    private final Map<Integer, Resolver> resolvers = new HashMap<>();

    /** These codes change the server's state for everyone: only admin accounts may send them. */
    public AccessTable admin(int... codes) {
        for (int code : codes) {
            resolvers.put(code, ADMIN);
        }
        return this;
    }

    public AccessTable resolve(int code, Resolver resolver) {
        resolvers.put(code, resolver);
        return this;
    }

    /** What {@code request} needs. */
    public AccessNeeds needs(RemotingCommand request) {
        return resolvers.getOrDefault(request.code(), NONE).needs(request);
    }

    /** Whether {@code code} is administrative. */
    public boolean isAdmin(int code) {
        return resolvers.get(code) == ADMIN;
    }
}
