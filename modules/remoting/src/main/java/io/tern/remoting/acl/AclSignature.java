package io.tern.remoting.acl;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The request signature of RocketMQ's plain ACL, as its clients' {@code AclClientRPCHook} computes it:
 *
 * <pre>
 *   content   = value(k1) value(k2) ... value(kn)   (UTF-8, ext fields sorted by key, "Signature" left out)
 *               followed by the body bytes (none for a request without body)
 *   Signature = Base64( HmacSHA1(key = UTF-8 secret key, content) )
 * </pre>
 *
 * Keys are sorted by {@link String#compareTo} (the client uses a {@code TreeMap}); values are concatenated with no
 * separator, so only the order and the bytes matter. The signed fields include {@code AccessKey} and, when present,
 * {@code SecurityToken}.
 *
 * <p>Thread-safe: one {@link Mac} per thread.
 */
public final class AclSignature {
    public static final String ACCESS_KEY = "AccessKey";
    public static final String SIGNATURE = "Signature";
    public static final String SECURITY_TOKEN = "SecurityToken";
    /**
     * The 4.x client adds this field to QUERY_MESSAGE; brokers since RocketMQ 4.7 leave it out of the content they
     * check (apache/rocketmq#1409), so a verifier accepts the signature with or without it.
     */
    public static final String UNIQUE_KEY_QUERY = "_UNIQUE_KEY_QUERY";
    private static final String ALGORITHM = "HmacSHA1";
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    });

    private AclSignature() {
    }

    /** The signature of a request with these ext fields and body; {@code omitted} (may be null) is also left out. */
    public static String compute(Map<String, String> extFields, Buffer body, String secretKey, String omitted) {
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable secret key", e);
        }
        if (extFields != null) {
            StringBuilder values = new StringBuilder(128);
            for (Map.Entry<String, String> e : new TreeMap<>(extFields).entrySet()) {
                String key = e.getKey();
                if (!SIGNATURE.equals(key) && !key.equals(omitted) && e.getValue() != null) {
                    values.append(e.getValue());
                }
            }
            mac.update(values.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (body != null && body.length() > 0) {
            update(mac, body);
        }
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    /** Whether {@code given} equals {@code expected}, in time independent of where they differ. */
    public static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds the body without copying it into a byte array (a pooled or composite buffer stays where it is). */
    private static void update(Mac mac, Buffer body) {
        if (body instanceof BufferInternal internal) {
            ByteBuf buf = internal.getByteBuf();
            for (ByteBuffer part : buf.nioBuffers(buf.readerIndex(), buf.readableBytes())) {
                mac.update(part);
            }
        } else {
            mac.update(body.getBytes());
        }
    }
}
