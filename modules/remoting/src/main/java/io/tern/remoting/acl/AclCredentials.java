package io.tern.remoting.acl;

import io.tern.remoting.protocol.RemotingCommand;

/**
 * An account's keys as a client holds them, and the signing of its requests the way RocketMQ's
 * {@code AclClientRPCHook} does it: {@code AccessKey} (and {@code SecurityToken} when set) are added to the ext
 * fields, then {@code Signature} over all of them and the body ({@link AclSignature}).
 *
 * @param securityToken optional; null when not used
 */
public record AclCredentials(String accessKey, String secretKey, String securityToken) {
    public AclCredentials {
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("an ACL account needs both an access key and a secret key");
        }
    }

    public AclCredentials(String accessKey, String secretKey) {
        this(accessKey, secretKey, null);
    }

    /** Credentials when both keys are given, else null (no signing). */
    public static AclCredentials ofNullable(String accessKey, String secretKey) {
        boolean hasAccess = accessKey != null && !accessKey.isBlank();
        boolean hasSecret = secretKey != null && !secretKey.isBlank();
        if (hasAccess != hasSecret) {
            throw new IllegalArgumentException("give both the access key and the secret key, or neither");
        }
        return hasAccess ? new AclCredentials(accessKey.trim(), secretKey.trim()) : null;
    }

    /** Adds AccessKey, SecurityToken and Signature to {@code request}; returns it. Call once its fields are final. */
    public RemotingCommand sign(RemotingCommand request) {
        request.put(AclSignature.ACCESS_KEY, accessKey);
        if (securityToken != null) {
            request.put(AclSignature.SECURITY_TOKEN, securityToken);
        }
        request.put(AclSignature.SIGNATURE, AclSignature.compute(request.extFields(), request.body(), secretKey, null));
        return request;
    }

    /** Never shows the secret key (records print their fields). */
    @Override
    public String toString() {
        return "AclCredentials[accessKey=" + accessKey + "]";
    }
}
