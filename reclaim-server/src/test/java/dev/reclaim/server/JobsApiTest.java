package dev.reclaim.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The job routes over real HTTP, with a real worker running real commands. */
class JobsApiTest {
    private static final String JOB = "{\"command\": [\"sh\", \"-c\", \"echo hello; mkdir -p $RECLAIM_OUTPUT/models; "
            + "printf weights > $RECLAIM_OUTPUT/models/m.bin; echo 42 > $RECLAIM_OUTPUT/result.json\"], "
            + "\"name\": \"train\", \"wait_for_end\": true%s}";

    @TempDir
    Path home;
    ServerFixture f;

    @BeforeEach
    void start() {
        f = ServerFixture.start(home);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String finishedJob(String extra) {
        ServerFixture.Answer a = f.post("/api/v1/jobs?timeout=20s", String.format(JOB, extra));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().path("status").asText()).isEqualTo("FINISHED");
        return a.json().path("id").asText();
    }

    @Test
    void aSubmittedJobRunsAndReportsItsStatusAndConsole() {
        String id = finishedJob("");

        assertThat(f.get("/api/v1/jobs/" + id).json().path("status").asText()).isEqualTo("FINISHED");
        assertThat(f.get("/api/v1/jobs/" + id + "/wait?timeout=1s").json().path("ended").asBoolean()).isTrue();
        JsonNode out = f.get("/api/v1/jobs/" + id + "/output").json();
        assertThat(out.path("text").asText()).contains("hello");
        int next = out.path("next_offset").asInt();
        assertThat(f.get("/api/v1/jobs/" + id + "/output?offset=" + next).json().path("text").asText()).isEmpty();
        assertThat(f.get("/api/v1/jobs?state=finished").json().path("jobs").findValuesAsText("id")).contains(id);
        assertThat(f.get("/api/v1/jobs?state=failed").json().path("jobs")).isEmpty();
    }

    @Test
    void resultsWithoutAutoCleanupComeWithWorkingDownloadLinks() {
        String id = finishedJob(", \"auto_cleanup\": false");

        ServerFixture.Answer r = f.post("/api/v1/jobs/" + id + "/results?console_output=true", null);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("result").asInt()).isEqualTo(42);
        assertThat(r.json().path("console_output").asText()).contains("hello");
        assertThat(r.json().path("cleaned_up").asBoolean()).isFalse();
        JsonNode model = null;
        for (JsonNode a : r.json().path("artifacts")) {
            if (a.path("kind").asText().equals("MODEL")) {
                model = a;
            }
        }
        assertThat(model).isNotNull();
        assertThat(new String(f.download(model.path("download").asText()), StandardCharsets.UTF_8)).isEqualTo("weights");
    }

    @Test
    void resultsWithAutoCleanupRemoveTheJob() {
        String id = finishedJob("");
        ServerFixture.Answer r = f.post("/api/v1/jobs/" + id + "/results", null);
        assertThat(r.json().path("cleaned_up").asBoolean()).isTrue();
        assertThat(f.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/jobs/" + id + "/results", null).status()).isEqualTo(404);
    }

    @Test
    void aQueuedJobCanBeCanceledOnceAndThenCleanedUp() {
        ServerFixture.Answer a = f.post("/api/v1/jobs", "{\"command\": [\"true\"], \"queue\": \"nobody-serves-this\"}");
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().path("warning").asText()).contains("no worker serves queue nobody-serves-this");
        String id = a.json().path("id").asText();

        assertThat(f.get("/api/v1/jobs/" + id + "/wait?timeout=100ms").json().path("status").asText()).isEqualTo("QUEUED");
        assertThat(f.post("/api/v1/jobs/" + id + "/cancel", null).json().path("canceled").asBoolean()).isTrue();
        ServerFixture.Answer again = f.post("/api/v1/jobs/" + id + "/cancel", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("message").asText()).contains("CANCELED");

        ServerFixture.Answer cleaned = f.post("/api/v1/jobs/" + id + "/cleanup", null);
        assertThat(cleaned.status()).as(cleaned.body()).isEqualTo(200);
        assertThat(cleaned.json().path("reports").get(0).path("outcome").asText()).isEqualTo("DELETED");
    }

    @Test
    void cleanupOfUnretrievedResultsNeedsForceAndSaysHow() {
        String id = finishedJob("");

        ServerFixture.Answer refused = f.post("/api/v1/jobs/" + id + "/cleanup", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("needs_force");
        assertThat(refused.json().path("message").asText()).contains("force=true");
        assertThat(f.get("/api/v1/jobs/" + id).status()).isEqualTo(200);

        ServerFixture.Answer forced = f.post("/api/v1/jobs/cleanup",
                "{\"ids\": [\"" + id + "\", \"0000000000000000000000000000\"], \"force\": true, \"verbose\": true}");
        assertThat(forced.status()).as(forced.body()).isEqualTo(200);
        assertThat(forced.json().path("reports").findValuesAsText("outcome")).containsExactly("DELETED", "ALREADY_GONE");
        assertThat(forced.json().path("reports").get(0).path("deleted")).isNotEmpty();
        assertThat(f.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
    }

    @Test
    void badJobRequestsAreRefusedWithTheirReason() {
        assertThat(f.get("/api/v1/jobs/not-an-id").error()).isEqualTo("bad_request");
        assertThat(f.get("/api/v1/jobs/0000000000000000000000000000").status()).isEqualTo(404);
        assertThat(f.get("/api/v1/jobs/0000000000000000000000000000/wait?timeout=10h").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/jobs?state=sleepy").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/jobs?start_time=yesterday").status()).isEqualTo(400);
        assertThat(f.post("/api/v1/jobs", "{\"command\": []}").status()).isEqualTo(400);
        assertThat(f.post("/api/v1/jobs", "{\"command\": [\"true\"], \"wait\": true}").json().path("message").asText())
                .contains("unknown property 'wait'");
        assertThat(f.get("/api/v1/jobs").json().path("jobs")).isEmpty();
    }

    /**
     * A console of 2.7 MB (ASCII, then two-byte characters) comes back in pieces of at most 1 MiB of
     * UTF-8, never splitting a character; following next_offset gives the whole output exactly once.
     */
    @Test
    void aLargeConsoleIsReturnedAtMostOneMibibytePerResponse() {
        // two-byte characters made by sed from their bytes: the command line itself stays ASCII
        String script = "head -c 1500000 /dev/zero | tr '\\0' x; yes | head -n 600000 | tr -d '\\n' | sed 's/y/\\xc3\\xa9/g'";
        ServerFixture.Answer a;
        try {
            a = f.post("/api/v1/jobs?timeout=20s", ServerFixture.MAPPER.writeValueAsString(Map.of(
                    "command", List.of("sh", "-c", script), "wait_for_end", true, "auto_cleanup", false)));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().path("status").asText()).isEqualTo("FINISHED");
        String id = a.json().path("id").asText();

        StringBuilder whole = new StringBuilder();
        int offset = 0;
        int responses = 0;
        while (true) {
            JsonNode out = f.get("/api/v1/jobs/" + id + "/output?offset=" + offset).json();
            String text = out.path("text").asText();
            assertThat(text.getBytes(StandardCharsets.UTF_8).length).as("bytes of one response").isLessThanOrEqualTo(1 << 20);
            assertThat(out.path("offset").asInt()).isEqualTo(offset);
            whole.append(text);
            int next = out.path("next_offset").asInt();
            assertThat(next).isEqualTo(offset + text.length());
            responses++;
            if (!out.path("more").asBoolean()) {
                break;
            }
            assertThat(text).as("a response before the end is never empty").isNotEmpty();
            offset = next;
        }
        assertThat(responses).isEqualTo(3);
        assertThat(whole.toString()).isEqualTo("x".repeat(1_500_000) + "\u00e9".repeat(600_000));
    }

    /** The job list comes in pages of at most page_size (500 at most) with a cursor to the next, oldest or newest first. */
    @Test
    void theJobListIsPagedWithACursorAndACappedPageSize() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ServerFixture.Answer a = f.post("/api/v1/jobs", "{\"command\": [\"true\"], \"queue\": \"nobody-serves-this\"}");
            ids.add(a.json().path("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = f.get("/api/v1/jobs?page_size=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.path("jobs").size()).isLessThanOrEqualTo(2);
            page.path("jobs").forEach(j -> seen.add(j.path("id").asText()));
            cursor = page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode() ? null
                    : page.path("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(ids);
        JsonNode newest = f.get("/api/v1/jobs?order=newest&page_size=3").json();
        assertThat(newest.path("jobs").findValuesAsText("id")).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(f.get("/api/v1/jobs?page_size=501").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/jobs?page_size=0").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/jobs?order=sideways").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/jobs?cursor=not-a-cursor").status()).isEqualTo(400);
    }

    /**
     * Results are handed back in one answer, so a console or a result.json over 1 MiB is refused
     * before anything happens (409 saying how to read them a piece at a time); the job stays, and
     * without the large part the hand-back works.
     */
    @Test
    void resultsWithAConsoleOrAResultOverOneMibibyteAreRefusedAndChangeNothing() throws Exception {
        String script = "head -c 1500000 /dev/zero | tr '\\0' x; printf '\"%s\"' \"$(head -c 1500000 /dev/zero | tr '\\0' y)\" "
                + "> $RECLAIM_OUTPUT/result.json";
        ServerFixture.Answer a = f.post("/api/v1/jobs?timeout=20s", ServerFixture.MAPPER.writeValueAsString(Map.of(
                "command", List.of("sh", "-c", script), "wait_for_end", true)));
        assertThat(a.json().path("status").asText()).as(a.body()).isEqualTo("FINISHED");
        String id = a.json().path("id").asText();

        ServerFixture.Answer console = f.post("/api/v1/jobs/" + id + "/results?console_output=true", null);
        assertThat(console.status()).as(console.body()).isEqualTo(409);
        assertThat(console.json().path("message").asText()).contains("console", "/output", "next_offset");
        ServerFixture.Answer result = f.post("/api/v1/jobs/" + id + "/results?console_output=false", null);
        assertThat(result.status()).as(result.body()).isEqualTo(409);
        assertThat(result.json().path("message").asText()).contains("result", "auto_cleanup=false", "download");

        assertThat(f.get("/api/v1/jobs/" + id).json().path("status").asText()).as("nothing changed").isEqualTo("FINISHED");
        assertThat(f.reclaim.taskStore().findTask(id).orElseThrow().resultsRetrievedAt()).isNull();

        ServerFixture.Answer kept = f.post("/api/v1/jobs/" + id + "/results?console_output=false&auto_cleanup=false", null);
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.body().length()).as("the result is not inlined").isLessThan(1 << 20);
        assertThat(kept.json().path("result_omitted").asText()).contains("download");
        JsonNode link = null;
        for (JsonNode x : kept.json().path("artifacts")) {
            if (x.path("kind").asText().equals("RESULT")) {
                link = x.path("download");
            }
        }
        assertThat(link).as("the result's download link").isNotNull();
        assertThat(f.download(link.asText())).hasSize(1_500_002);
    }

    /** The download links of a job's results come at most 500 at a time; the rest through the task's artifact pages. */
    @Test
    void resultsListAtMost500DownloadLinksAndSayWhereTheRestAre() throws Exception {
        String script = "mkdir -p $RECLAIM_OUTPUT/artifacts; i=0; while [ $i -lt 503 ]; do echo $i > $RECLAIM_OUTPUT/artifacts/f$i; "
                + "i=$((i+1)); done; echo 1 > $RECLAIM_OUTPUT/result.json";
        ServerFixture.Answer a = f.post("/api/v1/jobs?timeout=25s", ServerFixture.MAPPER.writeValueAsString(Map.of(
                "command", List.of("sh", "-c", script), "wait_for_end", true, "auto_cleanup", false)));
        assertThat(a.json().path("status").asText()).as(a.body()).isEqualTo("FINISHED");
        String id = a.json().path("id").asText();

        JsonNode r = f.post("/api/v1/jobs/" + id + "/results", null).json();
        assertThat(r.path("artifacts").size()).isEqualTo(500);
        String cursor = r.path("artifacts_next_cursor").asText();
        JsonNode rest = f.get("/api/v1/tasks/" + id + "/artifacts?page_size=500&cursor=" + cursor).json();
        Set<String> ids = new HashSet<>(r.path("artifacts").findValuesAsText("id"));
        ids.addAll(rest.path("artifacts").findValuesAsText("id"));
        assertThat(ids).hasSize(500 + rest.path("artifacts").size());
        assertThat(ids.size()).as("every file and the result (and the console log, when kept)").isGreaterThanOrEqualTo(504);
    }
}
