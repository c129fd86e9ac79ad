package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.tokens.Role;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's trust boundary as a hostile web page or a rebinding DNS name would probe it: every
 * refused request is answered with the API's JSON error and changes nothing (no task, no job, no
 * token, no setting, no file); every answer carries the security headers.
 */
class HttpTrustBoundaryTest {
    private static final String EVIL = "http://evil.example";

    @TempDir
    Path home;
    ServerFixture f;
    RawHttp raw;
    int port;
    Path pwned;
    String taskId;

    @BeforeEach
    void start() {
        // One worker slot: a submitted job would really run, as on a default server.
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(1).build());
        port = f.server.port();
        raw = new RawHttp(port);
        pwned = home.resolve("pwned");
        taskId = f.reclaim.tasks().create(new NewTask("keep-me", "p", null, null, null, null, null)).id();
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private String self() {
        return "http://127.0.0.1:" + port;
    }

    private String job() {
        return "{\"command\": [\"sh\", \"-c\", \"touch " + pwned + "\"]}";
    }

    /** Every record an HTTP request could change, and every file in the home but the database's. */
    private static String snapshot(Reclaim reclaim, Path home) {
        StringBuilder b = new StringBuilder();
        reclaim.taskStore().query(TaskQuery.builder().pageSize(500).build()).items().forEach(t -> {
            b.append(t).append('\n');
            reclaim.taskStore().artifactsOf(t.id()).forEach(a -> b.append(a).append('\n'));
        });
        reclaim.taskStore().apiTokens().forEach(t -> b.append(t.id()).append(t.name()).append(t.role()).append(t.revoked()).append('\n'));
        b.append(reclaim.cleanup().history(10)).append('\n');
        try (var files = Files.walk(home)) {
            files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("reclaim.db"))
                    .sorted().forEach(p -> b.append(home.relativize(p)).append('\n'));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toString();
    }

    private String snapshot() {
        return snapshot(f.reclaim, home);
    }

    private static void refused(RawHttp.Answer a, int status, String code) {
        assertThat(a.status()).as(a.toString()).isEqualTo(status);
        assertThat(a.header("Content-Type")).as(a.toString()).startsWith("application/json");
        assertThat(a.error()).as(a.toString()).isEqualTo(code);
        assertThat(a.json().path("message").asText()).as(a.toString()).isNotBlank();
        assertSecurityHeaders(a);
    }

    static void assertSecurityHeaders(RawHttp.Answer a) {
        assertThat(a.header("X-Content-Type-Options")).as(a.toString()).isEqualTo("nosniff");
        assertThat(a.header("X-Frame-Options")).as(a.toString()).isEqualTo("DENY");
        assertThat(a.header("Referrer-Policy")).as(a.toString()).isEqualTo("no-referrer");
        String csp = a.header("Content-Security-Policy");
        assertThat(csp).as(a.toString()).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
    }

    /** The state-changing requests a hostile page would want, each with a JSON body or none. */
    private List<String[]> stateChanges() {
        return List.of(
                new String[] {"POST", "/api/v1/jobs", job()},
                new String[] {"POST", "/api/v1/tasks", "{\"name\": \"planted\"}"},
                new String[] {"DELETE", "/api/v1/tasks/" + taskId + "?force=true", ""},
                new String[] {"POST", "/api/v1/tasks/delete", "{\"ids\": [\"" + taskId + "\"], \"force\": true}"},
                new String[] {"POST", "/api/v1/tasks/archive", "{\"ids\": [\"" + taskId + "\"]}"},
                new String[] {"PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"0\"}}"},
                new String[] {"POST", "/api/v1/cleanup/run", ""},
                new String[] {"POST", "/api/v1/tokens", "{\"name\": \"mine\", \"role\": \"admin\"}"});
    }

    @Test
    void aCrossOriginSimplePostCannotSubmitAJob() {
        String before = snapshot();
        RawHttp.Answer a = raw.request("POST", "/api/v1/jobs").header("Origin", EVIL)
                .header("Content-Type", "text/plain").body(job()).send();
        refused(a, 403, "cross_origin");
        assertThat(a.json().path("message").asText()).contains("http://evil.example").contains(self());
        assertThat(snapshot()).isEqualTo(before);
        assertThat(pwned).doesNotExist();
    }

    @Test
    void aStateChangingRequestFromAnotherOriginIsRefusedEvenAsJson() {
        String before = snapshot();
        for (String origin : List.of(EVIL, "null", "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1),
                "https://127.0.0.1:" + port, "http://localhost:" + port, "http://127.0.0.1")) {
            for (String[] r : stateChanges()) {
                refused(raw.request(r[0], r[1]).header("Origin", origin).json(r[2]).send(), 403, "cross_origin");
            }
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theServersOwnOriginMayChangeState() {
        RawHttp.Answer a = raw.request("POST", "/api/v1/tasks").header("Origin", self()).json("{\"name\": \"mine\"}").send();
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        RawHttp.Answer viaName = raw.request("POST", "/api/v1/tasks").header("Host", "localhost:" + port)
                .header("Origin", "http://localhost:" + port).json("{\"name\": \"by-name\"}").send();
        assertThat(viaName.status()).as(viaName.toString()).isEqualTo(201);
        RawHttp.Answer noOrigin = raw.request("POST", "/api/v1/tasks").json("{\"name\": \"curl\"}").send();
        assertThat(noOrigin.status()).as(noOrigin.toString()).isEqualTo(201);
    }

    @Test
    void aStateChangingRequestWithoutAJsonContentTypeIs415() {
        String before = snapshot();
        List<String> types = new ArrayList<>(List.of("text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonx", "text/json", "application/json-patch+json"));
        for (String type : types) {
            for (String[] r : stateChanges()) {
                refused(raw.request(r[0], r[1]).header("Content-Type", type).body(r[2]).send(), 415, "unsupported_media_type");
            }
        }
        for (String[] r : stateChanges()) {
            refused(raw.request(r[0], r[1]).body(r[2]).send(), 415, "unsupported_media_type");
        }
        assertThat(snapshot()).isEqualTo(before);
        RawHttp.Answer withCharset = raw.request("POST", "/api/v1/tasks").header("Content-Type", "Application/JSON; charset=UTF-8")
                .body("{\"name\": \"ok\"}").send();
        assertThat(withCharset.status()).as(withCharset.toString()).isEqualTo(201);
    }

    @Test
    void aPostWithoutABodyIsAcceptedWithTheJsonContentType() {
        RawHttp.Answer a = raw.request("POST", "/api/v1/cleanup/preview").json("").send();
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
    }

    @Test
    void aForeignHostIsRefusedOnEveryRouteEvenWhenTheOriginMatchesIt() {
        String before = snapshot();
        for (String host : List.of("evil.example:" + port, "evil.example", "localhost.evil.example:" + port,
                "127.0.0.1.evil.example:" + port, "10.0.0.1:" + port)) {
            for (String path : List.of("/", "/index.html", "/js/api.js", "/health", "/metrics", "/openapi.json",
                    "/api/v1/tasks", "/api/v1/tasks/" + taskId, "/no-such-route")) {
                refused(raw.request("GET", path).header("Host", host).send(), 421, "wrong_host");
            }
            // DNS rebinding: the page's origin is the rebound name itself, so Origin equals the Host.
            for (String[] r : stateChanges()) {
                refused(raw.request(r[0], r[1]).header("Host", host).header("Origin", "http://" + host).json(r[2]).send(),
                        421, "wrong_host");
            }
        }
        RawHttp.Answer a = raw.request("GET", "/api/v1/tasks").header("Host", "evil.example:" + port).send();
        assertThat(a.json().path("message").asText()).contains("evil.example").contains("--allowed-host");
        // Whoever guesses wrong learns nothing about the names that would work.
        assertThat(a.body()).doesNotContain("localhost", "127.0.0.1", "::1");
        // An absolute request target names the host instead of the Host header.
        RawHttp.Answer absolute = raw.request("POST", "http://evil.example:" + port + "/api/v1/jobs").json(job()).send();
        assertThat(absolute.status()).as(absolute.toString()).isIn(400, 421);
        assertThat(absolute.header("Content-Type")).startsWith("application/json");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(pwned).doesNotExist();
    }

    @Test
    void aLoopbackServerAnswersToItsLocalNames() {
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port,
                "localhost", "127.0.0.1")) {
            RawHttp.Answer a = raw.request("GET", "/health").header("Host", host).send();
            assertThat(a.status()).as(host + ": " + a).isEqualTo(200);
        }
    }

    @Test
    void aRequestWithoutAHostIsRefusedInJson() {
        RawHttp.Answer a = raw.request("GET", "/health").noHost().send();
        assertThat(a.status()).as(a.toString()).isEqualTo(400);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertSecurityHeaders(a);
    }

    @Test
    void aPublicUrlAndAllowedHostsAreServedAndThePublicOriginMayChangeState() {
        f.close();
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0)
                .publicUrl("https://reclaim.example.org").allowedHosts(List.of("ci.internal")).build());
        raw = new RawHttp(f.server.port());
        assertThat(raw.request("GET", "/health").header("Host", "reclaim.example.org").send().status()).isEqualTo(200);
        assertThat(raw.request("GET", "/health").header("Host", "ci.internal:" + f.server.port()).send().status()).isEqualTo(200);
        assertThat(raw.request("GET", "/health").header("Host", "localhost:" + f.server.port()).send().status()).isEqualTo(200);
        refused(raw.request("GET", "/health").header("Host", "other.example.org").send(), 421, "wrong_host");
        RawHttp.Answer proxied = raw.request("POST", "/api/v1/tasks").header("Host", "reclaim.example.org")
                .header("Origin", "https://reclaim.example.org").json("{\"name\": \"via-proxy\"}").send();
        assertThat(proxied.status()).as(proxied.toString()).isEqualTo(201);
        refused(raw.request("POST", "/api/v1/tasks").header("Host", "reclaim.example.org")
                .header("Origin", "https://evil.example").json("{\"name\": \"x\"}").send(), 403, "cross_origin");
    }

    @Test
    void withTokensTheSameRulesApplyToAuthenticatedRequests() {
        String admin = f.server.tokens().create("boss", Role.ADMIN).token();
        String before = snapshot();
        for (String[] r : stateChanges()) {
            refused(raw.request(r[0], r[1]).header("Authorization", "Bearer " + admin).header("Origin", EVIL).json(r[2]).send(),
                    403, "cross_origin");
            refused(raw.request(r[0], r[1]).header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
                    .body(r[2]).send(), 415, "unsupported_media_type");
            refused(raw.request(r[0], r[1]).header("Authorization", "Bearer " + admin).header("Host", "evil.example:" + port)
                    .json(r[2]).send(), 421, "wrong_host");
        }
        refused(raw.request("GET", "/api/v1/tasks").header("Authorization", "Bearer " + admin)
                .header("Host", "evil.example:" + port).send(), 421, "wrong_host");
        assertThat(snapshot()).isEqualTo(before);
        RawHttp.Answer ok = raw.request("POST", "/api/v1/tasks").header("Authorization", "Bearer " + admin)
                .header("Origin", self()).json("{\"name\": \"allowed\"}").send();
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }

    @Test
    void aCrossSiteRequestIsRefusedByItsFetchMetadataButANavigationIsServed() {
        String before = snapshot();
        for (String site : List.of("cross-site", "same-site")) {
            refused(raw.request("GET", "/api/v1/tasks?name=x").header("Sec-Fetch-Site", site).header("Sec-Fetch-Mode", "no-cors")
                    .header("Sec-Fetch-Dest", "image").send(), 403, "cross_origin");
            refused(raw.request("GET", "/api/v1/tasks/" + taskId + "/artifacts").header("Sec-Fetch-Site", site)
                    .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Dest", "empty").send(), 403, "cross_origin");
            refused(raw.request("POST", "/api/v1/jobs").header("Sec-Fetch-Site", site).header("Sec-Fetch-Mode", "navigate")
                    .header("Sec-Fetch-Dest", "document").json(job()).send(), 403, "cross_origin");
        }
        RawHttp.Answer link = raw.request("GET", "/").header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "navigate")
                .header("Sec-Fetch-Dest", "document").send();
        assertThat(link.status()).as(link.toString()).isEqualTo(200);
        RawHttp.Answer own = raw.request("GET", "/api/v1/tasks").header("Sec-Fetch-Site", "same-origin")
                .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Dest", "empty").send();
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * A link on another site opens a page of this server in a new top-level window (the browser
     * sends Sec-Fetch-Mode: navigate). The UI may be opened that way; the API, /metrics and the
     * other machine-readable routes may not: a link could otherwise make a browser download an
     * artifact, hold a long poll or show the catalog as a page of its own.
     */
    @Test
    void aCrossSiteNavigationReachesTheUisFilesButNeverTheApi() {
        String before = snapshot();
        for (String path : List.of("/api/v1/tasks", "/api/v1/tasks/" + taskId, "/api/v1/tasks/" + taskId + "/artifacts",
                "/api/v1/jobs/" + taskId + "/wait?timeout=25s", "/api/v1/cleanup/settings", "/api/v1/no-such-route",
                "/api", "/metrics", "/openapi.json", "/health", "/API/v1/tasks", "//api/v1/tasks", "/./api/v1/tasks",
                "/%61pi/v1/tasks")) {
            for (String site : List.of("cross-site", "same-site")) {
                for (String method : List.of("GET", "HEAD")) {
                    RawHttp.Answer a = raw.request(method, path).header("Sec-Fetch-Site", site).header("Sec-Fetch-Mode", "navigate")
                            .header("Sec-Fetch-Dest", "document").header("Sec-Fetch-User", "?1").send();
                    assertThat(a.status()).as(method + " " + path + " from " + site + ": " + a).isIn(403, 400, 404);
                    if (method.equals("GET") && a.status() == 403) {
                        refused(a, 403, "cross_origin");
                    }
                }
            }
        }
        for (String path : List.of("/", "/index.html", "/js/api.js")) {
            RawHttp.Answer ui = raw.request("GET", path).header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "navigate")
                    .header("Sec-Fetch-Dest", "document").send();
            assertThat(ui.status()).as(path + ": " + ui).isEqualTo(200);
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void methodOverrideHeadersAndParametersAreIgnored() {
        String before = snapshot();
        for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
            RawHttp.Answer post = raw.request("POST", "/api/v1/tasks/" + taskId).header(header, "DELETE").json("").send();
            refused(post, 405, "method_not_allowed");
            RawHttp.Answer get = raw.request("GET", "/api/v1/tasks/" + taskId).header(header, "DELETE").send();
            assertThat(get.status()).as(get.toString()).isEqualTo(200);
        }
        RawHttp.Answer param = raw.request("POST", "/api/v1/tasks/" + taskId + "?_method=DELETE").json("").send();
        assertThat(param.status()).as(param.toString()).isBetween(400, 499);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.reclaim.taskStore().findTask(taskId)).isPresent();
    }

    @Test
    void aWrongMethodOnAKnownPathIs405WithTheAllowedMethods() {
        String before = snapshot();
        RawHttp.Answer put = raw.request("PUT", "/api/v1/tasks").json("{}").send();
        refused(put, 405, "method_not_allowed");
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD, POST");
        assertThat(put.json().path("message").asText()).contains("PUT").contains("GET, HEAD, POST");
        assertThat(raw.request("DELETE", "/api/v1/jobs").json("").send().header("Allow")).isEqualTo("GET, HEAD, POST");
        assertThat(raw.request("PATCH", "/api/v1/tasks/" + taskId).json("{}").send().header("Allow")).isEqualTo("DELETE, GET, HEAD");
        assertThat(raw.request("POST", "/api/v1/tasks/" + taskId + "/params").json("{}").send().header("Allow"))
                .isEqualTo("GET, HEAD, PUT");
        RawHttp.Answer health = raw.request("POST", "/health").json("").send();
        refused(health, 405, "method_not_allowed");
        assertThat(health.header("Allow")).isEqualTo("GET, HEAD");
        RawHttp.Answer page = raw.request("POST", "/index.html").json("").send();
        refused(page, 405, "method_not_allowed");
        assertThat(page.header("Allow")).isEqualTo("GET, HEAD");
        RawHttp.Answer trace = raw.request("TRACE", "/api/v1/tasks").header("X-Secret", "s3cret").send();
        refused(trace, 405, "method_not_allowed");
        assertThat(trace.body()).doesNotContain("s3cret");
        refused(raw.request("OPTIONS", "/api/v1/tasks").send(), 405, "method_not_allowed");
        refused(raw.request("POST", "/no-such-route").json("").send(), 404, "not_found");
        refused(raw.request("GET", "/api/v1/no-such-route").send(), 404, "not_found");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        RawHttp.Answer a = raw.request("HEAD", "/api/v1/tasks").send();
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        assertSecurityHeaders(a);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        List<RawHttp.Answer> answers = List.of(
                raw.request("GET", "/").send(),
                raw.request("GET", "/index.html").send(),
                raw.request("GET", "/js/app.js").send(),
                raw.request("GET", "/app.css").send(),
                raw.request("GET", "/health").send(),
                raw.request("GET", "/metrics").send(),
                raw.request("GET", "/openapi.json").send(),
                raw.request("GET", "/api/v1/tasks").send(),
                raw.request("GET", "/api/v1/tasks/bad-id").send(),
                raw.request("GET", "/nothing-here.js").send(),
                raw.request("POST", "/api/v1/tasks").json("{\"name\": \"x\", \"colour\": 1}").send());
        for (RawHttp.Answer a : answers) {
            assertSecurityHeaders(a);
        }
        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.get(0).header("Content-Type")).startsWith("text/html");
    }

    @Test
    void jettysOwnErrorsAreAnsweredInTheApisJsonFormat() {
        String before = snapshot();
        refused(raw.exchange(("GET /he\u0001alth HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), false), 400, "bad_request");
        refused(raw.exchange("NOT A REQUEST\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), false), 505, "bad_request");
        refused(raw.exchange(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nBad Header Line\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), false), 400, "bad_request");
        refused(raw.request("GET", "/api/v1/tasks?name=" + "a".repeat(20_000)).send(), 414, "too_large");
        refused(raw.request("GET", "/health").header("X-Padding", "p".repeat(20_000)).send(), 431, "too_large");
        String big = "{\"name\": \"" + "b".repeat(2 * 1024 * 1024) + "\"}";
        refused(raw.request("POST", "/api/v1/tasks").json(big).send(), 413, "too_large");
        String chunked = "POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(big.length()) + "\r\n" + big
                + "\r\n0\r\n\r\n";
        refused(raw.exchange(chunked.getBytes(StandardCharsets.ISO_8859_1), false), 413, "too_large");
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * A name filter with catastrophic backtracking ({@code (.*a){20}$} against a long run of a's)
     * must be answered promptly (or refused) while the server keeps answering others. The server
     * runs in a child JVM: if the filter spins, killing the child ends it.
     */
    @Test
    void aPathologicalNameFilterIsAnsweredPromptlyAndChangesNothing() throws Exception {
        f.reclaim.tasks().create(new NewTask("a".repeat(60) + "!", "p", null, null, null, null, null));
        f.close();
        f = null;
        Reclaim offline = ServerFixture.open(home);
        String before = snapshot(offline, home);
        offline.close();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String after;
        try (ServerProcess child = ServerProcess.start(home)) {
            String base = "http://127.0.0.1:" + child.port;
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(URI.create(base
                    + "/api/v1/tasks?name=" + URLEncoder.encode("(.*a){20}$", StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> answer = slow.get(20, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isIn(200, 400);
        } finally {
            Reclaim reopened = ServerFixture.open(home);
            after = snapshot(reopened, home);
            reopened.close();
        }
        assertThat(after).isEqualTo(before);
    }
}
