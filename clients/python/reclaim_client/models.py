"""Typed views of the server's JSON answers (docs/http-api.md).

Every class is a frozen dataclass built by ``from_json``. Fields the server leaves out (it never
sends nulls) are None; fields a newer server adds are ignored, so an older client keeps working.
Times are timezone-aware ``datetime`` objects in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, Callable, Generic, Iterator, Mapping, Optional, TypeVar, Union

JSON = Any
"""A JSON value as ``json.loads`` returns it."""

_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$")


def parse_time(value: Optional[str]) -> Optional[datetime]:
    """An ISO-8601 instant of the server (``2026-01-01T00:00:00.123456789Z``) as an aware datetime.

    Fractions finer than microseconds are cut to microseconds.
    """
    if value is None:
        return None
    m = _INSTANT.match(value)
    if m is None:
        raise ValueError(f"not an ISO-8601 instant: {value!r}")
    day, hour, minute, second, fraction, zone = m.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    tz = timezone.utc
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    parsed = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}").replace(microsecond=micros, tzinfo=tz)
    return parsed.astimezone(timezone.utc)


def format_time(value: datetime | str | int | float) -> str:
    """A time for a query: a datetime (naive ones are taken as UTC), epoch seconds, or text as given."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, bool):
        raise TypeError("a time is a datetime, epoch seconds or ISO-8601 text, not a bool")
    if isinstance(value, (int, float)):
        return str(int(value))
    return value


def _opt_str(d: Mapping[str, Any], key: str) -> Optional[str]:
    v = d.get(key)
    return None if v is None else str(v)


def _opt_int(d: Mapping[str, Any], key: str) -> Optional[int]:
    v = d.get(key)
    return None if v is None else int(v)


def _int(d: Mapping[str, Any], key: str) -> int:
    return int(d.get(key, 0) or 0)


def _str_list(d: Mapping[str, Any], key: str) -> list[str]:
    return [str(x) for x in (d.get(key) or [])]


class JobStatus(str, Enum):
    """The status of a job (docs/rules.md section 2)."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    UNDETERMINED = "UNDETERMINED"
    MISSING = "MISSING"

    @property
    def ended(self) -> bool:
        """True once the job will not change by itself: anything but QUEUED and RUNNING."""
        return self not in (JobStatus.QUEUED, JobStatus.RUNNING)

    def __str__(self) -> str:
        return self.value


class TaskStatus(str, Enum):
    """The status of a task in the catalog (docs/rules.md section 1)."""

    CREATED = "CREATED"
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    PUBLISHED = "PUBLISHED"

    def __str__(self) -> str:
        return self.value


class ArtifactKind(str, Enum):
    """What an artifact is (docs/rules.md section 1)."""

    MODEL = "MODEL"
    ARTIFACT = "ARTIFACT"
    DEBUG_SAMPLE = "DEBUG_SAMPLE"
    LOG = "LOG"
    RESULT = "RESULT"

    def __str__(self) -> str:
        return self.value


class CleanupOutcome(str, Enum):
    """What cleaning up one job did."""

    DELETED = "DELETED"
    ALREADY_GONE = "ALREADY_GONE"
    SKIPPED_NEEDS_FORCE = "SKIPPED_NEEDS_FORCE"
    FAILED = "FAILED"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Job:
    """A submitted job: the answer of ``POST /jobs``. ``warning`` says when no worker serves its queue."""

    id: str
    name: str
    queue: str
    status: JobStatus
    warning: Optional[str] = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Job:
        return cls(id=str(d["id"]), name=str(d.get("name", "")), queue=str(d.get("queue", "")),
                   status=JobStatus(d["status"]), warning=_opt_str(d, "warning"))


@dataclass(frozen=True)
class JobInfo:
    """One row of the job list."""

    id: str
    name: str
    project: str
    queue: Optional[str]
    status: JobStatus
    created_at: Optional[datetime]
    modified_at: Optional[datetime]
    ended_at: Optional[datetime]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> JobInfo:
        return cls(id=str(d["id"]), name=str(d.get("name", "")), project=str(d.get("project", "")),
                   queue=_opt_str(d, "queue"), status=JobStatus(d["status"]),
                   created_at=parse_time(d.get("created_at")), modified_at=parse_time(d.get("modified_at")),
                   ended_at=parse_time(d.get("ended_at")))


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and the cursor of the next one (None on the last page)."""

    items: list[T]
    next_cursor: Optional[str]


def each(fetch: Callable[[Optional[str]], Page[T]]) -> Iterator[T]:
    """Every item of a list read a page at a time, lazily: ``fetch(cursor)`` answers the page at
    ``cursor`` (None for the first); it stops after the page without a next cursor."""
    cursor: Optional[str] = None
    while True:
        page = fetch(cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


@dataclass(frozen=True)
class Artifact:
    """An artifact of a task, with the server path that downloads it (``Client.tasks.download``)."""

    id: str
    task_id: str
    kind: ArtifactKind
    name: str
    size_bytes: int
    created_at: Optional[datetime]
    published: bool
    storage_key: Optional[str]
    download: Optional[str]
    #: Numeric metrics reported on it (``val_loss``); empty when none.
    metrics: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Artifact:
        return cls(id=str(d["id"]), task_id=str(d.get("task_id", "")), kind=ArtifactKind(d["kind"]),
                   name=str(d.get("name", "")), size_bytes=_int(d, "size_bytes"),
                   created_at=parse_time(d.get("created_at")), published=bool(d.get("published", False)),
                   storage_key=_opt_str(d, "storage_key"), download=_opt_str(d, "download"),
                   metrics={str(k): float(v) for k, v in (d.get("metrics") or {}).items()})


@dataclass(frozen=True)
class ArtifactRef:
    """An object to register in place as an artifact (``Client.tasks.register_artifacts``).

    ``ref`` is where it is, as ``reclaim tasks artifacts add --ref`` takes it: ``s3://BUCKET/KEY``,
    an absolute path or ``file:///PATH`` inside one of the server's artifact stores. ``kind`` is
    ``model``, ``artifact``, ``debug_sample``, ``log`` or ``result``.
    """

    task: str
    ref: str
    name: str
    kind: Union[str, ArtifactKind] = ArtifactKind.MODEL
    metrics: Optional[Mapping[str, float]] = None
    replace: bool = False


@dataclass(frozen=True)
class JobResults:
    """What handing back a job's results returned.

    ``result`` is the job's ``result.json`` as JSON (None when it wrote none); ``result_omitted``
    says why it is missing when it was too large for one answer (download its RESULT artifact).
    ``console_output`` is set when it was asked for. ``cleaned_up`` is True when auto-cleanup
    deleted the job; otherwise ``artifacts`` lists its artifacts with download links (at most
    500; ``artifacts_next_cursor`` continues with ``Client.tasks.artifacts``).
    """

    job_id: str
    result: JSON
    cleaned_up: bool
    artifacts: list[Artifact]
    console_output: Optional[str] = None
    result_omitted: Optional[str] = None
    artifacts_next_cursor: Optional[str] = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> JobResults:
        return cls(job_id=str(d["job_id"]), result=d.get("result"), cleaned_up=bool(d.get("cleaned_up", False)),
                   artifacts=[Artifact.from_json(a) for a in d.get("artifacts") or []],
                   console_output=_opt_str(d, "console_output"), result_omitted=_opt_str(d, "result_omitted"),
                   artifacts_next_cursor=_opt_str(d, "artifacts_next_cursor"))


@dataclass(frozen=True)
class CleanupReport:
    """What cleaning up one job did: its status before, the outcome, why, and what it freed.

    ``deleted`` lists each object and record deleted (empty when cleaned up with verbose=False).
    """

    job_id: str
    status_before: JobStatus
    outcome: CleanupOutcome
    message: Optional[str]
    objects: int
    bytes: int
    deleted: list[str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CleanupReport:
        return cls(job_id=str(d["job_id"]), status_before=JobStatus(d["status_before"]),
                   outcome=CleanupOutcome(d["outcome"]), message=_opt_str(d, "message"), objects=_int(d, "objects"),
                   bytes=_int(d, "bytes"), deleted=_str_list(d, "deleted"))


@dataclass(frozen=True)
class Task:
    """A task of the catalog. Only ``id`` is always set: a query with ``fields`` returns only those."""

    id: str
    name: Optional[str] = None
    project: Optional[str] = None
    type: Optional[str] = None
    owner: Optional[str] = None
    status: Optional[TaskStatus] = None
    tags: Optional[list[str]] = None
    system_tags: Optional[list[str]] = None
    created: Optional[datetime] = None
    started: Optional[datetime] = None
    ended: Optional[datetime] = None
    status_changed: Optional[datetime] = None
    last_update: Optional[datetime] = None
    archived_at: Optional[datetime] = None
    results_retrieved_at: Optional[datetime] = None
    parent: Optional[str] = None
    input_models: Optional[list[str]] = None
    queue: Optional[str] = None
    worker: Optional[str] = None
    exit_code: Optional[int] = None
    error: Optional[str] = None
    params: Optional[dict[str, str]] = None
    size_bytes: Optional[int] = None
    """Bytes of the task's live artifacts; only from ``list(..., sizes=True)``."""

    @property
    def archived(self) -> bool:
        return "archived" in (self.system_tags or [])

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Task:
        params = d.get("params")
        return cls(
            id=str(d["id"]), name=_opt_str(d, "name"), project=_opt_str(d, "project"), type=_opt_str(d, "type"),
            owner=_opt_str(d, "owner"), status=TaskStatus(d["status"]) if d.get("status") is not None else None,
            tags=_str_list(d, "tags") if "tags" in d else None,
            system_tags=_str_list(d, "system_tags") if "system_tags" in d else None,
            created=parse_time(d.get("created")), started=parse_time(d.get("started")),
            ended=parse_time(d.get("ended")), status_changed=parse_time(d.get("status_changed")),
            last_update=parse_time(d.get("last_update")), archived_at=parse_time(d.get("archived_at")),
            results_retrieved_at=parse_time(d.get("results_retrieved_at")), parent=_opt_str(d, "parent"),
            input_models=_str_list(d, "input_models") if "input_models" in d else None,
            queue=_opt_str(d, "queue"), worker=_opt_str(d, "worker"), exit_code=_opt_int(d, "exit_code"),
            error=_opt_str(d, "error"),
            params={str(k): str(v) for k, v in params.items()} if isinstance(params, dict) else None,
            size_bytes=_opt_int(d, "size_bytes"))


@dataclass(frozen=True)
class ArchiveResult:
    """What archiving or unarchiving one task did."""

    task_id: str
    changed: bool
    message: Optional[str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ArchiveResult:
        return cls(task_id=str(d["task_id"]), changed=bool(d.get("changed", False)), message=_opt_str(d, "message"))


@dataclass(frozen=True)
class DeleteResult:
    """What deleting one task did (docs/rules.md section 3)."""

    task_id: str
    deleted: bool
    needs_force: bool
    error: Optional[str]
    updated_children: int
    updated_models: int
    deleted_models: int
    objects: int
    bytes: int
    file_urls: list[str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> DeleteResult:
        return cls(task_id=str(d["task_id"]), deleted=bool(d.get("deleted", False)),
                   needs_force=bool(d.get("needs_force", False)), error=_opt_str(d, "error"),
                   updated_children=_int(d, "updated_children"), updated_models=_int(d, "updated_models"),
                   deleted_models=_int(d, "deleted_models"), objects=_int(d, "objects"), bytes=_int(d, "bytes"),
                   file_urls=_str_list(d, "file_urls"))


@dataclass(frozen=True)
class DeleteManyResult:
    """What deleting several tasks did: which were deleted and which were not, with reasons."""

    succeeded: list[DeleteResult]
    failed: list[DeleteResult]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> DeleteManyResult:
        return cls(succeeded=[DeleteResult.from_json(r) for r in d.get("succeeded") or []],
                   failed=[DeleteResult.from_json(r) for r in d.get("failed") or []])


@dataclass(frozen=True)
class CleanupItem:
    """One task a cleanup run deleted, would delete (dry run), skipped or failed on."""

    task_id: str
    name: Optional[str]
    project: Optional[str]
    outcome: str
    rule: Optional[str]
    objects: int
    bytes: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CleanupItem:
        return cls(task_id=str(d["task_id"]), name=_opt_str(d, "name"), project=_opt_str(d, "project"),
                   outcome=str(d.get("outcome", "")), rule=_opt_str(d, "rule"), objects=_int(d, "objects"),
                   bytes=_int(d, "bytes"))


@dataclass(frozen=True)
class CleanupGroup:
    """What a cleanup preview would delete of one project by one rule: tasks, objects and bytes."""

    project: str
    rule: str
    tasks: int
    objects: int
    bytes: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CleanupGroup:
        return cls(project=str(d.get("project", "")), rule=str(d.get("rule", "")), tasks=_int(d, "tasks"),
                   objects=_int(d, "objects"), bytes=_int(d, "bytes"))


@dataclass(frozen=True)
class CleanupRun:
    """One run of the Cleanup Service (or its dry run): settings, counts, bytes freed and items."""

    id: str
    started_at: Optional[datetime]
    ended_at: Optional[datetime]
    dry_run: bool
    settings: dict[str, str]
    candidates: int
    deleted: int
    skipped: int
    failed: int
    objects: int
    bytes: int
    items: list[CleanupItem]
    items_truncated: bool = False
    stopped_early: bool = False
    service_task_id: Optional[str] = None
    holder: Optional[str] = None
    lease_lost: Optional[str] = None
    resumed: dict[str, int] = field(default_factory=dict)
    """Deletions an earlier, cut-off run left unfinished and this run completed: tasks, objects, bytes."""
    trigger: Optional[str] = None
    """What started it: ``cli``, ``service``, ``ui`` or ``api`` (None for runs recorded before runs said)."""
    started_by: Optional[str] = None
    """Who started it: the API token's name, the OS user, or the service task."""
    groups: list[CleanupGroup] = field(default_factory=list)
    """Only of a preview: what it would delete per project and rule over every candidate (``items``
    lists only the first lines), most bytes first; they add up to ``deleted``, ``objects`` and ``bytes``."""

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CleanupRun:
        resumed = d.get("resumed")
        return cls(
            id=str(d["id"]), started_at=parse_time(d.get("started_at")), ended_at=parse_time(d.get("ended_at")),
            dry_run=bool(d.get("dry_run", False)),
            settings={str(k): str(v) for k, v in (d.get("settings") or {}).items()},
            candidates=_int(d, "candidates"), deleted=_int(d, "deleted"), skipped=_int(d, "skipped"),
            failed=_int(d, "failed"), objects=_int(d, "objects"), bytes=_int(d, "bytes"),
            items=[CleanupItem.from_json(i) for i in d.get("items") or []],
            items_truncated=bool(d.get("items_truncated", False)), stopped_early=bool(d.get("stopped_early", False)),
            service_task_id=_opt_str(d, "service_task_id"), holder=_opt_str(d, "holder"),
            lease_lost=_opt_str(d, "lease_lost"),
            resumed={str(k): int(v) for k, v in resumed.items()} if isinstance(resumed, dict) else {},
            trigger=_opt_str(d, "trigger"), started_by=_opt_str(d, "started_by"),
            groups=[CleanupGroup.from_json(g) for g in d.get("groups") or []])


@dataclass(frozen=True)
class CleanupSettings:
    """The Cleanup Service settings (as text, as the server keeps them) and where they are stored."""

    settings: dict[str, str]
    stored_in: str
    service_task_id: Optional[str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CleanupSettings:
        return cls(settings={str(k): str(v) for k, v in (d.get("settings") or {}).items()},
                   stored_in=str(d.get("stored_in", "")), service_task_id=_opt_str(d, "service_task_id"))


@dataclass(frozen=True)
class ServiceState:
    """The Cleanup Service task: where it is in its life."""

    id: str
    name: str
    status: TaskStatus
    stop_requested: bool
    queue: Optional[str] = None
    worker: Optional[str] = None
    started: Optional[datetime] = None
    ended: Optional[datetime] = None
    error: Optional[str] = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ServiceState:
        return cls(id=str(d["id"]), name=str(d.get("name", "")), status=TaskStatus(d["status"]),
                   stop_requested=bool(d.get("stop_requested", False)), queue=_opt_str(d, "queue"),
                   worker=_opt_str(d, "worker"), started=parse_time(d.get("started")),
                   ended=parse_time(d.get("ended")), error=_opt_str(d, "error"))


@dataclass(frozen=True)
class Token:
    """An API token's record. ``token`` (the secret) is set only in the answer that created it."""

    id: str
    name: str
    role: str
    created_at: Optional[datetime]
    last_used_at: Optional[datetime]
    revoked: bool
    token: Optional[str] = field(default=None, repr=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Token:
        return cls(id=str(d["id"]), name=str(d.get("name", "")), role=str(d.get("role", "")).lower(),
                   created_at=parse_time(d.get("created_at")), last_used_at=parse_time(d.get("last_used_at")),
                   revoked=bool(d.get("revoked", False)), token=_opt_str(d, "token"))


@dataclass(frozen=True)
class AuditLine:
    """One finished deletion in the audit trail: when, what, who asked, why, and what it freed."""

    at: Optional[datetime]
    action: str
    task_id: str
    objects: int
    bytes: int
    actor: Optional[str] = None
    task_name: Optional[str] = None
    project: Optional[str] = None
    reason: Optional[str] = None
    run_id: Optional[str] = None
    """The Cleanup Service run that made it, if one did."""

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> AuditLine:
        return cls(at=parse_time(d.get("at")), action=str(d.get("action", "")), task_id=str(d.get("task_id", "")),
                   objects=_int(d, "objects"), bytes=_int(d, "bytes"), actor=_opt_str(d, "actor"),
                   task_name=_opt_str(d, "task_name"), project=_opt_str(d, "project"), reason=_opt_str(d, "reason"),
                   run_id=_opt_str(d, "run_id"))


@dataclass(frozen=True)
class UsageGroup:
    """Stored objects and bytes of one group; ``key`` holds its values in the order grouped by."""

    key: list[str]
    objects: int
    bytes: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> UsageGroup:
        return cls(key=_str_list(d, "key"), objects=_int(d, "objects"), bytes=_int(d, "bytes"))


@dataclass(frozen=True)
class TaskSize:
    """One task's stored objects and bytes."""

    task_id: str
    name: str
    project: str
    objects: int
    bytes: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TaskSize:
        return cls(task_id=str(d["task_id"]), name=str(d.get("name", "")), project=str(d.get("project", "")),
                   objects=_int(d, "objects"), bytes=_int(d, "bytes"))


@dataclass(frozen=True)
class TaskSummary:
    """How many tasks a filter matches and the bytes of their live artifacts."""

    count: int
    bytes: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TaskSummary:
        return cls(count=_int(d, "count"), bytes=_int(d, "bytes"))


@dataclass(frozen=True)
class UsageReport:
    """Where the bytes are: groups largest first, totals, and the largest tasks and projects."""

    by: list[str]
    groups: list[UsageGroup]
    objects: int
    bytes: int
    top_tasks: list[TaskSize]
    top_projects: list[UsageGroup]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> UsageReport:
        return cls(by=[str(b).lower() for b in d.get("by") or []],
                   groups=[UsageGroup.from_json(g) for g in d.get("groups") or []],
                   objects=_int(d, "objects"), bytes=_int(d, "bytes"),
                   top_tasks=[TaskSize.from_json(t) for t in d.get("top_tasks") or []],
                   top_projects=[UsageGroup.from_json(g) for g in d.get("top_projects") or []])


@dataclass(frozen=True)
class UsageDay:
    """Stored objects and bytes at the end of one UTC day, with the bytes added and freed that day."""

    day: str
    """The UTC date, ``YYYY-MM-DD``."""
    objects: int
    bytes: int
    added_bytes: int
    """Bytes of objects whose task was created that day, stored now or deleted since."""
    freed_bytes: int
    """Bytes whose deletion the audit trail recorded that day."""

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> UsageDay:
        return cls(day=str(d.get("day")), objects=_int(d, "objects"), bytes=_int(d, "bytes"),
                   added_bytes=_int(d, "added_bytes"), freed_bytes=_int(d, "freed_bytes"))


@dataclass(frozen=True)
class ForecastHorizon:
    """What a run that many days from now would delete, if nothing else changed meanwhile."""

    days: int
    tasks: int
    objects: int
    bytes: int
    skipped: int
    projects: dict[str, int]
    """Bytes it would free per project, most first."""

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ForecastHorizon:
        return cls(days=_int(d, "days"), tasks=_int(d, "tasks"), objects=_int(d, "objects"), bytes=_int(d, "bytes"),
                   skipped=_int(d, "skipped"),
                   projects={str(p.get("project", "")): int(p.get("bytes", 0)) for p in d.get("projects") or []})


@dataclass(frozen=True)
class Forecast:
    """What the Cleanup Service with the stored settings would free today and later."""

    at: Optional[datetime]
    settings: dict[str, str]
    horizons: list[ForecastHorizon]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Forecast:
        return cls(at=parse_time(d.get("at")), settings={str(k): str(v) for k, v in (d.get("settings") or {}).items()},
                   horizons=[ForecastHorizon.from_json(h) for h in d.get("horizons") or []])


@dataclass(frozen=True)
class WhoAmI:
    """The caller as the server sees it: its token's name and role (``local``/``admin`` on an open server)."""

    name: str
    role: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> WhoAmI:
        return cls(name=str(d.get("name", "")), role=str(d.get("role", "")).lower())



class HoldTarget(str, Enum):
    """What a hold keeps: a whole task or one artifact."""

    TASK = "TASK"
    ARTIFACT = "ARTIFACT"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Hold:
    """A hold: no Cleanup Service run, no rule and no delete without force deletes what it keeps.

    ``id`` is the task's id for a ``TASK`` hold, the artifact's for an ``ARTIFACT`` hold (whose
    task is ``task_id``); ``name`` is the task's or the artifact's name.
    """

    target: HoldTarget
    id: str
    task_id: str
    name: Optional[str]
    held_at: Optional[datetime]
    held_by: Optional[str]
    reason: Optional[str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Hold:
        return cls(target=HoldTarget(d["target"]), id=str(d["id"]), task_id=str(d.get("task_id", "")),
                   name=_opt_str(d, "name"), held_at=parse_time(d.get("held_at")), held_by=_opt_str(d, "held_by"),
                   reason=_opt_str(d, "reason"))


@dataclass(frozen=True)
class HoldResult:
    """What a hold or release did: ``held`` is the state now, ``changed`` False when it already was so."""

    id: str
    held: bool
    changed: bool

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> HoldResult:
        return cls(id=str(d["id"]), held=bool(d.get("held", False)), changed=bool(d.get("changed", False)))


@dataclass(frozen=True)
class ArtifactDeleteResult:
    """What deleting an artifact of a task did (or, for a dry run, would do); the task stays.

    ``deleted`` is True when the artifact is gone (would go, for a dry run); ``kept_models`` lists
    models that ``force`` kept and detached instead (published, or another live task's input).
    """

    task_id: str
    deleted: bool
    dry_run: bool
    needs_force: bool
    error: Optional[str]
    artifact_ids: list[str]
    kept_models: list[str]
    objects: int
    bytes: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ArtifactDeleteResult:
        return cls(task_id=str(d.get("task_id", "")), deleted=bool(d.get("deleted", False)),
                   dry_run=bool(d.get("dry_run", False)), needs_force=bool(d.get("needs_force", False)),
                   error=_opt_str(d, "error"), artifact_ids=_str_list(d, "artifact_ids"),
                   kept_models=_str_list(d, "kept_models"), objects=_int(d, "objects"), bytes=_int(d, "bytes"))


@dataclass(frozen=True)
class CleanupProgress:
    """Where the last run started through this server (``Client.cleanup.run``) is, or ended.

    ``phase`` is ``IDLE`` (no run since the server started), ``STARTING`` (waiting for the lease),
    ``RUNNING``, ``FINISHING``, ``DONE`` or ``FAILED`` (``error`` says why). ``candidates`` grows as
    pages are selected; it is the run's total once ``candidates_complete``. The counts are so far;
    once ``DONE`` they are the run's report's. Runs of other processes are not seen.
    """

    phase: str
    run_id: Optional[str]
    started_by: Optional[str]
    started_at: Optional[datetime]
    updated_at: Optional[datetime]
    ended_at: Optional[datetime]
    candidates: int
    candidates_complete: bool
    done: int
    deleted: int
    skipped: int
    failed: int
    objects: int
    bytes: int
    error: Optional[str] = None

    @property
    def active(self) -> bool:
        """True while a run is under way (``STARTING``, ``RUNNING`` or ``FINISHING``)."""
        return self.phase in ("STARTING", "RUNNING", "FINISHING")

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CleanupProgress:
        return cls(phase=str(d.get("phase", "")), run_id=_opt_str(d, "run_id"), started_by=_opt_str(d, "started_by"),
                   started_at=parse_time(d.get("started_at")), updated_at=parse_time(d.get("updated_at")),
                   ended_at=parse_time(d.get("ended_at")), candidates=_int(d, "candidates"),
                   candidates_complete=bool(d.get("candidates_complete", False)), done=_int(d, "done"),
                   deleted=_int(d, "deleted"), skipped=_int(d, "skipped"), failed=_int(d, "failed"),
                   objects=_int(d, "objects"), bytes=_int(d, "bytes"), error=_opt_str(d, "error"))
