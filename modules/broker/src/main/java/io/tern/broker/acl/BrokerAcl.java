package io.tern.broker.acl;

import io.tern.broker.BrokerConfig;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.acl.AclAccount;
import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.acl.AclFile;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * The broker's two sides of the plain ACL: the check of the requests it serves (when {@code aclEnable} is on: the
 * ACL file, watched for changes, gating the processor table) and the signature on the requests it makes itself —
 * registration at the nameservers, a slave's metadata sync from its master. It signs with {@code aclAccessKey} /
 * {@code aclSecretKey} when set, else, with ACL on, with the first admin account of its own ACL file (brokers and
 * nameservers that share one file then need no keys of their own), else not at all.
 *
 * <p>Thread contract: {@link #openBlocking} on a worker; {@link #watch} and {@link #stop} on the broker verticle.
 */
public final class BrokerAcl {
    /** Null when aclEnable is off. */
    private final AclFile file;
    /** Null when the broker signs nothing. */
    private final AclCredentials credentials;
    private final long reloadIntervalMs;

    private BrokerAcl(AclFile file, AclCredentials credentials, long reloadIntervalMs) {
        this.file = file;
        this.credentials = credentials;
        this.reloadIntervalMs = reloadIntervalMs;
    }

    /** Reads the ACL file when ACL is on (blocking); fails when it is missing or unusable. */
    public static BrokerAcl openBlocking(BrokerConfig config) {
        AclFile file = config.aclEnable ? AclFile.openBlocking(Path.of(config.aclFile), BrokerAccessTable.build())
                : null;
        AclCredentials credentials = AclCredentials.ofNullable(config.aclAccessKey, config.aclSecretKey);
        if (credentials == null && file != null) {
            AclAccount admin = file.gate().rules().firstAdmin();
            credentials = admin == null ? null : new AclCredentials(admin.accessKey(), admin.secretKey());
        }
        return new BrokerAcl(file, credentials, config.aclReloadIntervalMs);
    }

    /** Puts the check in front of every network request of {@code processors} (nothing when ACL is off). */
    public void guard(ProcessorTable processors) {
        if (file != null) {
            processors.gate(file.gate());
        }
    }

    /** What the broker signs its own requests with; null = unsigned. */
    public AclCredentials credentials() {
        return credentials;
    }

    public boolean enabled() {
        return file != null;
    }

    /** Starts reloading the ACL file on change. */
    public void watch(Vertx vertx) {
        if (file != null) {
            file.watch(vertx, reloadIntervalMs);
        }
    }

    public void stop() {
        if (file != null) {
            file.stop();
        }
    }
}
