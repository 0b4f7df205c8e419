package io.tern.remoting.security;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TLS of outgoing remoting connections (a broker's to its nameservers and, on a slave, to its master). Without a
 * trust file any server certificate is accepted, as RocketMQ's client does by default
 * ({@code tls.client.authServer=false}): the channel is encrypted but not authenticated; give the CA that signed
 * the servers' certificates to authenticate them. Host names are not checked: brokers and nameservers are
 * addressed by IP.
 */
public record ClientTls(boolean enabled, String trustCertFile) {
    public static final ClientTls PLAINTEXT = new ClientTls(false, "");

    public ClientTls {
        trustCertFile = trustCertFile == null ? "" : trustCertFile.trim();
    }

    /** Sets TLS on {@code options} when enabled; returns them. */
    public NetClientOptions applyTo(NetClientOptions options) {
        if (!enabled) {
            return options;
        }
        options.setSsl(true).setHostnameVerificationAlgorithm("");
        if (trustCertFile.isEmpty()) {
            options.setTrustAll(true);
        } else {
            options.setTrustOptions(new PemTrustOptions().addCertPath(trustCertFile));
        }
        return options;
    }
}
