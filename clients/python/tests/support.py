"""What the tests share: the server under test and names no other test uses.

The server comes from ``RECLAIM_URL`` and ``RECLAIM_TOKEN`` (an admin token). Without
``RECLAIM_URL`` the tests that need a server are skipped, unless ``RECLAIM_REQUIRE_SERVER=1``
(set by the JUnit test that starts the server), which makes them fail instead. To run them:

    mvn -B -ntp -o -pl reclaim-server -am test -Dtest=PythonClientTest -Dsurefire.failIfNoSpecifiedTests=false

or against a server of your own (it needs a worker on the ``default`` queue and ``python3``):

    RECLAIM_URL=http://127.0.0.1:8080 RECLAIM_TOKEN=rcl_... PYTHONPATH=clients/python \\
        python3 -m unittest discover -s clients/python/tests -v
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
import unittest
from pathlib import Path
from typing import Any, Callable

PYTHON_ROOT = Path(__file__).resolve().parent.parent
if str(PYTHON_ROOT) not in sys.path:
    sys.path.insert(0, str(PYTHON_ROOT))  # the client, when PYTHONPATH does not name it

from reclaim_client import Client, JobStatus  # noqa: E402
from reclaim_client._http import Transport  # noqa: E402

#: When set (by the JUnit test), every request the client sends is appended to this file as one
#: JSON line: method, path, query parameter names and body keys. The JUnit test then checks each
#: against the server's OpenAPI document, so the client cannot call a route, a parameter or a
#: body field the server does not declare.
RECORD_CALLS = os.environ.get("RECLAIM_RECORD_CALLS")


def _body_keys(body: object) -> list[str]:
    """``name``, ``tasks[].name``: the keys of a JSON body, one level into lists of objects."""
    keys: list[str] = []
    if isinstance(body, dict):
        for k, v in body.items():
            keys.append(str(k))
            if isinstance(v, list):
                for item in v:
                    if isinstance(item, dict):
                        keys.extend(f"{k}[].{ik}" for ik in item if f"{k}[].{ik}" not in keys)
    return keys


def _record(call: dict[str, object]) -> None:
    assert RECORD_CALLS is not None
    with open(RECORD_CALLS, "a", encoding="utf-8") as f:
        f.write(json.dumps(call) + "\n")


if RECORD_CALLS and not getattr(Transport, "_recording", False):
    _open = Transport.open
    _send_bytes = Transport.send_bytes

    def _recorded_open(self: Transport, method: str, path: str, params: Any = None, body: Any = None,
                       timeout: Any = None, accept: str = "application/json") -> Any:
        _record({"method": method, "path": path, "query": sorted(k for k, v in (params or {}).items() if v is not None),
                 "body": _body_keys(body), "bytes": False})
        return _open(self, method, path, params, body, timeout, accept)

    def _recorded_send_bytes(self: Transport, method: str, path: str, params: Any, body: Any, length: Any,
                             headers: Any = None, timeout: Any = None) -> Any:
        _record({"method": method, "path": path, "query": sorted(k for k, v in (params or {}).items() if v is not None),
                 "body": [], "bytes": True})
        return _send_bytes(self, method, path, params, body, length, headers, timeout)

    Transport.open = _recorded_open  # type: ignore[method-assign]
    Transport.send_bytes = _recorded_send_bytes  # type: ignore[method-assign]
    Transport._recording = True  # type: ignore[attr-defined]


def server() -> tuple[str, str | None]:
    """The URL and token of the server under test; skips (or fails) when there is none."""
    url = os.environ.get("RECLAIM_URL")
    if not url:
        if os.environ.get("RECLAIM_REQUIRE_SERVER") == "1":
            raise AssertionError("RECLAIM_URL is not set, and RECLAIM_REQUIRE_SERVER=1: these tests need a server")
        raise unittest.SkipTest("RECLAIM_URL is not set: no server to test against (see tests/support.py)")
    return url, os.environ.get("RECLAIM_TOKEN") or None


def client() -> Client:
    """A client of the server under test, with its admin token."""
    url, admin = server()
    return Client(url, token=admin)


def client_with(token: str | None) -> Client:
    """A client of the server under test with another token, or none."""
    url, _ = server()
    return Client(url, token=token)


def unique(prefix: str) -> str:
    """A name no other test (or earlier run against the same server) uses."""
    return f"{prefix}-{secrets.token_hex(4)}"


def shell(script: str) -> list[str]:
    return ["sh", "-c", script]


def eventually(check: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Waits until ``check()`` holds, failing with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {what}")
        time.sleep(0.1)


def running(c: Client, job_id: str) -> bool:
    return c.jobs.status(job_id) is JobStatus.RUNNING


def store_root() -> Path:
    """The server's default artifact root, where a test may put objects to register by reference;
    ``RECLAIM_TEST_ROOT`` (set by the JUnit test). Skips when unknown (a server of your own)."""
    root = os.environ.get("RECLAIM_TEST_ROOT")
    if not root:
        raise unittest.SkipTest("RECLAIM_TEST_ROOT is not set: the server's artifact root is unknown")
    return Path(root)
