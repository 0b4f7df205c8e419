package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.BrokerConfig;
import io.tern.remoting.security.SelfSignedPem;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use the HTTP API: credentials, JSON-only writes, CORS, loopback by default, TLS. */
class HttpAccessTest {
    private static final String JSON = "application/json";
    @TempDir
    Path dir;

    @Test
    void defaultsBindLoopbackAndGuardWritesWithAGeneratedToken() throws Exception {
        assertEquals("127.0.0.1", new BrokerConfig().httpHost);
        try (HttpTestBroker b = new HttpTestBroker(dir.resolve("store"), "broker-access")) {
            // 127.0.0.2 is loopback too: a server on 0.0.0.0 would answer there, one on 127.0.0.1 does not
            assertThrows(ConnectException.class, () -> new Socket().connect(
                    new InetSocketAddress("127.0.0.2", b.broker.httpPort()), 5_000));

            Path tokenFile = dir.resolve("store").resolve(HttpCredentials.TOKEN_FILE_NAME);
            assertTrue(Files.exists(tokenFile));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            assertNotNull(b.authorization);

            String topic = "{\"topic\":\"HA_T\",\"readQueueNums\":1,\"writeQueueNums\":1}";
            HttpResponse<String> anonymous = b.post("/api/topics", topic, JSON, null);
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, b.post("/api/topics", topic, JSON, "Bearer wrong").statusCode());
            assertEquals(404, b.get("/api/topics/HA_T").statusCode(), "a refused write changed nothing");

            assertEquals(201, b.post("/api/topics", topic).statusCode());
            assertEquals(200, b.get("/api/topics/HA_T").statusCode(), "reads are open unless httpAuthReads");

            // what a page of another site can send without a preflight: forms and text/plain
            String form = "tags=t&body=hello";
            assertEquals(415, b.post("/api/topics/HA_T/messages", form, "application/x-www-form-urlencoded",
                    b.authorization).statusCode());
            assertEquals(415, b.post("/api/topics/HA_T/messages", "hello", "text/plain", b.authorization)
                    .statusCode());
            assertEquals(415, b.post("/api/topics/HA_T/messages", "hello", "multipart/form-data; boundary=x",
                    null).statusCode());
            assertEquals(415, b.post("/api/topics/HA_T/messages", "{}", null, b.authorization).statusCode());
            assertEquals(0L, stored(b, "HA_T"), "nothing was stored");
            assertEquals(200, b.post("/api/topics/HA_T/messages", "{\"a\":1}", "application/json; charset=utf-8",
                    b.authorization).statusCode());
            assertEquals(1L, stored(b, "HA_T"));

            String metrics = b.get("/metrics").body();
            assertTrue(metrics.contains("tern_http_refused_total{reason=\"unauthorized\"} 2.0"), metrics);
            assertTrue(metrics.contains("tern_http_refused_total{reason=\"unsupported_media_type\"} 4.0"));
        }
        // the token survives a restart: scripts that read it once keep working
        String before = Files.readString(dir.resolve("store").resolve(HttpCredentials.TOKEN_FILE_NAME)).trim();
        try (HttpTestBroker again = new HttpTestBroker(dir.resolve("store"), "broker-access")) {
            assertEquals("Bearer " + before, again.authorization);
            assertEquals(201, again.post("/api/topics", "{\"topic\":\"HA_T2\"}").statusCode());
        }
    }

    @Test
    void configuredTokensAndUsersAndGuardedReads() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(dir.resolve("store"), "broker-users", c -> {
            c.httpTokens = "t-one, t-two";
            c.httpUsers = "ops:s3cret";
            c.httpAuthReads = true;
        })) {
            assertFalse(Files.exists(dir.resolve("store").resolve(HttpCredentials.TOKEN_FILE_NAME)),
                    "no token generated when credentials are configured");
            String basic = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));
            String wrongBasic = "Basic " + Base64.getEncoder().encodeToString("ops:guess".getBytes(StandardCharsets.UTF_8));
            String body = "{\"topic\":\"HU_T\"}";
            assertEquals(201, b.post("/api/topics", body, JSON, "Bearer t-one").statusCode());
            assertEquals(200, b.post("/api/topics", body, JSON, "Bearer t-two").statusCode());
            assertEquals(200, b.post("/api/topics", body, JSON, basic).statusCode());
            assertEquals(401, b.post("/api/topics", body, JSON, wrongBasic).statusCode());

            assertEquals(401, b.get("/api/broker").statusCode());
            assertEquals(200, b.get("/api/health").statusCode(), "probes need no credentials");
            assertEquals(401, b.get("//metrics").statusCode(), "paths are checked as the router matches them");
            assertEquals(401, b.get("/api/health/../broker").statusCode());
            assertEquals(401, b.get("/metrics").statusCode());
            assertEquals(200, get(b, "/api/broker", "Bearer t-two").statusCode());
            assertEquals(200, get(b, "/metrics", basic).statusCode());
            HttpResponse<String> console = b.get("/");
            assertEquals(200, console.statusCode(), "the console's files load; it asks for credentials itself");
            assertTrue(console.body().contains("console-login.js"));

            // GET_BROKER_CONFIG never shows the credentials
            String config = new String(b.call(io.tern.remoting.protocol.RemotingCommand.request(
                    io.tern.remoting.protocol.RequestCode.GET_BROKER_CONFIG)).bodyBytes(), StandardCharsets.UTF_8);
            assertTrue(config.contains("httpTokens=******"), config);
            assertFalse(config.contains("t-one") || config.contains("s3cret"));
        }
    }

    @Test
    void corsOnlyForConfiguredOrigins() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(dir.resolve("store"), "broker-cors",
                c -> c.httpCorsOrigins = "https://ops.example")) {
            HttpResponse<String> foreign = b.http.send(HttpRequest.newBuilder(b.uri("/api/broker"))
                    .header("Origin", "https://evil.example").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, foreign.statusCode());
            assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            HttpResponse<String> foreignPreflight = b.http.send(HttpRequest.newBuilder(b.uri("/api/topics"))
                    .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, foreignPreflight.statusCode());

            HttpResponse<String> allowed = b.http.send(HttpRequest.newBuilder(b.uri("/api/topics"))
                    .header("Origin", "https://ops.example").header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, allowed.statusCode());
            assertEquals("https://ops.example", allowed.headers().firstValue("Access-Control-Allow-Origin")
                    .orElse(""));
            assertTrue(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("")
                    .contains("Authorization"));
        }
        try (HttpTestBroker b = new HttpTestBroker(dir.resolve("store2"), "broker-nocors")) {
            HttpResponse<String> r = b.http.send(HttpRequest.newBuilder(b.uri("/api/broker"))
                    .header("Origin", "https://ops.example").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS by default");
        }
    }

    @Test
    void httpsWithTheRemotingCertificate() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir.resolve("tls"), "http");
        try (HttpTestBroker b = new HttpTestBroker(dir.resolve("store"), "broker-https", c -> {
            c.httpTlsEnable = true;
            c.tlsCertFile = pem.certFile().toString();
            c.tlsKeyFile = pem.keyFile().toString();
            c.httpTokens = "tls-token";
        })) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(pem.certFile()))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String base = "https://127.0.0.1:" + b.broker.httpPort();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(java.net.URI.create(base + "/api/health"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("UP", new JsonObject(health.body()).getString("status"));
            HttpResponse<String> created = https.send(HttpRequest.newBuilder(java.net.URI.create(base + "/api/topics"))
                    .header("Content-Type", JSON).header("Authorization", "Bearer tls-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"HS_T\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            assertThrows(java.io.IOException.class, () -> b.get("/api/health"), "no plaintext on an https port");
        }
    }

    private static long stored(HttpTestBroker b, String topic) throws Exception {
        return b.getObject("/api/topics/" + topic).getJsonArray("queues").getJsonObject(0).getLong("maxOffset");
    }

    private static HttpResponse<String> get(HttpTestBroker b, String path, String authorization) throws Exception {
        return b.http.send(HttpRequest.newBuilder(b.uri(path)).header("Authorization", authorization).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(Path certFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certFile)) {
            trust.setCertificateEntry("tern", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
