package dev.reclaim.server;

import com.sun.net.httpserver.HttpServer;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.tasks.NewTask;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile page in real Chromium: a page from another origin (a second small HTTP server on
 * another port) fires every request a browser lets a page send without asking (no-cors fetch,
 * forms in text/plain and urlencoded, a beacon) and those that need a preflight, at a tokenless
 * loopback server; and a page reached under a rebinding DNS name calls the API as its own origin.
 * Nothing changes: no job, no new task, no deleted task, no file.
 */
class CrossOriginBrowserTest {
    @TempDir
    static Path downloads;
    static Browser browser;

    @TempDir
    Path home;
    ServerFixture f;
    HttpServer attacker;
    String taskId;
    Path pwned;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(downloads);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        // A worker slot: a job that got through would run.
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(1).build());
        taskId = f.reclaim.tasks().create(new NewTask("victim", "p", null, null, null, null, null)).id();
        pwned = home.resolve("pwned");
        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.start();
    }

    @AfterEach
    void stop() {
        attacker.stop(0);
        f.close();
    }

    private String snapshot() {
        StringBuilder b = new StringBuilder();
        f.reclaim.taskStore().query(TaskQuery.builder().pageSize(500).build()).items().forEach(t -> b.append(t).append('\n'));
        f.reclaim.taskStore().apiTokens().forEach(t -> b.append(t.name()).append('\n'));
        return b.toString();
    }

    private long stagedJobs() {
        Path staging = home.resolve("staging");
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (var s = Files.list(staging)) {
            return s.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private double refused() {
        return f.reclaim.meterRegistry().find("reclaim.http.refused").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Serves {@code html} at {@code /attack} on the attacker's server; returns its URL. */
    private String serve(String html) {
        attacker.createContext("/attack", ex -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        return "http://127.0.0.1:" + attacker.getAddress().getPort() + "/attack";
    }

    @Test
    void aPageFromAnotherOriginCannotSubmitAJobOrDeleteATask() {
        String target = "http://127.0.0.1:" + f.server.port();
        String job = "{\"command\": [\"sh\", \"-c\", \"touch " + pwned + "\"]}";
        String before = snapshot();
        String page = """
                <!doctype html><html><head><title>attack</title></head><body>
                <iframe name="sink1"></iframe><iframe name="sink2"></iframe><iframe name="sink3"></iframe>
                <form id="f1" method="POST" action="TARGET/api/v1/jobs" enctype="text/plain" target="sink1">
                  <input name='{"command": ["sh", "-c", "touch PWNED"], "x": "' value='"}'></form>
                <form id="f2" method="POST" action="TARGET/api/v1/tasks/delete" enctype="text/plain" target="sink2">
                  <input name='{"ids": ["TASK"], "force": true, "x": "' value='"}'></form>
                <form id="f3" method="POST" action="TARGET/api/v1/tasks" target="sink3">
                  <input name="name" value="planted"></form>
                <script>
                const T = 'TARGET';
                const job = JSON.stringify(JOB);
                const results = {};
                async function attempt(name, p) {
                  try { const r = await p; results[name] = 'answered ' + (r.type || typeof r); }
                  catch (e) { results[name] = 'failed ' + e.name; }
                }
                (async () => {
                  await Promise.all([
                    attempt('no-cors job', fetch(T + '/api/v1/jobs', {method: 'POST', mode: 'no-cors',
                      headers: {'Content-Type': 'text/plain'}, body: job})),
                    attempt('cors json job', fetch(T + '/api/v1/jobs', {method: 'POST',
                      headers: {'Content-Type': 'application/json'}, body: job})),
                    attempt('cors delete', fetch(T + '/api/v1/tasks/TASK?force=true', {method: 'DELETE',
                      headers: {'Content-Type': 'application/json'}})),
                    attempt('no-cors bulk delete', fetch(T + '/api/v1/tasks/delete', {method: 'POST', mode: 'no-cors',
                      body: JSON.stringify({ids: ['TASK'], force: true})})),
                    attempt('read tasks', fetch(T + '/api/v1/tasks').then((r) => r.json())),
                  ]);
                  results.beacon = navigator.sendBeacon(T + '/api/v1/jobs', new Blob([job], {type: 'text/plain'}));
                  for (const id of ['f1', 'f2', 'f3']) document.getElementById(id).submit();
                  window.attackResults = results;
                  document.title = 'done';
                })();
                </script></body></html>
                """.replace("TARGET", target).replace("TASK", taskId).replace("PWNED", pwned.toString())
                .replace("JOB", job);

        browser.driver.get(serve(page));
        browser.until(d -> "done".equals(d.getTitle()));
        // Nine requests reach the server (two of them preflights); each is refused at the boundary.
        browser.until(d -> refused() >= 9);

        @SuppressWarnings("unchecked")
        Map<String, Object> results = (Map<String, Object>) ((JavascriptExecutor) browser.driver)
                .executeScript("return window.attackResults");
        assertThat(results.get("read tasks")).as("the page cannot read the API").isEqualTo("failed TypeError");
        assertThat(results.get("cors json job")).isEqualTo("failed TypeError");
        assertThat(results.get("cors delete")).isEqualTo("failed TypeError");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.reclaim.taskStore().findTask(taskId)).isPresent();
        assertThat(pwned).doesNotExist();
        assertThat(stagedJobs()).as("no job was given an output folder").isZero();
    }

    /**
     * A link on another site is followed as a top-level navigation: to the web UI it works, to the
     * API the browser gets the 403 and shows no data of the catalog.
     */
    @Test
    void aLinkOnAnotherSiteOpensTheUiButNotTheApi() {
        String target = "http://127.0.0.1:" + f.server.port();
        String links = serve("""
                <!doctype html><html><head><title>links</title></head><body>
                <a id="api" href="TARGET/api/v1/tasks">tasks</a> <a id="ui" href="TARGET/">ui</a>
                </body></html>""".replace("TARGET", target));

        browser.driver.get(links);
        ((JavascriptExecutor) browser.driver).executeScript("document.getElementById('api').click()");
        browser.until(d -> d.getCurrentUrl().startsWith(target) && d.getPageSource().contains("cross_origin"));
        assertThat(browser.driver.getPageSource()).doesNotContain(taskId).doesNotContain("victim");

        browser.driver.get(links);
        ((JavascriptExecutor) browser.driver).executeScript("document.getElementById('ui').click()");
        browser.until(d -> d.getCurrentUrl().startsWith(target)
                && !d.findElements(By.cssSelector("main h1")).isEmpty());
    }

    @Test
    void aPageUnderARebindingNameGetsNeitherTheUiNorTheApi() {
        String rebound = "http://" + Browser.REBOUND_NAME + ":" + f.server.port();
        String before = snapshot();
        browser.driver.get(rebound + "/");
        assertThat(browser.driver.getPageSource()).contains("wrong_host").doesNotContain("token-form");

        // The page is same-origin with the server as the browser sees it: no preflight, Origin equals Host.
        Object statuses = ((JavascriptExecutor) browser.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                Promise.all([
                  fetch('/api/v1/jobs', {method: 'POST', headers: {'Content-Type': 'application/json'},
                    body: JSON.stringify({command: ['sh', '-c', 'touch PWNED']})}).then((r) => r.status),
                  fetch('/api/v1/tasks/TASK?force=true', {method: 'DELETE', headers: {'Content-Type': 'application/json'}})
                    .then((r) => r.status),
                  fetch('/api/v1/tasks').then((r) => r.status),
                ]).then(done, (e) => done(String(e)));
                """.replace("PWNED", pwned.toString()).replace("TASK", taskId));
        assertThat(statuses).asString().isEqualTo("[421, 421, 421]");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(pwned).doesNotExist();
    }
}
