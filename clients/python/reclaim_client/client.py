"""The entry point: ``Client(base_url, token=None, timeout=30)``."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any, Iterator, Optional, Sequence, Union

from ._http import Transport
from .cleanup import Cleanup
from .jobs import Jobs
from .models import AuditLine, Hold, Page, UsageDay, UsageReport, WhoAmI, each, format_time
from .tasks import Tasks
from .tokens import Tokens


class Client:
    """A client of one Reclaim server (``reclaim server``), standard library only.

    ``base_url`` is the server's root (``http://127.0.0.1:8080``; the API root ``.../api/v1`` is
    accepted too). ``token`` is sent as ``Authorization: Bearer``; a loopback server without any
    token needs none. ``timeout`` is the most seconds one request waits for an answer (long polls
    of ``jobs.wait`` and ``jobs.submit`` get their wait on top).

    The API is grouped as on the server: ``jobs``, ``tasks``, ``cleanup`` and ``tokens``. Every
    error answer is raised as ``ReclaimError(status, code, message)``.
    """

    def __init__(self, base_url: str, token: Optional[str] = None, timeout: float = 30) -> None:
        self._t = Transport(base_url, token, float(timeout))
        self.jobs: Jobs = Jobs(self._t)
        self.tasks: Tasks = Tasks(self._t)
        self.cleanup: Cleanup = Cleanup(self._t)
        self.tokens: Tokens = Tokens(self._t)

    @classmethod
    def from_env(cls, timeout: float = 30) -> Client:
        """A client of ``$RECLAIM_URL`` (default ``http://127.0.0.1:8080``) with ``$RECLAIM_TOKEN``, if set."""
        return cls(os.environ.get("RECLAIM_URL") or "http://127.0.0.1:8080", os.environ.get("RECLAIM_TOKEN") or None,
                   timeout)

    @property
    def base_url(self) -> str:
        return self._t.base_url

    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "store": "reachable"}``; raises ReclaimError 503 when the store is unreachable."""
        answer: dict[str, Any] = self._t.json("GET", "/health")
        return answer

    def metrics(self) -> str:
        """The Prometheus text of ``/metrics`` (viewer)."""
        return self._t.text("GET", "/metrics")

    def openapi(self) -> dict[str, Any]:
        """The server's OpenAPI 3 document."""
        answer: dict[str, Any] = self._t.json("GET", "/openapi.json")
        return answer

    def whoami(self) -> WhoAmI:
        """This client's token as the server sees it: its name and role."""
        return WhoAmI.from_json(self._t.json("GET", "/api/v1/whoami"))

    def usage(self, by: Sequence[str] = ("project",), top: int = 10) -> UsageReport:
        """Where the bytes are: stored objects and bytes grouped by any of ``project``, ``kind``,
        ``status``, ``archived``, ``owner``, ``age``, with the ``top`` (0 to 1,000) largest tasks and projects."""
        return UsageReport.from_json(self._t.json("GET", "/api/v1/usage", {"by": ",".join(by) or None, "top": top}))

    def usage_history(self, days: int = 30) -> list[UsageDay]:
        """Stored objects and bytes at the end of each of the last ``days`` (1 to 3,650) UTC days, oldest
        first, with what each day added and freed; rebuilt from what is stored and the audit trail."""
        answer = self._t.json("GET", "/api/v1/usage/history", {"days": days})
        return [UsageDay.from_json(d) for d in answer.get("days") or []]

    def audit_page(self, *, task: Optional[str] = None, run: Optional[str] = None,
                   since: Union[datetime, str, int, float, None] = None, who: Optional[str] = None,
                   limit: int = 100, cursor: Optional[str] = None) -> Page[AuditLine]:
        """One page of finished deletions, newest first; every condition given must hold."""
        answer = self._t.json("GET", "/api/v1/audit", {
            "task": task, "run": run, "since": None if since is None else format_time(since), "who": who,
            "limit": limit, "cursor": cursor})
        return Page([AuditLine.from_json(a) for a in answer.get("items") or []], answer.get("next_cursor"))

    def audit(self, *, task: Optional[str] = None, run: Optional[str] = None,
              since: Union[datetime, str, int, float, None] = None, who: Optional[str] = None,
              page_size: int = 100) -> Iterator[AuditLine]:
        """Every finished deletion the conditions select, newest first, lazily, page by page."""
        return each(lambda cursor: self.audit_page(task=task, run=run, since=since, who=who, limit=page_size,
                                                   cursor=cursor))

    def holds_page(self, limit: int = 100, cursor: Optional[str] = None) -> Page[Hold]:
        """One page of holds, oldest first (``limit`` 1 to the server's most): tasks and artifacts,
        with who held each, when and why."""
        answer = self._t.json("GET", "/api/v1/holds", {"limit": limit, "cursor": cursor})
        return Page([Hold.from_json(h) for h in answer.get("holds") or []], answer.get("next_cursor"))

    def holds(self, *, page_size: int = 100) -> Iterator[Hold]:
        """Every hold, oldest first, lazily, page by page."""
        return each(lambda cursor: self.holds_page(page_size, cursor))

    def __repr__(self) -> str:
        return f"Client({self._t.base_url!r}, token={'***' if self._t.token else None})"
