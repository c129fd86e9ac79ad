"""The Cleanup Service (docs/rules.md section 4) over ``/api/v1/cleanup``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, List, Mapping, Optional, Tuple, Union

from ._http import API, Transport
from .models import AuditLine, CleanupProgress, CleanupRun, CleanupSettings, Forecast, Page, ServiceState, each

SettingValue = Union[str, int, float, bool, List[str], Tuple[str, ...]]
"""A setting's value: the JSON number or boolean it is, or text (``7``, ``"7"``, ``True``);
``projects`` also as a list of names."""

_BASE = API + "/cleanup"


def _settings(settings: Optional[Mapping[str, SettingValue]], overrides: Mapping[str, SettingValue]) -> dict[str, Any]:
    merged: dict[str, Any] = dict(settings or {})
    merged.update(overrides)
    for name, value in merged.items():
        if isinstance(value, (list, tuple)) and name == "projects":
            merged[name] = ",".join(str(v) for v in value)  # the setting is comma-separated text
    return merged


@dataclass(frozen=True)
class ServiceStop:
    """What stopping the service did: ``DEQUEUED``, ``STOPPING``, ``RESET`` or ``NOT_RUNNING``."""

    outcome: str
    service: ServiceState


class Cleanup:
    """Preview and run cleanups, read their history, read and change the service's settings."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def preview(self, settings: Optional[Mapping[str, SettingValue]] = None, **overrides: SettingValue) -> CleanupRun:
        """A dry run: exactly what a run with these settings would delete, in its order, with its bytes.

        Starts from the stored settings; ``settings`` and keyword arguments override them for
        this preview only (``preview(delete_threshold_days=0, force_delete=True)``). Deletes nothing.
        ``groups`` adds up what it would delete per project and rule, over every candidate.
        """
        changes = _settings(settings, overrides)
        body = {"settings": changes} if changes else None
        return CleanupRun.from_json(self._t.json("POST", f"{_BASE}/preview", body=body))

    def run(self) -> CleanupRun:
        """One run now with the stored settings; its report.

        Raises ReclaimError 409 ``busy`` (``body['holder']``, ``body['until']``) while another run holds the lease.
        ``progress`` follows it from another thread meanwhile.
        """
        return CleanupRun.from_json(self._t.json("POST", f"{_BASE}/run"))

    def progress(self) -> CleanupProgress:
        """Where the last run started through this server (``run``) is: phase, candidates so far,
        tasks deleted and bytes freed so far; ``IDLE`` before any. Poll it while ``run`` waits."""
        return CleanupProgress.from_json(self._t.json("GET", f"{_BASE}/progress"))

    def history_page(self, *, limit: int = 20, cursor: Optional[str] = None) -> Page[CleanupRun]:
        """One page of past runs, newest first (``limit`` 1 to 100)."""
        answer = self._t.json("GET", f"{_BASE}/history", {"limit": limit, "cursor": cursor})
        return Page([CleanupRun.from_json(r) for r in answer.get("runs") or []], answer.get("next_cursor"))

    def history(self, *, page_size: int = 20) -> Iterator[CleanupRun]:
        """Past runs, newest first, lazily, page by page (stop iterating when you have enough)."""
        return each(lambda cursor: self.history_page(limit=page_size, cursor=cursor))

    def forecast(self, days: int = 30) -> Forecast:
        """What the stored settings would free today, in 7 days and in ``days`` days (1 to 3,650), per project.

        Dry runs of the same selection as a run (operator); nothing is deleted or recorded.
        """
        return Forecast.from_json(self._t.json("POST", f"{_BASE}/forecast", {"days": days}))

    def run_report(self, run_id: str) -> CleanupRun:
        """One run's report, with what started it (``trigger``) and who (``started_by``)."""
        return CleanupRun.from_json(self._t.json("GET", f"{_BASE}/runs/{run_id}"))

    def deleted_page(self, run_id: str, *, limit: int = 100, cursor: Optional[str] = None) -> Page[AuditLine]:
        """One page of the tasks a run deleted, from the audit trail (``limit`` 1 to 1,000)."""
        answer = self._t.json("GET", f"{_BASE}/runs/{run_id}/deleted", {"limit": limit, "cursor": cursor})
        return Page([AuditLine.from_json(a) for a in answer.get("items") or []], answer.get("next_cursor"))

    def deleted(self, run_id: str, *, page_size: int = 100) -> Iterator[AuditLine]:
        """Every task a run deleted, however many, lazily, page by page."""
        return each(lambda cursor: self.deleted_page(run_id, limit=page_size, cursor=cursor))

    def settings(self) -> CleanupSettings:
        """The stored settings, and whether they live in the service task or the server's memory."""
        return CleanupSettings.from_json(self._t.json("GET", f"{_BASE}/settings"))

    def update_settings(self, settings: Optional[Mapping[str, SettingValue]] = None,
                        **changes: SettingValue) -> CleanupSettings:
        """Changes settings, all or nothing (admin; only while the service task is a draft)."""
        merged = _settings(settings, changes)
        if not merged:
            raise ValueError("give at least one setting, e.g. update_settings(delete_threshold_days=7)")
        return CleanupSettings.from_json(self._t.json("PUT", f"{_BASE}/settings", body={"settings": merged}))

    def service(self) -> ServiceState:
        """The Cleanup Service task: status, queue, worker, stop request."""
        return ServiceState.from_json(self._t.json("GET", f"{_BASE}/service"))

    def enqueue_service(self) -> ServiceState:
        """Puts the service on the ``services`` queue for a worker in services mode (409 unless a draft)."""
        return ServiceState.from_json(self._t.json("POST", f"{_BASE}/service/enqueue"))

    def stop_service(self) -> ServiceStop:
        """Dequeues the service, or ends it after its current batch."""
        answer = self._t.json("POST", f"{_BASE}/service/stop")
        return ServiceStop(str(answer.get("outcome", "")), ServiceState.from_json(answer["service"]))
