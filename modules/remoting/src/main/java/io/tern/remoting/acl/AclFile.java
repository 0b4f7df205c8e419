package io.tern.remoting.acl;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACL file of a server: read once at start (a missing or unusable file stops the start — an ACL that silently
 * let everything through would be worse), then watched: every {@code intervalMs} its bytes are read on a worker
 * and, when their digest changed, parsed and handed to the {@link AclGate}. A changed file that cannot be used is
 * logged and the rules in force stay (RocketMQ's file watcher behaves the same way).
 *
 * <p>Thread contract: {@link #watch} and {@link #stop} on the owning verticle's context.
 */
public final class AclFile {
    private static final Logger LOG = LoggerFactory.getLogger(AclFile.class);

    private final Path path;
    private final AclGate gate;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile byte[] digest;
    private Vertx vertx;
    private long timerId = -1;

    private AclFile(Path path, AclGate gate, byte[] digest) {
        this.path = path;
        this.gate = gate;
        this.digest = digest;
    }

    /**
     * Reads {@code path} (blocking: call on a worker) into a gate checking requests against {@code table}. Fails
     * with an exception naming the file when it is missing or unusable.
     */
    public static AclFile openBlocking(Path path, AccessTable table) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("aclEnable is set but the ACL file " + path.toAbsolutePath()
                    + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the ACL file " + path.toAbsolutePath() + ": " + e, e);
        }
        AclRules rules;
        try {
            rules = AclRules.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ACL file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        LOG.info("ACL on: {} accounts from {}", rules.accountCount(), path.toAbsolutePath());
        return new AclFile(path, new AclGate(table, rules), sha256(bytes));
    }

    public AclGate gate() {
        return gate;
    }

    public Path path() {
        return path;
    }

    /** Starts re-reading the file every {@code intervalMs}. */
    public void watch(Vertx vertx, long intervalMs) {
        this.vertx = vertx;
        timerId = vertx.setPeriodic(Math.max(1, intervalMs), t -> {
            if (reading.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    reloadIfChanged();
                    return null;
                }, false).onComplete(ar -> reading.set(false));
            }
        });
    }

    public void stop() {
        if (vertx != null && timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    /** Blocking: one look at the file. Returns whether new rules were put in force. */
    public boolean reloadIfChanged() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            if (digest != null) {
                LOG.warn("ACL file {} cannot be read ({}); the rules read before stay in force", path, e.toString());
                digest = null;
            }
            return false;
        }
        byte[] now = sha256(bytes);
        if (Arrays.equals(now, digest)) {
            return false;
        }
        digest = now;
        try {
            AclRules rules = AclRules.parse(new String(bytes, StandardCharsets.UTF_8));
            gate.rules(rules);
            LOG.info("ACL file {} reloaded: {} accounts", path, rules.accountCount());
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("ACL file {} changed but cannot be used ({}); the rules read before stay in force", path,
                    e.getMessage());
            return false;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
