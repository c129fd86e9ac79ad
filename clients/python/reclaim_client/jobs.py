"""The remote-job API (docs/rules.md section 2) over ``/api/v1/jobs``."""

from __future__ import annotations

import dataclasses
import sys
import time
import warnings
from datetime import datetime
from typing import Any, Iterable, Iterator, List, Mapping, Optional, Sequence, TextIO, Union

from ._http import API, Transport, ref_id
from .errors import ReclaimError, ReclaimWarning
from .models import (
    CleanupOutcome,
    CleanupReport,
    Job,
    JobInfo,
    JobResults,
    JobStatus,
    Page,
    each,
    format_time,
)

JobRef = Union[str, Job, JobInfo]
"""A job: its id, or anything the client returned for it."""

Time = Union[datetime, str, int, float]
"""A time: a datetime (naive ones are UTC), ISO-8601 text or epoch seconds."""

#: Longest one long poll asks the server to wait; the server takes at most 25 s.
LONG_POLL_SECONDS = 20.0
#: Most ids one cleanup request carries, so a long list stays well under the 1 MiB body limit.
CLEANUP_BATCH = 500

_BASE = API + "/jobs"


def _poll_param(seconds: float) -> str:
    return f"{max(0, int(seconds * 1000))}ms"


class Jobs:
    """Submit command jobs, follow them, hand back their results and clean them up.

    Every method takes a job as its id or as the ``Job`` / ``JobInfo`` the client returned.
    """

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def submit(
        self,
        command: Sequence[str],
        *,
        name: Optional[str] = None,
        project: Optional[str] = None,
        queue: Optional[str] = None,
        env: Optional[Mapping[str, str]] = None,
        working_dir: Optional[str] = None,
        wait: bool = True,
        timeout: Optional[float] = None,
        auto_cleanup: Optional[bool] = None,
        console_output: Optional[bool] = None,
    ) -> Job:
        """Submits a command job; with ``wait`` (the default, as in the seed API) returns once it ended.

        The command runs on a worker of ``queue`` (``default`` when None) with ``RECLAIM_JOB_ID``
        and ``RECLAIM_OUTPUT`` in its environment: files it writes under ``$RECLAIM_OUTPUT/models``,
        ``/artifacts`` and ``/debug`` become its artifacts, ``result.json`` its result.
        ``auto_cleanup`` and ``console_output`` are kept with the job as the defaults of
        ``results``; None leaves the server's defaults (auto-cleanup on, console off).

        With ``wait``, ``timeout`` (seconds; None: no limit) bounds the wait; the returned job's
        ``status`` says whether it ended. When no worker serves the queue, the server says so and
        a ``ReclaimWarning`` is issued (the job waits for a worker).
        """
        if isinstance(command, str):
            raise TypeError("command is a list: the program and its arguments, e.g. ['sh', '-c', 'echo hi']")
        body: dict[str, Any] = {"command": list(command)}
        for key, value in (("name", name), ("project", project), ("queue", queue), ("working_dir", working_dir),
                           ("auto_cleanup", auto_cleanup), ("console_output", console_output)):
            if value is not None:
                body[key] = value
        if env is not None:
            body["env"] = dict(env)
        deadline = None if timeout is None else time.monotonic() + timeout
        params: dict[str, Any] = {}
        if wait:
            body["wait_for_end"] = True
            first = LONG_POLL_SECONDS if timeout is None else min(timeout, LONG_POLL_SECONDS)
            params["timeout"] = _poll_param(first)
        answer = self._t.json("POST", _BASE, params, body, timeout=self._t.timeout + LONG_POLL_SECONDS)
        job = Job.from_json(answer)
        if job.warning:
            warnings.warn(f"job {job.id}: {job.warning}", ReclaimWarning, stacklevel=2)
        if wait and not job.status.ended:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            job = dataclasses.replace(job, status=self.wait(job, remaining))
        return job

    def status(self, job: JobRef) -> JobStatus:
        """The job's status; MISSING when there is no record (never submitted, or cleaned up)."""
        try:
            answer = self._t.json("GET", f"{_BASE}/{ref_id(job)}")
        except ReclaimError as e:
            if e.status == 404 and e.code == "not_found":
                return JobStatus.MISSING
            raise
        return JobStatus(answer["status"])

    def wait(self, job: JobRef, timeout: Optional[float] = None) -> JobStatus:
        """Waits until the job has ended, or ``timeout`` seconds passed (None: no limit).

        Returns the status then: check ``status.ended`` to tell the two apart. A job that is gone
        is MISSING. Each request waits at most 20 s on the server, so no connection hangs long.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        job_id = ref_id(job)
        while True:
            remaining = LONG_POLL_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
            chunk = min(remaining, LONG_POLL_SECONDS)
            try:
                answer = self._t.json("GET", f"{_BASE}/{job_id}/wait", {"timeout": _poll_param(chunk)},
                                      timeout=self._t.timeout + chunk)
            except ReclaimError as e:
                if e.status == 404 and e.code == "not_found":
                    return JobStatus.MISSING
                raise
            status = JobStatus(answer["status"])
            if status.ended or (deadline is not None and time.monotonic() >= deadline):
                return status

    def cancel(self, job: JobRef) -> bool:
        """Cancels a QUEUED or RUNNING job (deleting its artifacts, keeping its record as CANCELED).

        Returns whether it canceled: False for a job that had already ended or is gone.
        """
        try:
            answer = self._t.json("POST", f"{_BASE}/{ref_id(job)}/cancel")
        except ReclaimError as e:
            if (e.status, e.code) in ((409, "conflict"), (404, "not_found")):
                return False
            raise
        return bool(answer.get("canceled", False))

    def results(
        self,
        job: JobRef,
        console_output: Optional[bool] = None,
        auto_cleanup: Optional[bool] = None,
    ) -> JobResults:
        """Hands back a finished job's results: its ``result.json``, its console when asked.

        Each option comes from this call, else from what the job was submitted with, else from
        the default (``console_output`` False, ``auto_cleanup`` True). With auto-cleanup the job is
        deleted once the results were handed back; without it ``results_retrieved_at`` is set, the
        artifacts are listed with download links, and the results can be fetched again.

        Raises ReclaimError 409 ``conflict`` when the job has not finished or failed (``body['status']``
        says which), 404 ``not_found`` when it is gone, 409 ``too_large`` when a console or result is
        over what one answer carries (the message says how to get it).
        """
        params = {"console_output": console_output, "auto_cleanup": auto_cleanup}
        return JobResults.from_json(self._t.json("POST", f"{_BASE}/{ref_id(job)}/results", params))

    def output(self, job: JobRef, offset: int = 0) -> str:
        """The console output so far, from character ``offset``; deletes nothing.

        Fetched a mebibyte at a time until the end. As in the seed API, a job that is gone
        (cleaned up, or never submitted) has none: the answer is empty.
        """
        job_id = ref_id(job)
        parts: List[str] = []
        while True:
            try:
                answer = self._t.json("GET", f"{_BASE}/{job_id}/output", {"offset": offset})
            except ReclaimError as e:
                if e.status == 404 and e.code == "not_found":
                    return "".join(parts)
                raise
            parts.append(str(answer.get("text", "")))
            offset = int(answer.get("next_offset", offset))
            if not answer.get("more"):
                return "".join(parts)

    def page(
        self,
        states: Union[str, JobStatus, Iterable[Union[str, JobStatus]], None] = None,
        start_time: Optional[Time] = None,
        end_time: Optional[Time] = None,
        *,
        order: str = "oldest",
        page_size: int = 100,
        cursor: Optional[str] = None,
    ) -> Page[JobInfo]:
        """One page of the job list (see ``list``); pass ``next_cursor`` back as ``cursor``."""
        if isinstance(states, (str, JobStatus)):
            states = [states]
        params: dict[str, Any] = {
            "state": [str(s).lower() for s in states] if states is not None else None,
            "start_time": format_time(start_time) if start_time is not None else None,
            "end_time": format_time(end_time) if end_time is not None else None,
            "order": order,
            "page_size": page_size,
            "cursor": cursor,
        }
        answer = self._t.json("GET", _BASE, params)
        return Page([JobInfo.from_json(j) for j in answer.get("jobs") or []], answer.get("next_cursor"))

    def list(
        self,
        states: Union[str, JobStatus, Iterable[Union[str, JobStatus]], None] = None,
        start_time: Optional[Time] = None,
        end_time: Optional[Time] = None,
        *,
        order: str = "oldest",
        page_size: int = 100,
    ) -> Iterator[JobInfo]:
        """Jobs by status and by start and end time (both bounds inclusive), lazily, page by page.

        ``states`` is one status or several; times are datetimes (naive ones are UTC), epoch
        seconds or ISO-8601 text. ``order`` is ``oldest`` or ``newest`` (by submission).
        Wrap it in ``list(...)`` to collect every job.
        """
        return each(lambda cursor: self.page(states, start_time, end_time, order=order, page_size=page_size,
                                             cursor=cursor))

    def cleanup_jobs(
        self,
        jobs: Union[JobRef, Iterable[JobRef]],
        force: bool = False,
        verbose: bool = True,
        *,
        out: Optional[TextIO] = None,
    ) -> List[CleanupReport]:
        """Cleans up a job or a list of jobs, carrying on past jobs it skips or fails on.

        For each job, as in the seed API (docs/rules.md section 2):

        ============================================  =====================  ======================
        the job is                                    ``force=False``        ``force=True``
        ============================================  =====================  ======================
        FINISHED, results never retrieved             skipped, with warning  deleted
        FINISHED with results retrieved, FAILED,      deleted                deleted
        CANCELED
        QUEUED, RUNNING                               skipped: cancel first  canceled, then deleted
        UNDETERMINED                                  skipped, with warning  deleted
        MISSING                                       "already gone"         the same
        ============================================  =====================  ======================

        The server decides and enforces each outcome; nothing it skips is deleted. Returns one
        report per job, in order. A skipped or failed job issues a ``ReclaimWarning`` naming it
        and saying how to proceed, verbose or not; with ``verbose`` each deleted object and record
        is printed to ``out`` (standard output by default), then a line per job deleted or gone.
        """
        if isinstance(jobs, (str, Job, JobInfo)) or hasattr(jobs, "id"):  # one job (any object with an id)
            ids = [ref_id(jobs)]
        else:
            ids = [ref_id(r) for r in jobs]
        reports: List[CleanupReport] = []
        for start in range(0, len(ids), CLEANUP_BATCH):
            batch = ids[start:start + CLEANUP_BATCH]
            try:
                answer = self._t.json("POST", f"{_BASE}/cleanup", body={"ids": batch, "force": force, "verbose": verbose})
            except ReclaimError as e:
                if e.status == 409 and e.code == "needs_force" and "reports" in e.body:
                    answer = e.body  # the same table: the jobs that needed force were skipped, the others done
                else:
                    raise
            reports.extend(CleanupReport.from_json(r) for r in answer.get("reports") or [])
        stream = out if out is not None else sys.stdout
        for report in reports:
            _tell(report, verbose, stream)
        return reports


def _tell(report: CleanupReport, verbose: bool, out: TextIO) -> None:
    if report.outcome in (CleanupOutcome.SKIPPED_NEEDS_FORCE, CleanupOutcome.FAILED):
        what = "skipped" if report.outcome is CleanupOutcome.SKIPPED_NEEDS_FORCE else "failed"
        hint = "; or pass force=True" if report.outcome is CleanupOutcome.SKIPPED_NEEDS_FORCE and "force" not in (
            report.message or "") else ""
        warnings.warn(f"job {report.job_id} {what}: {report.message}{hint}", ReclaimWarning, stacklevel=3)
    if not verbose:
        return
    for line in report.deleted:
        print(f"deleted {line}", file=out)
    if report.outcome is CleanupOutcome.DELETED:
        print(f"job {report.job_id}: deleted ({report.objects} object(s), {report.bytes} byte(s) freed)", file=out)
    elif report.outcome is CleanupOutcome.ALREADY_GONE:
        print(f"job {report.job_id}: already gone", file=out)
    # skipped and failed jobs were told as warnings above, verbose or not
