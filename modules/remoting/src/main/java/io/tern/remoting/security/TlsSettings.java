package io.tern.remoting.security;

import java.util.Locale;

/**
 * TLS of one remoting server, from config: the mode, the PEM certificate chain and private key (PKCS#8 or PKCS#1),
 * and optionally the PEM CA certificates that client certificates must chain to, with how strictly client
 * certificates are asked for ({@code none}, {@code optional}, {@code require}: RocketMQ's
 * {@code tls.server.need.client.auth}).
 */
public record TlsSettings(TlsMode mode, String certFile, String keyFile, String trustCertFile, String clientAuth) {
    public static final TlsSettings DISABLED = new TlsSettings(TlsMode.DISABLED, "", "", "", "none");

    public TlsSettings {
        certFile = certFile == null ? "" : certFile.trim();
        keyFile = keyFile == null ? "" : keyFile.trim();
        trustCertFile = trustCertFile == null ? "" : trustCertFile.trim();
        clientAuth = clientAuth == null || clientAuth.isBlank() ? "none" : clientAuth.trim().toLowerCase(Locale.ROOT);
        if (!clientAuth.equals("none") && !clientAuth.equals("optional") && !clientAuth.equals("require")) {
            throw new IllegalArgumentException("tlsClientAuth must be none, optional or require, not '" + clientAuth
                    + "'");
        }
        if (mode != TlsMode.DISABLED && (certFile.isEmpty() || keyFile.isEmpty())) {
            throw new IllegalArgumentException("tlsMode " + mode.name().toLowerCase(Locale.ROOT)
                    + " needs tlsCertFile and tlsKeyFile (PEM)");
        }
        if (!clientAuth.equals("none") && trustCertFile.isEmpty()) {
            throw new IllegalArgumentException("tlsClientAuth " + clientAuth + " needs tlsTrustCertFile (PEM CA)");
        }
    }

    public boolean enabled() {
        return mode != TlsMode.DISABLED;
    }
}
