package dev.reclaim.server;

import dev.reclaim.Json;
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

    /** The grouped preview's rows, top to bottom, by the data attribute of their {@code key} (project or rule). */
    private List<String> groupRows(String key) {
        return browser.driver.findElements(By.cssSelector("#preview-groups tbody tr")).stream()
                .map(r -> r.getAttribute("data-" + key)).toList();
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
        // The totals are of the whole filter, whatever the page; they read "N tasks · size".
        browser.textContains("#tasks-totals", "3 tasks · 3.9 KiB");
        assertThat(browser.find("#tasks-totals").getAttribute("data-bytes")).isEqualTo("4000");
        assertThat(browser.find("#tasks-totals").getAttribute("data-count")).isEqualTo("3");

        // Size sorts largest first on the first click, smallest first on the second.
        browser.find("#sort-size").click();
        waitForRows(List.of("nlp-2", "nlp-1", "nlp-3"));
        assertThat(browser.find("th[data-col='size']").getAttribute("aria-sort")).isEqualTo("descending");
        assertThat(browser.find("th[data-col='name']").getAttribute("aria-sort")).isNull();
        browser.find("#sort-size").click();
        waitForRows(List.of("nlp-3", "nlp-1", "nlp-2"));
        assertThat(browser.find("th[data-col='size']").getAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(browser.driver.findElements(By.cssSelector("#tasks-body td.size")).stream()
                .map(td -> td.getAttribute("data-bytes")).toList()).containsExactly("0", "1500", "2500");
        // A narrower filter has its own totals.
        filter("nlp,vision", "no", "");
        browser.textContains("#tasks-totals", "4 tasks · 4.9 KiB");
        filter("nlp", "any", "");
        browser.textContains("#tasks-totals", "3 tasks · 3.9 KiB");
        browser.find("#sort-name").click();
        waitForRows(List.of("nlp-1", "nlp-2", "nlp-3"));

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
        // Where the space goes: one row per project and rule, most bytes first, and totals over every candidate.
        assertThat(groupRows("project")).containsExactly("vision", "nlp");
        assertThat(groupRows("rule")).containsOnly("default");
        assertThat(browser.driver.findElements(By.cssSelector("#preview-groups tbody tr td[data-bytes]")).stream()
                .mapToLong(td -> Long.parseLong(td.getAttribute("data-bytes"))).sum()).isEqualTo(expected);
        WebElement totalRow = browser.find("#preview-groups-total");
        assertThat(totalRow.findElement(By.cssSelector("td[data-bytes]")).getAttribute("data-bytes")).isEqualTo(String.valueOf(expected));
        assertThat(totalRow.findElement(By.cssSelector("td[data-tasks]")).getText()).isEqualTo("4");
        assertThat(browser.find("#preview-groups th[data-col='bytes']").getAttribute("aria-sort")).isEqualTo("descending");
        browser.find("#groups-sort-project").click();
        assertThat(groupRows("project")).containsExactly("nlp", "vision");
        assertThat(browser.find("#preview-groups th[data-col='project']").getAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(browser.find("#preview-groups th[data-col='bytes']").getAttribute("aria-sort")).isNull();
        browser.find("#groups-sort-project").click();
        assertThat(groupRows("project")).containsExactly("vision", "nlp");
        // The list of every task is there to check, folded away under the groups.
        browser.find("#preview-items summary").click();
        assertThat(browser.driver.findElements(By.cssSelector("#preview-table tbody tr")).stream()
                .map(r -> r.findElement(By.cssSelector("td")).getText()).toList())
                .containsExactlyInAnyOrder("ancient-a", "ancient-b", "nlp-1", "nlp-2");
        assertThat(browser.find("#preview-table").getText()).contains("archived").doesNotContain("recent");
        assertThat(f.reclaim.taskStore().findTask(ancientA.id())).isPresent(); // a preview deletes nothing
        browser.screenshot("cleanup-preview");
        clock.advance(Duration.ofMinutes(5)); // the person reads the preview before running it

        browser.find("#run-button").click();
        browser.textContains("#confirm-dialog", "Run the Cleanup Service now?");
        // The dialog repeats what the run deletes, from a forecast of today with the saved settings.
        assertThat(browser.textContains("#confirm-counts", "This will delete 4 task(s), 5 object(s)"))
                .contains("(" + expected + " bytes)");
        browser.screenshot("cleanup-confirm");
        browser.find("#dialog-confirm").click();
        assertThat(browser.textContains("#run-msg", "4 task(s) deleted")).contains(expected + " bytes) freed");
        assertThat(browser.textContains("#run-progress-text", "Done: 4 of 4 task(s)")).contains("freed");
        assertThat(browser.find("#run-progress").getAttribute("value")).isEqualTo(browser.find("#run-progress").getAttribute("max"));
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

        // The preview's dry run has a page too: it deleted nothing, so it lists its report's plan.
        history.get(1).findElement(By.cssSelector("a.run-link")).click();
        browser.textContains("main h1", "Dry run ");
        browser.textContains("#deleted-count", "4 task(s) in the report.");
        assertThat(browser.find("dd[data-field='kind']").getText()).startsWith("dry run");
        assertThat(browser.driver.findElements(By.cssSelector("#deleted-body td.task-name")).stream().map(WebElement::getText)
                .toList()).containsExactlyInAnyOrder("ancient-a", "ancient-b", "nlp-1", "nlp-2");
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

    /** The rules of the Cleanup page's example, as a person would type them into the field. */
    private static final String EXAMPLE_RULES = """
            [{"name": "best-checkpoints", "kinds": ["model"], "keep_best": {"k": 3, "metric": "val_loss", "direction": "min"}},
             {"name": "debug-samples", "kinds": ["debug"], "delete_artifacts_after": 7},
             {"name": "vision-quota", "projects": ["vision"], "quota": "500GB"}]""";

    private void typeRules(String text) {
        WebElement rules = browser.find("#set-rules");
        rules.clear();
        rules.sendKeys(text);
    }

    @Test
    void retentionRulesAreEditedOnTheCleanupPageAndTheirDeletionsPreviewedByRule() throws IOException {
        // A training task with 5 checkpoints; best-checkpoints keeps the 3 with the lowest val_loss.
        Task train = task("train", "vision");
        for (int i = 0; i < 5; i++) {
            Artifact a = artifact(train, ArtifactKind.MODEL, "ckpt-" + i + ".bin", 1000 + i);
            f.reclaim.tasks().setArtifactMetrics(train.id(), a.id(), Map.of("val_loss", 1.0 - i * 0.1));
        }
        clock.set(now);

        browser.open(url("#/cleanup"));
        browser.until(d -> "30".equals(browser.find("#set-delete_threshold_days").getAttribute("value")));
        assertThat(browser.find("#set-rules").getAttribute("value")).isEmpty(); // no rules yet
        typeRules(EXAMPLE_RULES);
        browser.find("#settings-save").click();
        browser.textContains("#settings-ok", "Saved: rules.");
        assertThat(f.reclaim.tasks().get(ServiceTask.ID).params().get("rules"))
                .contains("best-checkpoints", "debug-samples", "vision-quota");

        // A reload shows the saved rules, one a line, as the server wrote them back.
        browser.driver.navigate().refresh();
        browser.until(d -> browser.find("#set-rules").getAttribute("value").contains("vision-quota"));
        String shown = browser.find("#set-rules").getAttribute("value");
        assertThat(shown.lines()).hasSize(5).first().isEqualTo("[");
        assertThat(shown).contains("\"keep_best\": {\"k\": 3, \"metric\": \"val_loss\", \"direction\": \"min\"}");
        // Shown differently from the stored text but the same rules: saving again changes nothing.
        browser.find("#settings-save").click();
        browser.textContains("#settings-ok", "Nothing changed.");

        // A rule with an unknown key: the API's message, naming rule and key, next to the field; nothing saved.
        String saved = f.reclaim.tasks().get(ServiceTask.ID).params().get("rules");
        String bad = "[{\"name\": \"old-logs\", \"kinds\": [\"log\"], \"delete_after\": 7}]";
        String apiMessage = f.put("/api/v1/cleanup/settings", "{\"settings\": {\"rules\": "
                + Json.mapper().writeValueAsString(bad) + "}}").json().path("message").asText();
        assertThat(apiMessage).contains("rules[0] (old-logs)").contains("delete_after");
        typeRules(bad);
        browser.find("#settings-save").click();
        assertThat(browser.textContains("#set-rules-error", apiMessage)).isEqualTo(apiMessage);
        browser.textContains("#settings-error", "Nothing was saved");
        assertThat(browser.find("#set-rules").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find("#set-rules").getAttribute("aria-errormessage")).isEqualTo("set-rules-error");
        // the message lists a rule's keys, projects among them; the projects setting is not what is wrong
        assertThat(apiMessage).contains("projects");
        assertThat(browser.find("#set-projects").getAttribute("aria-invalid")).isNull();
        assertThat(f.reclaim.tasks().get(ServiceTask.ID).params()).containsEntry("rules", saved);

        // Text that is not JSON at all is caught before it is sent, with a message that says so.
        typeRules("[{\"name\": \"x\",");
        browser.find("#settings-save").click();
        browser.textContains("#set-rules-error", "rules is not valid JSON");
        assertThat(f.reclaim.tasks().get(ServiceTask.ID).params()).containsEntry("rules", saved);

        // Revert brings back the saved rules; their preview has a group per rule that deletes something.
        browser.find("#settings-revert").click();
        browser.until(d -> browser.find("#set-rules").getAttribute("value").equals(shown));
        // the field and the form are no longer marked wrong: what they say was of the reverted text
        assertThat(browser.driver.findElement(By.id("set-rules-error")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.id("settings-error")).isDisplayed()).isFalse();
        assertThat(browser.find("#set-rules").getAttribute("aria-invalid")).isNull();
        browser.find("#preview-button").click();
        browser.find("#preview-total");
        assertThat(groupRows("rule")).containsExactly("best-checkpoints");
        WebElement group = browser.find("#preview-groups tbody tr[data-rule='best-checkpoints']");
        assertThat(group.getAttribute("data-project")).isEqualTo("vision");
        assertThat(group.findElement(By.cssSelector("td[data-bytes]")).getAttribute("data-bytes")).isEqualTo(String.valueOf(1000 + 1001));
        // The example is folded under the field until asked for.
        assertThat(browser.driver.findElement(By.id("set-rules-example")).isDisplayed()).isFalse();
        browser.find("[data-setting='rules'] details.example summary").click();
        assertThat(browser.find("#set-rules-example").getText()).contains("best-checkpoints", "debug-samples", "vision-quota");
        browser.screenshot("cleanup-rules");
        assertThat(f.reclaim.tasks().liveArtifacts(train.id())).hasSize(5); // a preview deletes nothing
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
    void withTokensTheUiSays401OnceThenOffersAViewerOnlyWhatItMayDo() throws IOException {
        Task t = task("guarded", "ops");
        artifact(t, ArtifactKind.MODEL, "g.bin", 2048);
        String viewer = f.server.tokens().create("ui-viewer", Role.VIEWER).token();
        String operator = f.server.tokens().create("ui-operator", Role.OPERATOR).token();

        browser.open(url("#/tasks"));
        String shown = browser.textContains("#auth-banner", "Not authenticated (401)");
        assertThat(shown).contains("this route needs a token");
        // One banner, however many calls were refused: the page's own error area stays empty.
        assertThat(browser.driver.findElements(By.cssSelector(".msg")).stream()
                .filter(WebElement::isDisplayed).filter(e -> e.getText().contains("401")).count()).isEqualTo(1);
        assertThat(browser.driver.findElement(By.id("tasks-error")).isDisplayed()).isFalse();

        WebElement input = browser.find("#token-input");
        input.sendKeys(viewer, Keys.ENTER); // keyboard only
        browser.until(d -> rowNames().contains("guarded"));
        browser.textContains("#auth-state", "Token accepted: ui-viewer (viewer).");
        assertThat(browser.driver.findElement(By.id("auth-banner")).isDisplayed()).isFalse();

        // A viewer may look but not archive or delete: the buttons are off and say why.
        check("guarded");
        browser.textContains("#selection-count", "1 selected");
        for (String id : List.of("#bulk-archive", "#bulk-unarchive", "#bulk-delete")) {
            assertThat(browser.find(id).isEnabled()).as(id).isFalse();
            assertThat(browser.find(id).getAttribute("title")).as(id).isEqualTo("needs operator (this token is viewer)");
        }
        assertThat(browser.find("#bulk-needs").getText()).contains("needs operator (this token is viewer)");
        browser.screenshot("viewer-tasks");

        // The Cleanup page: preview, run and the service need operator, saving settings admin; reading works.
        browser.find("nav a[data-page='cleanup']").click();
        browser.textContains("#service-status", "CREATED");
        browser.textContains("#run-needs", "Preview and Run now: needs operator (this token is viewer).");
        browser.textContains("#settings-needs", "needs admin (this token is viewer)");
        for (String id : List.of("#preview-button", "#run-button", "#service-enqueue", "#service-stop", "#settings-save")) {
            assertThat(browser.find(id).isEnabled()).as(id).isFalse();
            assertThat(browser.find(id).getAttribute("title")).as(id).startsWith("needs ");
        }
        assertThat(browser.driver.findElement(By.id("cleanup-error")).isDisplayed()).isFalse();
        browser.screenshot("viewer-cleanup");

        // The Storage page reads usage, and says why the forecast (an operator's dry run) is not shown.
        browser.find("nav a[data-page='storage']").click();
        browser.textContains("#forecast-needs", "needs operator (this token is viewer)");
        assertThat(browser.find("#project-chart rect.bar[data-key='ops']").getAttribute("data-bytes")).isEqualTo("2048");
        assertThat(browser.driver.findElement(By.id("storage-error")).isDisplayed()).isFalse();
        browser.screenshot("viewer-storage");

        // An operator's token: the delete dialog explains force, opens with the safe choice focused, Escape cancels.
        browser.find("nav a[data-page='tasks']").click();
        input = browser.find("#token-input");
        input.clear();
        input.sendKeys(operator, Keys.ENTER);
        browser.textContains("#auth-state", "Token accepted: ui-operator (operator).");
        browser.until(d -> rowNames().contains("guarded"));
        assertThat(browser.driver.findElements(By.id("bulk-needs"))).isEmpty();
        browser.textContains("#selection-count", "1 selected"); // the selection is kept for the tab
        browser.until(d -> browser.find("#bulk-delete").isEnabled());
        browser.find("#bulk-delete").click();
        assertThat(browser.find("#delete-force-help").getText()).contains("Force also deletes tasks in any other status")
                .contains("PUBLISHED");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("dialog-cancel");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.until(d -> d.findElements(By.cssSelector("#confirm-dialog")).isEmpty());
        assertThat(f.reclaim.taskStore().findTask(t.id())).isPresent();

        // A viewer's 403 from the API still names both roles (the UI no longer offers the button).
        f.token = viewer;
        assertThat(f.post("/api/v1/tasks/archive", "{\"ids\": [\"" + t.id() + "\"]}").json().path("message").asText())
                .contains("needs role operator").contains("has role viewer");
        assertThat(f.reclaim.tasks().get(t.id()).systemTags()).doesNotContain("archived");

        ((JavascriptExecutor) browser.driver).executeScript("sessionStorage.clear()");
    }

    @Test
    void theStoragePageShowsBytesByProjectAndKindTheLargestTasksAndTheForecast() throws IOException {
        // 200 days ago: an archived draft in vision, which the saved settings (30 days) would delete today.
        Task old = task("old-run", "vision");
        artifact(old, ArtifactKind.MODEL, "m.bin", 5000);
        f.reclaim.tasks().archive(List.of(old.id()));
        clock.set(now);
        Task big = task("big-train", "vision");
        artifact(big, ArtifactKind.MODEL, "w.bin", 9000);
        artifact(big, ArtifactKind.LOG, "console.log", 500);
        Task nlp = task("nlp-eval", "nlp");
        artifact(nlp, ArtifactKind.ARTIFACT, "scores.csv", 2000);
        Task audio = task("tiny", "audio");
        artifact(audio, ArtifactKind.DEBUG_SAMPLE, "s.wav", 100);

        browser.open(url("#/storage"));
        browser.find("#project-chart");
        assertThat(browser.find("#total-bytes").getAttribute("data-bytes")).isEqualTo("16600");
        assertThat(browser.find("#total-bytes").getText()).isEqualTo("16.2 KiB");
        assertThat(browser.find("#total-objects").getText()).isEqualTo("5");
        List<WebElement> bars = browser.driver.findElements(By.cssSelector("#project-chart rect.bar"));
        assertThat(bars.stream().map(b -> b.getAttribute("data-key") + "=" + b.getAttribute("data-bytes")).toList())
                .containsExactly("vision=14500", "nlp=2000", "audio=100");
        assertThat(browser.find("#project-chart").getText()).contains("vision").contains("14.2 KiB").contains("nlp");
        assertThat(browser.driver.findElements(By.cssSelector("#kind-chart rect.bar")).stream()
                .map(b -> b.getAttribute("data-key") + "=" + b.getAttribute("data-bytes")).toList())
                .containsExactly("MODEL=14000", "ARTIFACT=2000", "LOG=500", "DEBUG_SAMPLE=100");
        List<WebElement> top = browser.driver.findElements(By.cssSelector("#top-tasks-body tr[data-task]"));
        assertThat(top.stream().map(r -> r.getAttribute("data-task")).toList())
                .containsExactly(big.id(), old.id(), nlp.id(), audio.id());
        assertThat(top.get(0).getText()).contains("big-train").contains("vision").contains("9.3 KiB");

        // Growth: the old run's bytes since it was created (before the 30 days shown), the rest from today.
        List<WebElement> days = browser.driver.findElements(By.cssSelector("#growth-chart rect.hit"));
        assertThat(days).hasSize(30);
        assertThat(days.get(0).getAttribute("data-bytes")).isEqualTo("5000");
        assertThat(days.get(29).getAttribute("data-bytes")).isEqualTo("16600");
        assertThat(browser.find("#growth-caption").getText()).contains("11.3 KiB added");
        new Select(browser.find("#growth-days")).selectByValue("365");
        browser.until(d -> d.findElements(By.cssSelector("#growth-chart rect.hit")).size() == 365);
        assertThat(browser.driver.findElements(By.cssSelector("#growth-chart rect.hit")).get(0).getAttribute("data-bytes"))
                .isEqualTo("0");

        // What cleanup would free: today the old draft, and the same in 7 and 30 days (nothing else is archived).
        browser.find("#forecast-table");
        assertThat(browser.driver.findElements(By.cssSelector("#forecast-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-days")).toList()).containsExactly("0", "7", "30");
        assertThat(browser.find("#forecast-table tr[data-days='0'] td[data-bytes]").getAttribute("data-bytes")).isEqualTo("5000");
        assertThat(browser.find("#forecast-table tr[data-days='0']").getText()).contains("Today").contains("vision 4.9 KiB");
        assertThat(browser.driver.findElement(By.id("storage-error")).isDisplayed()).isFalse();
        assertThat(f.reclaim.taskStore().findTask(old.id())).isPresent(); // a forecast deletes nothing
        browser.screenshot("storage");

        top.get(0).findElement(By.cssSelector("a.task-link")).click();
        browser.textContains("main h1", "Task big-train");
    }

    @Test
    void aHistoryRowOpensTheRunWithEveryTaskItDeletedPageByPage() throws IOException {
        // 60 archived drafts from long ago: more than one page (the run page loads 50 at a time).
        List<Task> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Task t = task(String.format("old-%02d", i), i % 2 == 0 ? "vision" : "nlp");
            tasks.add(t);
        }
        artifact(tasks.get(0), ArtifactKind.MODEL, "m.bin", 3000);
        f.reclaim.tasks().archive(tasks.stream().map(Task::id).toList());
        clock.set(now);
        ServerFixture.Answer ran = f.post("/api/v1/cleanup/run", null);
        assertThat(ran.status()).isEqualTo(200);
        assertThat(ran.json().path("deleted").asInt()).isEqualTo(60);
        String runId = ran.json().path("id").asText();

        browser.open(url("#/cleanup"));
        WebElement row = browser.find("#history-body tr[data-run='" + runId + "']");
        row.findElement(By.cssSelector("td:nth-child(4)")).click(); // anywhere on the row, not only its link
        browser.textContains("main h1", "Cleanup run " + runId);
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/cleanup/runs/" + runId);
        assertThat(browser.find("dd[data-field='trigger']").getText()).startsWith("api");
        assertThat(browser.find("dd[data-field='started_by']").getText()).isEqualTo("local");
        assertThat(browser.find("dd[data-field='totals']").getText()).startsWith("60 deleted, 0 skipped, 0 failed");
        assertThat(browser.find("dd[data-field='bytes'] span").getAttribute("data-bytes")).isEqualTo("3000");
        assertThat(browser.find("#run-settings td[data-setting='delete_threshold_days']").getText()).isEqualTo("30");

        browser.textContains("#deleted-count", "Showing 50 of 60 deleted task(s); more to load.");
        assertThat(browser.driver.findElements(By.cssSelector("#deleted-body tr[data-task]"))).hasSize(50);
        browser.find("#deleted-more").click();
        browser.textContains("#deleted-count", "Showing 60 of 60 deleted task(s).");
        List<String> names = browser.driver.findElements(By.cssSelector("#deleted-body tr[data-task] td.task-name")).stream()
                .map(WebElement::getText).toList();
        assertThat(names).hasSize(60).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(tasks.stream().map(Task::name).toList());
        assertThat(browser.driver.findElement(By.id("deleted-more")).isDisplayed()).isFalse();
        browser.screenshot("cleanup-run");

        browser.find("main a[href='#/cleanup']").click();
        browser.textContains("main h1", "Cleanup Service");
        browser.find("#history-body a.run-link").click(); // the keyboard's way: the link in the first cell
        browser.textContains("main h1", "Cleanup run " + runId);
    }
}
