"""Errors and warnings of the Reclaim client."""

from __future__ import annotations

from typing import Any, Mapping


class ReclaimError(Exception):
    """An answer of the server that is not a success, or a server that could not be reached.

    ``status`` is the HTTP status (0 when no answer came: the server was unreachable or the
    request timed out), ``code`` the server's error code (``bad_request``, ``not_found``,
    ``needs_force``, ``conflict``, ``busy``, ...; ``unreachable`` or ``timeout`` when no answer
    came) and ``message`` its explanation, which says how to proceed. ``body`` holds the whole
    JSON error, context fields included (``reports`` of a job cleanup, ``result`` of a task
    delete, ``holder`` of a busy cleanup run). ``retry_after`` is the server's ``Retry-After`` in
    seconds, when it sent one (503 ``unavailable``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        body: Mapping[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}" if status else f"{code}: {message}")
        self.status: int = status
        self.code: str = code
        self.message: str = message
        self.body: dict[str, Any] = dict(body) if body is not None else {"error": code, "message": message}
        self.retry_after: int | None = retry_after

    def __repr__(self) -> str:
        return f"ReclaimError(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class ReclaimWarning(UserWarning):
    """A warning the seed API gives without failing: a job skipped by cleanup, a queue no worker serves."""
