package io.tern.remoting.security;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed certificate for "localhost" / 127.0.0.1 made at test time with the JDK's keytool, written as PEM
 * files: the certificate, and its private key as unencrypted PKCS#8 ("BEGIN PRIVATE KEY"). Self-signed, the
 * certificate is its own CA: give it as the trust file of a server that asks for client certificates.
 */
public record SelfSignedPem(Path certFile, Path keyFile, Path keyStoreFile) {
    private static final String ALIAS = "tern";
    private static final char[] PASSWORD = "tern-test".toCharArray();

    public static SelfSignedPem create(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD);
        }
        PrivateKey key = (PrivateKey) store.getKey(ALIAS, PASSWORD);
        Certificate cert = store.getCertificate(ALIAS);
        Path certFile = dir.resolve(name + ".crt.pem");
        Path keyFile = dir.resolve(name + ".key.pem");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new SelfSignedPem(certFile, keyFile, keyStore);
    }

    /** Key managers presenting this certificate: what a client with a client certificate uses. */
    public KeyManager[] keyManagers() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD);
        return factory.getKeyManagers();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
