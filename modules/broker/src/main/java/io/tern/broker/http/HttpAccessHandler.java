package io.tern.broker.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * The first handler of every HTTP request: what the API lets through.
 * <ol>
 *   <li>CORS: only for an {@code Origin} listed in {@code httpCorsOrigins}; a preflight from any other origin is
 *       refused (403) and other requests get no CORS headers, so browsers keep pages of other sites from reading
 *       answers.</li>
 *   <li>A POST, PUT or PATCH must say {@code Content-Type: application/json}, else 415
 *       before its body is read: a cross-site page can send a form or text/plain without a preflight, but not
 *       JSON.</li>
 *   <li>A write (any method but GET, HEAD, OPTIONS) needs credentials ({@link HttpCredentials}), and so does a
 *       read of {@code /api/*} (but {@code /api/health}) or {@code /metrics} when {@code httpAuthReads} is on; else
 *       401. The console's files are served to anyone: they hold no data, and the console asks for the credentials
 *       itself.</li>
 * </ol>
 * Each refusal is counted in {@code tern_http_refused_total{reason}}.
 */
final class HttpAccessHandler implements Handler<RoutingContext> {
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final HttpCredentials credentials;
    private final boolean authReads;
    private final Set<String> corsOrigins;
    private final Counter unauthorized;
    private final Counter unsupportedMediaType;
    private final Counter corsRefused;

    HttpAccessHandler(HttpCredentials credentials, boolean authReads, Set<String> corsOrigins,
                      MeterRegistry registry) {
        this.credentials = credentials;
        this.authReads = authReads;
        this.corsOrigins = corsOrigins;
        this.unauthorized = refused(registry, "unauthorized");
        this.unsupportedMediaType = refused(registry, "unsupported_media_type");
        this.corsRefused = refused(registry, "cors_origin");
    }

    private static Counter refused(MeterRegistry registry, String reason) {
        return Counter.builder("tern.http.refused").tag("reason", reason)
                .description("HTTP requests refused by the API's access rules").register(registry);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean write = !READS.contains(request.method());
        if (origin != null && corsOrigins.contains(origin)) {
            ctx.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
            if (request.method() == HttpMethod.OPTIONS) {
                ctx.response().setStatusCode(204)
                        .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
                        .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
                        .putHeader("Access-Control-Max-Age", "600").end();
                return;
            }
        } else if (origin != null && request.method() == HttpMethod.OPTIONS
                && request.getHeader("Access-Control-Request-Method") != null) {
            corsRefused.increment();
            Replies.error(ctx, 403, "origin " + origin + " is not in httpCorsOrigins");
            return;
        }
        if (WITH_BODY.contains(request.method()) && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            unsupportedMediaType.increment();
            Replies.error(ctx, 415, "writes take Content-Type: application/json");
            return;
        }
        if ((write || authReads && guardedRead(ctx.normalizedPath()))
                && !credentials.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            unauthorized.increment();
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tern\"");
            Replies.error(ctx, 401, "credentials needed: Authorization: Bearer <token> (httpTokens, or the generated"
                    + " token file) or Basic <user:password> (httpUsers)");
            return;
        }
        ctx.next();
    }

    /** Reads that need credentials under httpAuthReads; the health check stays open for load balancers and probes. */
    private static boolean guardedRead(String path) {
        return (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/metrics"))
                && !path.equals("/api/health");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json");
    }
}
