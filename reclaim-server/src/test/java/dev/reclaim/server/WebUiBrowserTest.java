package dev.reclaim.server;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.testkit.SettableClock;
import dev.reclaim.tokens.Role;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI driven as a person would, in headless Chromium, against a real server on a temporary
 * home (SQLite file, filesystem artifact store, free port). Time is a {@link SettableClock}: tasks
 * are archived "long ago" by setting the clock back, never by waiting.
 */
class WebUiBrowserTest {
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    static Path downloads;
    static Browser browser;

    @TempDir
    Path home;
    ServerFixture f;
    SettableClock clock;
    /** The real time the test pretends is "now" at the end; the browser's clock agrees with it. */
    Instant now;

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
    void startServer() {
        now = Instant.now();
        clock = new SettableClock(now.minus(DAY.multipliedBy(200)));
        // No workers: jobs stay where the test puts them.
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build(), clock);
    }

    @AfterEach
    void stopServer() {
        try {
            if (browser != null) {
                // Every page ran under the server's Content-Security-Policy: nothing it did was blocked.
                assertThat(browser.cspViolations()).isEmpty();
            }
        } finally {
            if (f != null) {
                f.close();
            }
        }
    }

    @Test
    void aContentSecurityPolicyViolationWouldBeSeenByTheseTests() {
        browser.open(url("#/tasks"));
        // An inline style attribute is what the policy forbids; setting one must show up in the log.
        ((JavascriptExecutor) browser.driver).executeScript("document.querySelector('main').setAttribute('style', 'color: red')");
        browser.until(d -> !browser.cspViolations().isEmpty());
        assertThat(browser.find("main").getCssValue("color")).doesNotContain("255, 0, 0");
    }

    private String url(String hash) {
        return "http://127.0.0.1:" + f.server.port() + "/" + hash;
    }

    private Task task(String name, String project) {
        return f.reclaim.tasks().create(new NewTask(name, project, null, null, null, null, null));
    }

    private Artifact artifact(Task t, ArtifactKind kind, String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = Files.write(home.resolve("seed-" + t.id() + "-" + name.replace('/', '_')), bytes);
        return f.reclaim.tasks().addArtifact(t.id(), kind, name, file);
    }

    private List<String> rowNames() {
        return browser.driver.findElements(By.cssSelector("#tasks-body tr[data-id] a.task-link")).stream()
                .map(WebElement::getText).toList();
    }

    private void waitForRows(List<String> names) {
        browser.until(d -> rowNames().equals(names));
    }

    private void filter(String project, String archived, String olderDays) {
        WebElement p = browser.find("#f-project");
        p.clear();
        p.sendKeys(project);
        new Select(browser.find("#f-archived")).selectByValue(archived);
        WebElement older = browser.find("#f-older");
        older.clear();
        older.sendKeys(olderDays);
        browser.find("#f-apply").click();
    }

    private void check(String taskName) {
        browser.find("input.row-select[aria-label='Select " + taskName + "']").click();
    }

    @Test
    void filterArchiveTwoThenPreviewRunAndSeeTheFreedBytesInTheHistory() throws IOException {
        // 200 days ago: two drafts with artifacts, archived at once.
        Task ancientA = task("ancient-a", "vision");
        artifact(ancientA, ArtifactKind.MODEL, "model.bin", 4096);
        artifact(ancientA, ArtifactKind.LOG, "console.log", 1000);
        Task ancientB = task("ancient-b", "vision");
        artifact(ancientB, ArtifactKind.DEBUG_SAMPLE, "sample.png", 2048);
        f.reclaim.tasks().archive(List.of(ancientA.id(), ancientB.id()));
        // 100 days ago: the server's "now" while the person works in the UI.
        clock.set(now.minus(DAY.multipliedBy(100)));
        Task nlp1 = task("nlp-1", "nlp");
        artifact(nlp1, ArtifactKind.MODEL, "w.bin", 1500);
        Task nlp2 = task("nlp-2", "nlp");
        artifact(nlp2, ArtifactKind.ARTIFACT, "out.csv", 2500);
        task("nlp-3", "nlp");
        Task recent = task("recent", "vision");
        artifact(recent, ArtifactKind.MODEL, "r.bin", 999);

        browser.open(url("#/tasks"));
        filter("nlp", "any", "");
        browser.find("#sort-name").click();
        waitForRows(List.of("nlp-1", "nlp-2", "nlp-3"));
        assertThat(browser.find("th[data-col='name']").getAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(browser.find("tr[data-id='" + nlp1.id() + "'] td.size").getAttribute("data-bytes")).isEqualTo("1500");
        assertThat(browser.find("tr[data-id='" + nlp1.id() + "'] td.size").getText()).isEqualTo("1.5 KiB");

        check("nlp-1");
        check("nlp-2");
        browser.textContains("#selection-count", "2 selected");
        browser.find("#bulk-archive").click();
        browser.textContains("#confirm-dialog", "nlp-1");
        browser.find("#dialog-confirm").click();
        browser.textContains("#tasks-status", "Archived 2 of 2 task(s).");
        browser.until(d -> d.findElement(By.cssSelector("tr[data-id='" + nlp1.id() + "'] td.archived")).getText().startsWith("20"));
        assertThat(f.reclaim.tasks().get(nlp1.id()).systemTags()).contains("archived");
        assertThat(f.reclaim.tasks().get(nlp2.id()).systemTags()).contains("archived");
        browser.screenshot("tasks");

        // The age filter: archived more than 150 days ago (by the browser's clock) is only the ancient pair.
        filter("", "yes", "150");
        waitForRows(List.of("ancient-a", "ancient-b"));
        browser.screenshot("tasks-archived-long-ago");

        // Time passes: "recent" is archived 3 days before now, then it is now.
        clock.set(now.minus(DAY.multipliedBy(3)));
        f.reclaim.tasks().archive(List.of(recent.id()));
        clock.set(now);

        browser.find("nav a[data-page='cleanup']").click();
        browser.find("#preview-button").click();
        WebElement total = browser.find("#preview-total");
        long expected = 4096 + 1000 + 2048 + 1500 + 2500;
        assertThat(total.getAttribute("data-bytes")).isEqualTo(String.valueOf(expected));
        assertThat(total.getAttribute("data-tasks")).isEqualTo("4");
        assertThat(total.getText()).contains("4 task(s) would be deleted").contains(expected + " bytes");
        assertThat(browser.driver.findElements(By.cssSelector("#preview-table tbody tr")).stream()
                .map(r -> r.findElement(By.cssSelector("td")).getText()).toList())
                .containsExactlyInAnyOrder("ancient-a", "ancient-b", "nlp-1", "nlp-2");
        assertThat(browser.find("#preview-table").getText()).contains("archived").doesNotContain("recent");
        assertThat(f.reclaim.taskStore().findTask(ancientA.id())).isPresent(); // a preview deletes nothing
        browser.screenshot("cleanup-preview");
        clock.advance(Duration.ofMinutes(5)); // the person reads the preview before running it

        browser.find("#run-button").click();
        browser.textContains("#confirm-dialog", "Run the Cleanup Service now?");
        browser.find("#dialog-confirm").click();
        assertThat(browser.textContains("#run-msg", "4 task(s) deleted")).contains(expected + " bytes) freed");
        // Newest first: the real run, then the preview's dry run.
        browser.until(d -> d.findElements(By.cssSelector("#history-body tr")).size() == 2);
        List<WebElement> history = browser.driver.findElements(By.cssSelector("#history-body tr"));
        assertThat(history.get(0).findElement(By.cssSelector("td:nth-child(2)")).getText()).isEqualTo("run");
        assertThat(history.get(0).findElement(By.cssSelector("td.bytes")).getAttribute("data-bytes")).isEqualTo(String.valueOf(expected));
        assertThat(history.get(1).findElement(By.cssSelector("td:nth-child(2)")).getText()).isEqualTo("dry run");
        assertThat(browser.find("#history-chart rect.bar").getAttribute("data-bytes")).isEqualTo(String.valueOf(expected));
        browser.screenshot("cleanup");

        for (Task gone : List.of(ancientA, ancientB, nlp1, nlp2)) {
            assertThat(f.reclaim.taskStore().findTask(gone.id())).as(gone.name()).isEmpty();
        }
        assertThat(f.reclaim.taskStore().findTask(recent.id())).isPresent();
    }

    @Test
    void aTaskPageShowsArtifactsByKindWithSizesAndADownloadThatWorks() throws IOException {
        Task upstream = task("upstream", "vision");
        Artifact upstreamModel = artifact(upstream, ArtifactKind.MODEL, "base.ckpt", 10);
        Task t = task("trainer", "vision");
        Artifact model = artifact(t, ArtifactKind.MODEL, "weights/best-model.ckpt", 3000);
        artifact(t, ArtifactKind.ARTIFACT, "metrics.json", 120);
        artifact(t, ArtifactKind.LOG, "console.log", 64);
        f.reclaim.tasks().addInputModel(t.id(), upstreamModel.id());
        f.reclaim.tasks().create(new NewTask("step-1", "vision", null, null, null, t.id(), Map.of()));

        browser.open(url("#/tasks/" + t.id()));
        browser.textContains("main h1", "Task trainer");
        browser.textContains("#artifacts-total", "3 · 3.1 KiB");
        assertThat(browser.find("section[data-kind='MODEL'] h3").getText()).isEqualTo("Models (1, 2.9 KiB)");
        assertThat(browser.find("section[data-kind='ARTIFACT'] h3").getText()).isEqualTo("Artifacts (1, 120 B)");
        assertThat(browser.find("section[data-kind='LOG'] h3").getText()).isEqualTo("Logs (1, 64 B)");
        assertThat(browser.find("tr[data-artifact='" + model.id() + "'] td.size").getAttribute("data-bytes")).isEqualTo("3000");
        assertThat(browser.find("#children").getText()).contains("step-1");
        assertThat(browser.find("#input-models").getText()).contains(upstreamModel.id());
        assertThat(browser.find("dd[data-field='project']").getText()).isEqualTo("vision");
        browser.screenshot("task");

        browser.find("a.download[data-artifact='" + model.id() + "']").click();
        Path saved = downloads.resolve("best-model.ckpt");
        browser.until(d -> Files.isRegularFile(saved) && sizeOf(saved) == 3000);
        assertThat(Files.readAllBytes(saved)).isEqualTo(f.download("/api/v1/tasks/" + t.id() + "/artifacts/" + model.id() + "/content"));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aBadSettingShowsTheApisMessageAndChangesNothing() {
        String apiMessage = f.put("/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"-5\"}}")
                .json().path("message").asText();
        assertThat(apiMessage).contains("delete_threshold_days");

        browser.open(url("#/cleanup"));
        WebElement threshold = browser.find("#set-delete_threshold_days");
        browser.until(d -> "30".equals(threshold.getAttribute("value")));
        threshold.clear();
        threshold.sendKeys("-5");
        browser.find("#set-keep_last").click(); // a second field changed in the same save: all or nothing
        browser.find("#set-keep_last").sendKeys(Keys.chord(Keys.CONTROL, "a"), "3");
        browser.find("#settings-save").click();

        assertThat(browser.textContains("#settings-error", apiMessage)).isEqualTo(apiMessage);
        assertThat(threshold.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find("#set-keep_last").getAttribute("aria-invalid")).isNull();
        browser.screenshot("cleanup-bad-setting");
        Map<String, String> params = f.reclaim.tasks().get(ServiceTask.ID).params();
        assertThat(params).containsEntry("delete_threshold_days", "30").containsEntry("keep_last", "0");

        // Fixed, the same form saves.
        threshold.clear();
        threshold.sendKeys("7");
        browser.find("#settings-save").click();
        browser.textContains("#settings-ok", "Saved: delete_threshold_days, keep_last.");
        assertThat(f.reclaim.tasks().get(ServiceTask.ID).params()).containsEntry("delete_threshold_days", "7")
                .containsEntry("keep_last", "3");
    }

    @Test
    void theJobsPageFollowsAJobsStatusWithoutAReload() {
        var job = f.reclaim.jobs().submit(new CommandJob("nightly-eval", "nlp", List.of("true"), Map.of(), null),
                new ComputeContext(null, new JobOptions(false, false, false)));

        browser.open(url("#/jobs"));
        String row = "#jobs-body tr[data-id='" + job.id() + "'] td.job-status";
        browser.textContains(row, "QUEUED");
        assertThat(browser.find("main").getAttribute("data-polling")).isEqualTo("live");

        assertThat(f.reclaim.jobs().cancel(job.id())).isTrue();

        browser.textContains(row, "CANCELED"); // picked up by the 2 s poll
        browser.textContains("#jobs-live", "every 2 s");
        browser.screenshot("jobs");

        // The tab is hidden: polling pauses. Shown again: it refreshes at once and sees the new job.
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        js.executeScript("Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
                + "document.dispatchEvent(new Event('visibilitychange'))");
        browser.textContains("#jobs-live", "Paused while this tab is hidden.");
        assertThat(browser.find("main").getAttribute("data-polling")).isEqualTo("paused");
        var second = f.reclaim.jobs().submit(new CommandJob("second", "nlp", List.of("true"), Map.of(), null),
                new ComputeContext(null, new JobOptions(false, false, false)));
        js.executeScript("Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
                + "document.dispatchEvent(new Event('visibilitychange'))");
        browser.textContains("#jobs-body tr[data-id='" + second.id() + "'] td.job-status", "QUEUED");
        assertThat(browser.find("main").getAttribute("data-polling")).isEqualTo("live");
    }

    @Test
    void theServiceIsEnqueuedAndStoppedFromTheCleanupPage() {
        browser.open(url("#/cleanup"));
        browser.textContains("#service-status", "CREATED");
        browser.find("#service-enqueue").click();
        browser.textContains("#service-msg", "Enqueued on queue services.");
        browser.textContains("#service-status", "QUEUED");
        assertThat(f.reclaim.tasks().get(ServiceTask.ID).status()).isEqualTo(TaskStatus.QUEUED);

        // While it is queued its settings are fixed: the API says so and the UI shows it.
        WebElement threshold = browser.find("#set-delete_threshold_days");
        threshold.clear();
        threshold.sendKeys("1");
        browser.find("#settings-save").click();
        browser.textContains("#settings-error", "parameters can only be edited while it is a draft");

        browser.find("#service-stop").click();
        browser.textContains("#service-msg", "Stop: dequeued.");
        browser.textContains("#service-status", "CREATED");
        assertThat(f.reclaim.tasks().get(ServiceTask.ID).status()).isEqualTo(TaskStatus.CREATED);
    }

    @Test
    void withTokensTheUiSays401Then403AndWorksWithTheRightToken() {
        Task t = task("guarded", "ops");
        String viewer = f.server.tokens().create("ui-viewer", Role.VIEWER).token();

        browser.open(url("#/tasks"));
        String shown = browser.textContains("#tasks-error", "Not authenticated (401)");
        assertThat(shown).contains("this route needs a token");
        assertThat(browser.find("#auth-state").getText()).contains("401");

        WebElement input = browser.find("#token-input");
        input.sendKeys(viewer, Keys.ENTER); // keyboard only
        browser.until(d -> rowNames().contains("guarded"));
        browser.textContains("#auth-state", "Token accepted.");

        // A viewer may look but not archive: the 403 names both roles; nothing changes.
        check("guarded");
        browser.find("#bulk-archive").click();
        browser.find("#dialog-confirm").click();
        assertThat(browser.textContains("#tasks-error", "Not allowed (403)")).contains("needs role operator")
                .contains("has role viewer");
        assertThat(f.reclaim.tasks().get(t.id()).systemTags()).doesNotContain("archived");

        // The delete dialog explains force, opens with the safe choice focused, and Escape cancels it.
        browser.textContains("#selection-count", "1 selected"); // a refused action keeps the selection
        browser.find("#bulk-delete").click();
        assertThat(browser.find("#delete-force-help").getText()).contains("Force also deletes tasks in any other status")
                .contains("PUBLISHED");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("dialog-cancel");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.until(d -> d.findElements(By.cssSelector("#confirm-dialog")).isEmpty());
        assertThat(f.reclaim.taskStore().findTask(t.id())).isPresent();

        ((JavascriptExecutor) browser.driver).executeScript("sessionStorage.clear()");
    }
}
