"""The transport: one JSON request over urllib, errors turned into ReclaimError."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, BinaryIO, Iterable, Mapping, Sequence, Union

from .errors import ReclaimError

#: A query parameter value: one value, or several (the parameter is then repeated).
QueryValue = Union[str, int, float, bool, None, Sequence[Union[str, int, float, bool]]]

API = "/api/v1"

#: Methods that change state: the server takes them only with ``Content-Type: application/json``,
#: also without a body.
_STATE_CHANGING = frozenset({"POST", "PUT", "DELETE", "PATCH"})


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query_string(params: Mapping[str, QueryValue] | None) -> str:
    """``?a=1&b=x&b=y`` from a mapping; None values are left out, sequences repeat the parameter."""
    if not params:
        return ""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((name, _text(v)) for v in value)
        else:
            pairs.append((name, _text(value)))
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


class Transport:
    """Sends requests to one server with one token; knows nothing about the routes."""

    def __init__(self, base_url: str, token: str | None, timeout: float) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        if self.base_url.endswith(API):  # accept the API root as well as the server root
            self.base_url = self.base_url[: -len(API)]
        self.token = token
        self.timeout = timeout

    def url(self, path: str, params: Mapping[str, QueryValue] | None = None) -> str:
        return self.base_url + path + query_string(params)

    def open(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None = None,
        body: Any = None,
        timeout: float | None = None,
        accept: str = "application/json",
    ) -> Any:
        """Sends a request and returns the open response (the caller reads and closes it).

        Raises ReclaimError for any answer that is not 2xx, or when no answer comes.
        """
        data: bytes | None = None
        headers = {"Accept": accept, "User-Agent": "reclaim-python-client"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
        elif method in ("POST", "PUT", "PATCH"):
            data = b""
        if method in _STATE_CHANGING:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url(path, params), data=data, headers=headers, method=method)
        return self._send(request, method, path, self.timeout if timeout is None else timeout)

    def send_bytes(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None,
        body: BinaryIO,
        length: int | None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Sends ``body`` as raw bytes (``application/octet-stream``), read a block at a time, never
        whole in memory; returns the JSON answer. ``length`` is sent as ``Content-Length`` when known
        (otherwise the body goes chunked)."""
        all_headers = {"Accept": "application/json", "User-Agent": "reclaim-python-client",
                       "Content-Type": "application/octet-stream"}
        if length is not None:
            all_headers["Content-Length"] = str(length)
        all_headers.update(headers or {})
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url(path, params), data=body, headers=all_headers, method=method)
        with self._send(request, method, path, self.timeout if timeout is None else timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def _send(self, request: urllib.request.Request, method: str, path: str, limit: float) -> Any:
        try:
            return urllib.request.urlopen(request, timeout=limit)  # noqa: S310 - the URL is the caller's server
        except urllib.error.HTTPError as e:
            raise _error_of(e) from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, (TimeoutError, socket.timeout)):
                raise ReclaimError(0, "timeout", f"{method} {path}: no answer within {limit} s") from e
            raise ReclaimError(0, "unreachable", f"{method} {path}: cannot reach {self.base_url}: {e.reason}") from e
        except (TimeoutError, socket.timeout) as e:
            raise ReclaimError(0, "timeout", f"{method} {path}: no answer within {limit} s") from e
        except OSError as e:
            raise ReclaimError(0, "unreachable", f"{method} {path}: cannot reach {self.base_url}: {e}") from e

    def json(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None = None,
        body: Any = None,
        timeout: float | None = None,
    ) -> Any:
        """Sends a request and returns its JSON answer (None for an empty one)."""
        limit = self.timeout if timeout is None else timeout
        with self.open(method, path, params, body, timeout) as response:
            try:
                raw = response.read()
            except (TimeoutError, socket.timeout) as e:
                raise ReclaimError(0, "timeout", f"{method} {path}: the answer did not arrive within {limit} s") from e
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError as e:
            raise ReclaimError(response.status, "bad_response", f"{method} {path}: the answer is not JSON: "
                               + raw[:200].decode("utf-8", "replace")) from e

    def text(self, method: str, path: str, params: Mapping[str, QueryValue] | None = None) -> str:
        with self.open(method, path, params, accept="text/plain") as response:
            data: bytes = response.read()
        return data.decode("utf-8")


def _error_of(e: urllib.error.HTTPError) -> ReclaimError:
    """The server's JSON error as a ReclaimError; any other error answer (a proxy's page) in words."""
    try:
        raw = e.read()
    except OSError:
        raw = b""
    finally:
        e.close()
    retry: int | None = None
    header = e.headers.get("Retry-After") if e.headers is not None else None
    if header is not None and header.strip().isdigit():
        retry = int(header.strip())
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return ReclaimError(e.code, body["error"], str(body.get("message", "")), body, retry)
    text = raw[:500].decode("utf-8", "replace").strip() or (e.reason if isinstance(e.reason, str) else "")
    return ReclaimError(e.code, f"http_{e.code}", text or f"HTTP {e.code}", None, retry)


def ids_of(refs: Iterable[Any]) -> list[str]:
    """Ids of jobs or tasks given as ids or as objects with an ``id``."""
    return [ref_id(r) for r in refs]


def ref_id(ref: Any) -> str:
    if isinstance(ref, str):
        return ref
    value = getattr(ref, "id", None)
    if isinstance(value, str):
        return value
    raise TypeError(f"expected an id (str) or an object with an id, got {type(ref).__name__}")
