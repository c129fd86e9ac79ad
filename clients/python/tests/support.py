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

import os
import secrets
import sys
import time
import unittest
from pathlib import Path
from typing import Callable

PYTHON_ROOT = Path(__file__).resolve().parent.parent
if str(PYTHON_ROOT) not in sys.path:
    sys.path.insert(0, str(PYTHON_ROOT))  # the client, when PYTHONPATH does not name it

from reclaim_client import Client, JobStatus  # noqa: E402


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
