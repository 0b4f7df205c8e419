package io.tern.broker.http;

import io.tern.broker.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call the HTTP API: the bearer tokens of {@code httpTokens} and the basic-auth users of {@code httpUsers}.
 * With neither configured, one token is generated at first start and kept in {@code httpTokenFile} (default
 * {@code <storeRoot>/http.token}, readable by its owner only), so writes are never open; its path, not its value, is
 * logged.
 *
 * <p>Comparisons take the same time whatever the first differing byte. Immutable; thread-safe.
 */
final class HttpCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(HttpCredentials.class);
    static final String TOKEN_FILE_NAME = "http.token";

    /** Every accepted Authorization header value ("Bearer t", "Basic base64(user:password)"), as bytes. */
    private final List<byte[]> accepted;

    private HttpCredentials(List<byte[]> accepted) {
        this.accepted = accepted;
    }

    /** From the config; blocking (may read or write the token file): call off the event loop. */
    static HttpCredentials load(BrokerConfig config) throws IOException {
        List<byte[]> accepted = new ArrayList<>();
        for (String token : split(config.httpTokens)) {
            accepted.add(("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        }
        for (String user : split(config.httpUsers)) {
            if (user.indexOf(':') <= 0) {
                throw new IllegalArgumentException("httpUsers: expected name:password, got an entry without ':'");
            }
            accepted.add(("Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (accepted.isEmpty()) {
            Path file = tokenFile(config);
            accepted.add(("Bearer " + generatedToken(file)).getBytes(StandardCharsets.UTF_8));
            LOG.info("HTTP API writes need the bearer token in {} (set httpTokens or httpUsers to choose your own)",
                    file);
        }
        return new HttpCredentials(List.copyOf(accepted));
    }

    static Path tokenFile(BrokerConfig config) {
        return config.httpTokenFile == null || config.httpTokenFile.isBlank()
                ? Path.of(config.store.storeRoot, TOKEN_FILE_NAME) : Path.of(config.httpTokenFile);
    }

    /** The token in {@code file}, or a new random one written there (owner read/write only) when absent. */
    private static String generatedToken(Path file) throws IOException {
        if (Files.exists(file)) {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!token.isEmpty()) {
                return token;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException raced) {
            // another start wrote it meanwhile: overwrite below
        }
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    /** True when {@code authorization} (the header's value, may be null) is one of the accepted credentials. */
    boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        byte[] given = authorization.trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] a : accepted) {
            match |= MessageDigest.isEqual(a, given);
        }
        return match;
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
