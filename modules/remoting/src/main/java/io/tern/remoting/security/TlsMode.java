package io.tern.remoting.security;

import java.util.Locale;

/** RocketMQ's server TLS modes ({@code tls.server.mode}); Tern's default is {@link #DISABLED}. */
public enum TlsMode {
    /** Plaintext only. */
    DISABLED,
    /** TLS and plaintext on one port: a connection whose first byte is a TLS handshake record gets TLS. */
    PERMISSIVE,
    /** TLS only: a plaintext connection is closed at its first bytes. */
    ENFORCING;

    /** Parses "disabled" / "permissive" / "enforcing", any case. */
    public static TlsMode parse(String text) {
        if (text == null || text.isBlank()) {
            return DISABLED;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tlsMode must be disabled, permissive or enforcing, not '" + text + "'");
        }
    }
}
