"""The task catalog (docs/rules.md section 3) over ``/api/v1/tasks``."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import shutil
from os import PathLike
from typing import Any, BinaryIO, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from ._http import API, Transport, ids_of, ref_id
from .errors import ReclaimError
from .models import (
    ArchiveResult,
    Artifact,
    ArtifactDeleteResult,
    ArtifactKind,
    ArtifactRef,
    DeleteManyResult,
    DeleteResult,
    HoldResult,
    Page,
    Task,
    TaskStatus,
    TaskSummary,
    each,
)

TaskRef = Union[str, Task, Any]
"""A task: its id, or any object with an ``id`` (a ``Task``, a ``Job``)."""

ArtifactId = Union[str, Artifact]
"""An artifact: its id, or the ``Artifact``."""

Many = Union[str, Iterable[str], None]
"""One value or several for a repeatable filter."""

_BASE = API + "/tasks"
#: Most ids one archive, unarchive or delete request carries (well under the 1 MiB body limit).
BATCH = 500
#: Most items of one batch create or batch registration: the server refuses more (all or nothing per request).
MAX_BATCH = 10_000
#: Header of an upload naming the SHA-256 of its bytes; the server refuses a mismatch (422) and keeps nothing.
CHECKSUM_HEADER = "X-Checksum-Sha256"
_BLOCK = 1024 * 1024


def _many(value: Many) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


ParamValue = Union[str, int, float, bool]
"""A parameter value: the server keeps text; numbers and booleans are sent as their text."""


def _param_text(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _params(params: Mapping[str, ParamValue]) -> dict[str, str]:
    return {str(k): _param_text(v) for k, v in params.items()}


def _csv(value: Many) -> Optional[str]:
    items = _many(value)
    return ",".join(items) if items else None


def _filters(ids: Many, name: Optional[str], projects: Many,
             statuses: Union[str, TaskStatus, Iterable[Union[str, TaskStatus]], None], types: Many, owners: Many,
             parent: Optional[TaskRef], tags: Many, system_tags: Many, status_changed: Many,
             archived_at: Many) -> dict[str, Any]:
    """The filter parameters of a task query, shared by ``page`` and ``summary``."""
    if isinstance(statuses, (str, TaskStatus)):
        statuses = [statuses]
    return {
        "id": _many(ids),
        "name": name,
        "project": _many(projects),
        "status": [str(s).lower() for s in statuses] if statuses is not None else None,
        "type": _many(types),
        "owner": _many(owners),
        "parent": ref_id(parent) if parent is not None else None,
        "tag": _many(tags),
        "system_tag": _many(system_tags),
        "status_changed": _many(status_changed),
        "archived_at": _many(archived_at),
    }


def _task_body(name: str, project: Optional[str] = None, type: Optional[str] = None,  # noqa: A002
               status: Union[str, TaskStatus, None] = None, tags: Optional[Iterable[str]] = None,
               parent: Optional[TaskRef] = None, params: Optional[Mapping[str, ParamValue]] = None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if project is not None:
        body["project"] = project
    if type is not None:
        body["type"] = type
    if status is not None:
        body["status"] = str(status).lower()
    if tags is not None:
        body["tags"] = list(tags)
    if parent is not None:
        body["parent"] = ref_id(parent)
    if params is not None:
        body["params"] = _params(params)
    return body


def _metrics(metrics: Mapping[str, float]) -> dict[str, float]:
    """Metrics as the server takes them: finite numbers (checked here too, so the error comes early)."""
    out: dict[str, float] = {}
    for name, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"metric {name!r} must be a number, got {type(value).__name__}")
        if not math.isfinite(value):
            raise ValueError(f"metric {name!r} is {value}; give a finite number")
        out[str(name)] = float(value)
    return out


def _sha256_of(f: BinaryIO) -> str:
    digest = hashlib.sha256()
    while True:
        block = f.read(_BLOCK)
        if not block:
            return digest.hexdigest()
        digest.update(block)


def _refs(tasks: Union[TaskRef, Iterable[TaskRef]]) -> List[str]:
    if isinstance(tasks, str) or hasattr(tasks, "id"):
        return [ref_id(tasks)]
    return ids_of(tasks)


class Tasks:
    """Create, query, archive, publish and delete tasks; list and download their artifacts."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def create(
        self,
        name: str,
        *,
        project: Optional[str] = None,
        type: Optional[str] = None,  # noqa: A002 - the server's field name
        status: Union[str, TaskStatus, None] = None,
        tags: Optional[Iterable[str]] = None,
        parent: Optional[TaskRef] = None,
        params: Optional[Mapping[str, ParamValue]] = None,
    ) -> Task:
        """Creates a task: a draft (CREATED) unless ``status`` says otherwise.

        ``params`` are kept as text: numbers and booleans are sent as their text (``0.1``, ``true``).
        """
        body = _task_body(name, project, type, status, tags, parent, params)
        return Task.from_json(self._t.json("POST", _BASE, body=body))

    def create_many(self, tasks: Sequence[Mapping[str, Any]]) -> List[str]:
        """Creates up to 10,000 tasks in one request, all or none; returns their ids in order.

        Each item takes ``create``'s arguments as keys: ``{"name": "exp-1", "project": "vision",
        "tags": ["x"], "params": {"lr": 0.1}}``. One bad item creates nothing: ReclaimError 400
        whose ``body["index"]`` is its position.
        """
        if not 1 <= len(tasks) <= MAX_BATCH:
            raise ValueError(f"a batch holds 1 to {MAX_BATCH} tasks, not {len(tasks)}")
        body = {"tasks": [_task_body(**dict(t)) for t in tasks]}
        answer = self._t.json("POST", f"{_BASE}/batch", body=body)
        return [str(i) for i in answer.get("ids") or []]

    def get(self, task: TaskRef, fields: Many = None) -> Task:
        """One task; ``fields`` limits the answer to those fields (``id`` is always there)."""
        return Task.from_json(self._t.json("GET", f"{_BASE}/{ref_id(task)}", {"fields": _csv(fields)}))

    def exists(self, task: TaskRef) -> bool:
        """Whether the task exists."""
        try:
            self.get(task, fields="id")
            return True
        except ReclaimError as e:
            if e.status == 404 and e.code == "not_found":
                return False
            raise

    def page(
        self,
        *,
        ids: Many = None,
        name: Optional[str] = None,
        projects: Many = None,
        statuses: Union[str, TaskStatus, Iterable[Union[str, TaskStatus]], None] = None,
        types: Many = None,
        owners: Many = None,
        parent: Optional[TaskRef] = None,
        tags: Many = None,
        system_tags: Many = None,
        status_changed: Many = None,
        archived_at: Many = None,
        fields: Many = None,
        order_by: Many = None,
        page_size: int = 100,
        page: Optional[int] = None,
        cursor: Optional[str] = None,
        sizes: bool = False,
    ) -> Page[Task]:
        """One page of a task query (see ``list`` for the filters).

        Page by ``cursor`` (the ``next_cursor`` of the page before; stable while rows are
        deleted) or by ``page`` number (0 or more; offset paging gives no ``next_cursor``).
        """
        params = _filters(ids, name, projects, statuses, types, owners, parent, tags, system_tags, status_changed,
                          archived_at)
        params.update({
            "fields": _csv(fields),
            "order_by": _csv(order_by),
            "page": page,
            "page_size": page_size,
            "cursor": cursor,
            "sizes": True if sizes else None,
        })
        answer = self._t.json("GET", _BASE, params)
        return Page([Task.from_json(t) for t in answer.get("tasks") or []], answer.get("next_cursor"))

    def list(
        self,
        *,
        ids: Many = None,
        name: Optional[str] = None,
        projects: Many = None,
        statuses: Union[str, TaskStatus, Iterable[Union[str, TaskStatus]], None] = None,
        types: Many = None,
        owners: Many = None,
        parent: Optional[TaskRef] = None,
        tags: Many = None,
        system_tags: Many = None,
        status_changed: Many = None,
        archived_at: Many = None,
        fields: Many = None,
        order_by: Many = None,
        page_size: int = 100,
        sizes: bool = False,
    ) -> Iterator[Task]:
        """Every task a query matches, lazily, page by page by cursor (stable while rows are deleted).

        The filters are the server's (docs/rules.md section 3), each one value or several:
        ``name`` is a regular expression (RE2) matched anywhere in the name; ``tags`` and
        ``system_tags`` match any of the plain ones given and exclude those with a leading ``-``
        (``system_tags="-archived"``); ``status_changed`` and ``archived_at`` are conditions such
        as ``"<2026-01-01T00:00:00Z"`` or ``">=1767225600"`` that must all hold (``format_time``
        writes a datetime). ``fields`` projects, ``order_by`` sorts (``-`` for descending; ``size``
        orders by the bytes of live artifacts),
        ``sizes`` adds each task's live bytes as ``size_bytes``. Wrap it in ``list(...)`` to
        collect every task.
        """
        return each(lambda cursor: self.page(
            ids=ids, name=name, projects=projects, statuses=statuses, types=types, owners=owners, parent=parent,
            tags=tags, system_tags=system_tags, status_changed=status_changed, archived_at=archived_at, fields=fields,
            order_by=order_by, page_size=page_size, cursor=cursor, sizes=sizes))

    def summary(
        self,
        *,
        ids: Many = None,
        name: Optional[str] = None,
        projects: Many = None,
        statuses: Union[str, TaskStatus, Iterable[Union[str, TaskStatus]], None] = None,
        types: Many = None,
        owners: Many = None,
        parent: Optional[TaskRef] = None,
        tags: Many = None,
        system_tags: Many = None,
        status_changed: Many = None,
        archived_at: Many = None,
    ) -> TaskSummary:
        """How many tasks the filters match and the bytes of their live artifacts (the filters of ``list``)."""
        params = _filters(ids, name, projects, statuses, types, owners, parent, tags, system_tags, status_changed,
                          archived_at)
        return TaskSummary.from_json(self._t.json("GET", f"{_BASE}/summary", params))

    def set_status(self, task: TaskRef, status: Union[str, TaskStatus]) -> Task:
        """Sets a task's status (not QUEUED or RUNNING: those belong to workers)."""
        return Task.from_json(self._t.json("POST", f"{_BASE}/{ref_id(task)}/status", body={"status": str(status).lower()}))

    def archive(self, tasks: Union[TaskRef, Iterable[TaskRef]]) -> List[ArchiveResult]:
        """Archives a task or several: the retention clock starts; queued ones are dequeued, running ones stopped."""
        return self._archive("archive", tasks)

    def unarchive(self, tasks: Union[TaskRef, Iterable[TaskRef]]) -> List[ArchiveResult]:
        """Unarchives a task or several."""
        return self._archive("unarchive", tasks)

    def _archive(self, action: str, tasks: Union[TaskRef, Iterable[TaskRef]]) -> List[ArchiveResult]:
        ids = _refs(tasks)
        out: List[ArchiveResult] = []
        for start in range(0, len(ids), BATCH):
            answer = self._t.json("POST", f"{_BASE}/{action}", body={"ids": ids[start:start + BATCH]})
            out.extend(ArchiveResult.from_json(r) for r in answer.get("results") or [])
        return out

    def publish(self, task: TaskRef) -> Task:
        """Publishes a COMPLETED task and its output models (published work is never deleted without force)."""
        return Task.from_json(self._t.json("POST", f"{_BASE}/{ref_id(task)}/publish"))

    def delete(
        self,
        task: TaskRef,
        *,
        force: bool = False,
        keep_output_models: bool = False,
        return_file_urls: bool = False,
    ) -> DeleteResult:
        """Deletes one task by the delete rules (docs/rules.md section 3).

        Without ``force`` only a draft or archived task is deleted, and not one with a published
        child or a published output model. ``keep_output_models`` keeps its output models
        (detached), ``return_file_urls`` lists the storage keys deleted.

        Raises ReclaimError 409 ``needs_force`` (``body['result']`` holds the refusal) when it needs
        force, 404 ``not_found`` when there is no such task.
        """
        params = {"force": force, "keep_output_models": keep_output_models, "return_file_urls": return_file_urls}
        return DeleteResult.from_json(self._t.json("DELETE", f"{_BASE}/{ref_id(task)}", params))

    def delete_many(
        self,
        tasks: Iterable[TaskRef],
        *,
        force: bool = False,
        keep_output_models: bool = False,
        return_file_urls: bool = False,
    ) -> DeleteManyResult:
        """Deletes several tasks, carrying on past refusals: which were deleted, and which not and why.

        Unlike ``delete`` it does not raise when some need force: those are in ``failed`` with
        ``needs_force`` set.
        """
        ids = _refs(tasks)
        succeeded: List[DeleteResult] = []
        failed: List[DeleteResult] = []
        for start in range(0, len(ids), BATCH):
            body = {"ids": ids[start:start + BATCH], "force": force, "keep_output_models": keep_output_models,
                    "return_file_urls": return_file_urls}
            try:
                answer = self._t.json("POST", f"{_BASE}/delete", body=body)
            except ReclaimError as e:
                if e.status == 409 and e.code == "needs_force" and "failed" in e.body:
                    answer = e.body  # the same lists: the others were deleted
                else:
                    raise
            result = DeleteManyResult.from_json(answer)
            succeeded.extend(result.succeeded)
            failed.extend(result.failed)
        return DeleteManyResult(succeeded, failed)

    def artifacts_page(self, task: TaskRef, *, page_size: int = 100, cursor: Optional[str] = None) -> Page[Artifact]:
        """One page of a task's live artifacts, by id."""
        answer = self._t.json("GET", f"{_BASE}/{ref_id(task)}/artifacts", {"page_size": page_size, "cursor": cursor})
        return Page([Artifact.from_json(a) for a in answer.get("artifacts") or []], answer.get("next_cursor"))

    def artifacts(self, task: TaskRef, *, page_size: int = 100) -> Iterator[Artifact]:
        """Every live artifact of a task, by id, lazily, page by page."""
        return each(lambda cursor: self.artifacts_page(task, page_size=page_size, cursor=cursor))

    def download(
        self,
        artifact: Artifact,
        to: Union[str, "PathLike[str]", BinaryIO, None] = None,
    ) -> Optional[bytes]:
        """An artifact's bytes, streamed from the server.

        With ``to`` None returns them; with a path or a binary file writes them there and returns None.
        """
        path = f"{_BASE}/{artifact.task_id}/artifacts/{artifact.id}/content"
        with self._t.open("GET", path, accept="application/octet-stream") as response:
            if to is None:
                data: bytes = response.read()
                return data
            if isinstance(to, (str, PathLike)):
                with open(to, "wb") as f:
                    shutil.copyfileobj(response, f)
            else:
                shutil.copyfileobj(response, to)
        return None

    def params(self, task: TaskRef) -> dict[str, str]:
        """A task's parameters."""
        answer = self._t.json("GET", f"{_BASE}/{ref_id(task)}/params")
        return {str(k): str(v) for k, v in (answer.get("params") or {}).items()}

    def set_params(self, task: TaskRef, params: Mapping[str, ParamValue]) -> dict[str, str]:
        """Merges parameters into a draft task's (as text, like ``create``); returns them all."""
        body = {"params": _params(params)}
        answer = self._t.json("PUT", f"{_BASE}/{ref_id(task)}/params", body=body)
        return {str(k): str(v) for k, v in (answer.get("params") or {}).items()}

    def register_artifacts(self, refs: Sequence[ArtifactRef]) -> List[Artifact]:
        """Registers up to 10,000 objects in place as artifacts (by reference, nothing copied), with
        their metrics, in one request, all or none; returns the artifacts in order.

        One refused item registers nothing: ReclaimError 400 (409 for a name the task has without
        ``replace``) whose ``body["index"]`` is its position.
        """
        if not 1 <= len(refs) <= MAX_BATCH:
            raise ValueError(f"a batch holds 1 to {MAX_BATCH} artifacts, not {len(refs)}")
        items: List[dict[str, Any]] = []
        for r in refs:
            item: dict[str, Any] = {"task_id": ref_id(r.task), "ref": r.ref, "kind": str(r.kind).lower(), "name": r.name}
            if r.metrics:
                item["metrics"] = _metrics(r.metrics)
            if r.replace:
                item["replace"] = True
            items.append(item)
        answer = self._t.json("POST", f"{_BASE}/artifacts/batch", body={"artifacts": items})
        return [Artifact.from_json(a) for a in answer.get("artifacts") or []]

    def register_artifact(
        self,
        task: TaskRef,
        ref: str,
        *,
        name: str,
        kind: Union[str, ArtifactKind] = ArtifactKind.MODEL,
        metrics: Optional[Mapping[str, float]] = None,
        replace: bool = False,
    ) -> Artifact:
        """Registers one object in place (``register_artifacts`` with one item)."""
        return self.register_artifacts([ArtifactRef(ref_id(task), ref, name, kind, metrics, replace)])[0]

    def upload(
        self,
        task: TaskRef,
        source: Union[str, "PathLike[str]", BinaryIO],
        *,
        name: str,
        kind: Union[str, ArtifactKind] = ArtifactKind.MODEL,
        metrics: Optional[Mapping[str, float]] = None,
        replace: bool = False,
        sha256: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> Artifact:
        """Uploads a file (a path or a binary file object) as an artifact, streamed a block at a time.

        The SHA-256 is computed first (a path, or a file object that can seek) and sent, so the
        server stores nothing if the bytes arrive changed (ReclaimError 422 ``checksum_mismatch``);
        pass ``sha256`` for a stream that cannot seek. Over the server's upload limit: 413, nothing
        stored. ``metrics`` are reported once the artifact is stored.
        """
        checked = _metrics(metrics) if metrics else {}
        params = {"kind": str(kind).lower(), "name": name, "replace": True if replace else None}
        path = f"{_BASE}/{ref_id(task)}/artifacts"
        if isinstance(source, (str, PathLike)):
            with open(source, "rb") as f:
                digest = sha256 or _sha256_of(f)
                f.seek(0)
                answer = self._t.send_bytes("PUT", path, params, f, os.fstat(f.fileno()).st_size,
                                            {CHECKSUM_HEADER: digest}, timeout)
        else:
            length: Optional[int] = None
            digest_or_none = sha256
            if source.seekable():
                start = source.tell()
                if digest_or_none is None:
                    digest_or_none = _sha256_of(source)
                length = source.seek(0, os.SEEK_END) - start
                source.seek(start)
            headers = {CHECKSUM_HEADER: digest_or_none} if digest_or_none else {}
            answer = self._t.send_bytes("PUT", path, params, source, length, headers, timeout)
        artifact = Artifact.from_json(answer)
        if checked:
            artifact = dataclasses.replace(artifact, metrics=self.set_metrics(artifact, checked))
        return artifact

    def set_metrics(self, artifact: Artifact, metrics: Mapping[str, float]) -> dict[str, float]:
        """Merges numeric metrics into an artifact's (``{"val_loss": 0.31}``); returns all of them."""
        path = f"{_BASE}/{artifact.task_id}/artifacts/{artifact.id}/metrics"
        answer = self._t.json("POST", path, body={"metrics": _metrics(metrics)})
        return {str(k): float(v) for k, v in (answer.get("metrics") or {}).items()}

    def hold(self, task: TaskRef, reason: Optional[str] = None) -> HoldResult:
        """Puts a task on hold: no Cleanup Service run, no rule and no delete without force deletes it
        or what it holds. ``reason`` goes to the audit trail. ``changed`` is False when it already was held."""
        body = {"reason": reason} if reason is not None else None
        return HoldResult.from_json(self._t.json("POST", f"{_BASE}/{ref_id(task)}/hold", body=body))

    def release(self, task: TaskRef, reason: Optional[str] = None) -> HoldResult:
        """Takes a task off hold (its artifacts' own holds stay); ``changed`` is False when it was not held."""
        return HoldResult.from_json(self._t.json("DELETE", f"{_BASE}/{ref_id(task)}/hold", {"reason": reason}))

    def hold_artifact(self, task: TaskRef, artifact: ArtifactId, reason: Optional[str] = None) -> HoldResult:
        """Puts one live artifact of the task on hold (``hold`` for a single artifact)."""
        body = {"reason": reason} if reason is not None else None
        path = f"{_BASE}/{ref_id(task)}/artifacts/{ref_id(artifact)}/hold"
        return HoldResult.from_json(self._t.json("POST", path, body=body))

    def release_artifact(self, task: TaskRef, artifact: ArtifactId, reason: Optional[str] = None) -> HoldResult:
        """Takes an artifact of the task off hold."""
        path = f"{_BASE}/{ref_id(task)}/artifacts/{ref_id(artifact)}/hold"
        return HoldResult.from_json(self._t.json("DELETE", path, {"reason": reason}))

    def delete_artifact(
        self,
        task: TaskRef,
        artifact: ArtifactId,
        *,
        force: bool = False,
        dry_run: bool = False,
    ) -> ArtifactDeleteResult:
        """Deletes one artifact of a task, the task staying; ``dry_run`` says what would go and changes nothing.

        Raises ReclaimError 409 ``needs_force`` (``body['result']`` holds the refusal) for a held
        artifact or task, a published model or a model another task uses; with ``force`` holds are
        released and such models are kept, detached (``kept_models``). 409 ``incomplete`` when the
        deletion did not complete (it resumes), 404 ``not_found`` when there is no such live artifact.
        """
        path = f"{_BASE}/{ref_id(task)}/artifacts/{ref_id(artifact)}"
        params = {"force": True if force else None, "dry_run": True if dry_run else None}
        return ArtifactDeleteResult.from_json(self._t.json("DELETE", path, params))
