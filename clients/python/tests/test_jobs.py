"""The jobs API against a real server: the seed API's semantics, end to end."""

from __future__ import annotations

import contextlib
import io
import time
import unittest
import warnings
from datetime import datetime, timedelta, timezone

from support import client, eventually, running, shell, unique

from reclaim_client import ArtifactKind, CleanupOutcome, JobStatus, ReclaimError, ReclaimWarning

TRAIN = shell("echo hello; mkdir -p $RECLAIM_OUTPUT/models; printf weights > $RECLAIM_OUTPUT/models/m.bin; "
              "echo '{\"loss\": 0.42}' > $RECLAIM_OUTPUT/result.json")


def quiet_cleanup(c, jobs, force=False):  # type: ignore[no-untyped-def]
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", ReclaimWarning)
        return c.jobs.cleanup_jobs(jobs, force=force)


class SubmitAndFollow(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def test_submit_waits_by_default_and_the_job_reports_status_and_console(self) -> None:
        job = self.c.jobs.submit(TRAIN, name=unique("train"), auto_cleanup=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        self.assertIs(job.status, JobStatus.FINISHED)
        self.assertIs(self.c.jobs.status(job), JobStatus.FINISHED)
        self.assertIs(self.c.jobs.status(job.id), JobStatus.FINISHED, "an id works as well as the Job")
        self.assertIs(self.c.jobs.wait(job, timeout=1), JobStatus.FINISHED)
        self.assertEqual(self.c.jobs.output(job), "hello\n")
        self.assertEqual(self.c.jobs.output(job, offset=2), "llo\n")

    def test_submit_without_wait_then_wait_until_it_ends(self) -> None:
        job = self.c.jobs.submit(shell("sleep 1; echo done"), wait=False, auto_cleanup=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        self.assertIn(job.status, (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FINISHED))
        status = self.c.jobs.wait(job)
        self.assertIs(status, JobStatus.FINISHED)
        self.assertTrue(status.ended)

    def test_wait_with_a_timeout_returns_the_status_while_the_job_still_runs(self) -> None:
        job = self.c.jobs.submit(shell("sleep 60"), wait=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)
        eventually(lambda: running(self.c, job.id), "the job to start")

        started = time.monotonic()
        status = self.c.jobs.wait(job, timeout=0.5)
        self.assertIs(status, JobStatus.RUNNING)
        self.assertFalse(status.ended)
        self.assertLess(time.monotonic() - started, 10)

    def test_submit_with_a_timeout_returns_a_job_that_has_not_ended(self) -> None:
        job = self.c.jobs.submit(shell("sleep 60"), timeout=0.5)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        self.assertIn(job.status, (JobStatus.QUEUED, JobStatus.RUNNING))

    def test_a_failing_command_is_failed_and_has_no_results(self) -> None:
        job = self.c.jobs.submit(shell("echo broken >&2; exit 3"))
        self.addCleanup(quiet_cleanup, self.c, job, True)

        self.assertIs(job.status, JobStatus.FAILED)
        with self.assertRaises(ReclaimError) as e:
            self.c.jobs.results(job)
        self.assertEqual((e.exception.status, e.exception.code), (409, "conflict"))
        self.assertEqual(e.exception.body.get("status"), "FAILED")
        self.assertIn("broken", self.c.jobs.output(job))

    def test_a_queue_no_worker_serves_gives_a_warning_and_the_job_waits(self) -> None:
        with self.assertWarns(ReclaimWarning) as w:
            job = self.c.jobs.submit(["true"], queue=unique("nobody"), wait=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        self.assertIn("no worker serves queue", str(w.warning))
        self.assertIs(self.c.jobs.status(job), JobStatus.QUEUED)

    def test_bad_input_is_a_bad_request_that_says_what_is_wrong(self) -> None:
        with self.assertRaises(ReclaimError) as e:
            self.c.jobs.submit([], wait=False)
        self.assertEqual((e.exception.status, e.exception.code), (400, "bad_request"))
        self.assertIn("command", e.exception.message)
        with self.assertRaises(TypeError):
            self.c.jobs.submit("echo hi")  # type: ignore[arg-type]

    def test_a_job_that_never_existed_is_missing(self) -> None:
        ghost = "0" * 27 + "1"
        self.assertIs(self.c.jobs.status(ghost), JobStatus.MISSING)
        self.assertIs(self.c.jobs.wait(ghost, timeout=1), JobStatus.MISSING)
        self.assertFalse(self.c.jobs.cancel(ghost))
        self.assertEqual(self.c.jobs.output(ghost), "")


class Results(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def test_results_without_auto_cleanup_keep_the_job_and_link_its_artifacts(self) -> None:
        job = self.c.jobs.submit(TRAIN, auto_cleanup=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        first = self.c.jobs.results(job, console_output=True)
        self.assertEqual(first.result, {"loss": 0.42})
        self.assertEqual(first.console_output, "hello\n")
        self.assertFalse(first.cleaned_up)
        model = next(a for a in first.artifacts if a.kind is ArtifactKind.MODEL)
        self.assertEqual((model.name, model.size_bytes, model.task_id), ("m.bin", 7, job.id))
        self.assertEqual(self.c.tasks.download(model), b"weights")
        again = self.c.jobs.results(job)
        self.assertEqual(again.result, {"loss": 0.42}, "results can be fetched again without auto-cleanup")
        self.assertIsNone(again.console_output, "the console only when asked")
        self.assertIsNotNone(self.c.tasks.get(job).results_retrieved_at)

    def test_results_with_auto_cleanup_the_default_delete_the_job(self) -> None:
        job = self.c.jobs.submit(TRAIN)

        res = self.c.jobs.results(job)
        self.assertEqual(res.result, {"loss": 0.42})
        self.assertTrue(res.cleaned_up)
        self.assertEqual(res.artifacts, [])
        self.assertIs(self.c.jobs.status(job), JobStatus.MISSING)
        self.assertEqual(self.c.jobs.output(job), "", "as in the seed API: empty once cleaned up")
        with self.assertRaises(ReclaimError) as e:
            self.c.jobs.results(job)
        self.assertEqual(e.exception.status, 404)

    def test_the_call_overrides_the_submitted_options(self) -> None:
        job = self.c.jobs.submit(TRAIN, auto_cleanup=True, console_output=True)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        kept = self.c.jobs.results(job, console_output=False, auto_cleanup=False)
        self.assertIsNone(kept.console_output)
        self.assertFalse(kept.cleaned_up)
        self.assertIs(self.c.jobs.status(job), JobStatus.FINISHED)
        gone = self.c.jobs.results(job)  # the submitted options: console, then auto-cleanup
        self.assertEqual(gone.console_output, "hello\n")
        self.assertTrue(gone.cleaned_up)


class Cancel(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def test_cancel_stops_a_running_job_and_says_whether_it_canceled(self) -> None:
        job = self.c.jobs.submit(shell("sleep 60"), wait=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)
        eventually(lambda: running(self.c, job.id), "the job to start")

        self.assertTrue(self.c.jobs.cancel(job))
        self.assertIs(self.c.jobs.status(job), JobStatus.CANCELED)
        self.assertFalse(self.c.jobs.cancel(job), "only a queued or running job can be canceled")

    def test_cancel_of_a_finished_job_changes_nothing(self) -> None:
        job = self.c.jobs.submit(["true"], auto_cleanup=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        self.assertFalse(self.c.jobs.cancel(job))
        self.assertIs(self.c.jobs.status(job), JobStatus.FINISHED)


class ListJobs(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def test_list_filters_by_state_and_time_and_follows_every_page(self) -> None:
        before = datetime.now(timezone.utc) - timedelta(seconds=1)
        done = [self.c.jobs.submit(["true"], name=unique("listed")) for _ in range(3)]
        failed = self.c.jobs.submit(["false"])
        for j in (*done, failed):
            self.addCleanup(quiet_cleanup, self.c, j, True)
        ids = {j.id for j in done}

        finished = [j for j in self.c.jobs.list("finished", start_time=before, page_size=1) if j.id in ids | {failed.id}]
        self.assertEqual({j.id for j in finished}, ids, "every page, one job at a time; the failed one left out")
        self.assertTrue(all(j.status is JobStatus.FINISHED and j.ended_at is not None for j in finished))
        both = {j.id for j in self.c.jobs.list([JobStatus.FINISHED, JobStatus.FAILED], start_time=before)}
        self.assertLessEqual(ids | {failed.id}, both)
        self.assertFalse(ids & {j.id for j in self.c.jobs.list(end_time=before)}, "end_time bounds the list")

    def test_newest_first_and_one_page_at_a_time(self) -> None:
        first = self.c.jobs.submit(["true"])
        second = self.c.jobs.submit(["true"])
        for j in (first, second):
            self.addCleanup(quiet_cleanup, self.c, j, True)

        newest = [j.id for j in self.c.jobs.list(order="newest") if j.id in (first.id, second.id)]
        self.assertEqual(newest, [second.id, first.id])
        page = self.c.jobs.page(page_size=1)
        self.assertEqual(len(page.items), 1)
        self.assertIsNotNone(page.next_cursor)
        following = self.c.jobs.page(page_size=1, cursor=page.next_cursor)
        self.assertNotEqual(following.items[0].id, page.items[0].id)

    def test_a_bad_filter_is_a_bad_request(self) -> None:
        with self.assertRaises(ReclaimError) as e:
            list(self.c.jobs.list("sleeping"))
        self.assertEqual((e.exception.status, e.exception.code), (400, "bad_request"))


class CleanupJobs(unittest.TestCase):
    """cleanup_jobs(jobs, force=False, verbose=True), by the table of docs/rules.md section 2."""

    def setUp(self) -> None:
        self.c = client()

    def cleanup(self, jobs, force=False, verbose=True):  # type: ignore[no-untyped-def]
        out = io.StringIO()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reports = self.c.jobs.cleanup_jobs(jobs, force=force, verbose=verbose, out=out)
        return reports, out.getvalue(), [str(w.message) for w in caught if issubclass(w.category, ReclaimWarning)]

    def test_a_finished_job_whose_results_were_never_retrieved_needs_force(self) -> None:
        job = self.c.jobs.submit(TRAIN, auto_cleanup=False)
        self.addCleanup(quiet_cleanup, self.c, job, True)

        reports, printed, warned = self.cleanup(job)
        self.assertEqual([r.outcome for r in reports], [CleanupOutcome.SKIPPED_NEEDS_FORCE])
        self.assertEqual(len(warned), 1)
        self.assertIn(job.id, warned[0])
        self.assertIn("results were never retrieved", warned[0])
        self.assertIn("force", warned[0])
        self.assertEqual(printed, "", "nothing was deleted")
        self.assertIs(self.c.jobs.status(job), JobStatus.FINISHED, "the server deleted nothing")

        forced, printed, warned = self.cleanup(job, force=True)
        self.assertEqual([r.outcome for r in forced], [CleanupOutcome.DELETED])
        self.assertEqual(warned, [])
        self.assertIn(f"job {job.id}: deleted", printed)
        self.assertIs(self.c.jobs.status(job), JobStatus.MISSING)

    def test_verbose_prints_each_object_and_record_it_deletes(self) -> None:
        job = self.c.jobs.submit(TRAIN, auto_cleanup=False)
        self.c.jobs.results(job, auto_cleanup=False)

        reports, printed, warned = self.cleanup([job])
        report = reports[0]
        self.assertIs(report.outcome, CleanupOutcome.DELETED)
        self.assertIs(report.status_before, JobStatus.FINISHED)
        self.assertEqual(report.objects, 3)  # the model, result.json, the console log
        self.assertEqual(warned, [])
        self.assertIn(f"deleted object tasks/{job.id}/models/m.bin", printed)
        self.assertIn(f"deleted record task {job.id}", printed)
        self.assertEqual(len(report.deleted), 4)

    def test_not_verbose_prints_nothing_and_lists_nothing(self) -> None:
        job = self.c.jobs.submit(TRAIN, auto_cleanup=False)
        self.c.jobs.results(job, auto_cleanup=False)

        reports, printed, _ = self.cleanup(self.c.tasks.get(job), verbose=False)  # the job's task works too
        self.assertEqual([r.job_id for r in reports], [job.id])
        self.assertIs(reports[0].outcome, CleanupOutcome.DELETED)
        self.assertEqual(reports[0].deleted, [])
        self.assertEqual(printed, "")

    def test_a_list_carries_on_past_the_jobs_it_skips(self) -> None:
        unread = self.c.jobs.submit(TRAIN, auto_cleanup=False)
        read = self.c.jobs.submit(TRAIN, auto_cleanup=False)
        self.c.jobs.results(read, auto_cleanup=False)
        failed = self.c.jobs.submit(["false"])
        running_job = self.c.jobs.submit(shell("sleep 60"), wait=False)
        ghost = "0" * 27 + "2"
        for j in (unread, read, failed, running_job):
            self.addCleanup(quiet_cleanup, self.c, j, True)
        eventually(lambda: running(self.c, running_job.id), "the job to start")

        reports, _, warned = self.cleanup([unread, read.id, failed, running_job, ghost])
        self.assertEqual([r.job_id for r in reports], [unread.id, read.id, failed.id, running_job.id, ghost])
        self.assertEqual([r.outcome for r in reports], [
            CleanupOutcome.SKIPPED_NEEDS_FORCE, CleanupOutcome.DELETED, CleanupOutcome.DELETED,
            CleanupOutcome.SKIPPED_NEEDS_FORCE, CleanupOutcome.ALREADY_GONE])
        self.assertEqual(len(warned), 2)
        self.assertIn("cancel", reports[3].message or "")
        self.assertIs(self.c.jobs.status(unread), JobStatus.FINISHED)
        self.assertIs(self.c.jobs.status(running_job), JobStatus.RUNNING)

        forced, _, _ = self.cleanup([unread, running_job], force=True)
        self.assertEqual([r.outcome for r in forced], [CleanupOutcome.DELETED, CleanupOutcome.DELETED])
        self.assertIs(self.c.jobs.status(running_job), JobStatus.MISSING, "canceled, then deleted")

    def test_nothing_to_clean_up_is_no_request(self) -> None:
        self.assertEqual(self.c.jobs.cleanup_jobs([]), [])


if __name__ == "__main__":
    unittest.main()
