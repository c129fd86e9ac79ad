"""The client itself: tokens and roles, errors, system routes; and its transport on a stub server."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import unittest
from datetime import datetime, timezone
from typing import Any, ClassVar

from support import client, client_with, server, unique

from reclaim_client import Client, ReclaimError, format_time, parse_time


class TokensAndRoles(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def test_a_viewer_reads_but_cannot_operate_and_a_revoked_token_is_refused(self) -> None:
        name = unique("viewer")
        created = self.c.tokens.create(name, "viewer")
        self.assertEqual((created.name, created.role, created.revoked), (name, "viewer", False))
        self.assertTrue(created.token and created.token.startswith("rcl_"))
        listed = next(t for t in self.c.tokens.list() if t.name == name)
        self.assertIsNone(listed.token, "secrets are shown only once")
        self.assertNotIn(created.token, repr(created), "nor printed")

        viewer = client_with(created.token)
        self.assertIsInstance(list(viewer.tasks.list(page_size=1)), list)
        with self.assertRaises(ReclaimError) as e:
            viewer.tasks.create(unique("nope"))
        self.assertEqual((e.exception.status, e.exception.code), (403, "forbidden"))
        self.assertIn("operator", e.exception.message)

        self.assertTrue(self.c.tokens.revoke(name).revoked)
        with self.assertRaises(ReclaimError) as e:
            viewer.tasks.page(page_size=1)
        self.assertEqual((e.exception.status, e.exception.code), (401, "unauthorized"))

    def test_no_token_is_unauthorized_once_tokens_exist(self) -> None:
        with self.assertRaises(ReclaimError) as e:
            client_with(None).tasks.page()
        self.assertEqual((e.exception.status, e.exception.code), (401, "unauthorized"))
        self.assertIn("Authorization: Bearer", e.exception.message)


class SystemRoutes(unittest.TestCase):
    def test_health_metrics_and_openapi(self) -> None:
        c = client()
        self.assertEqual(c.health(), {"status": "ok", "store": "reachable"})
        self.assertIn("reclaim_", c.metrics())
        self.assertIn("/api/v1/jobs", c.openapi()["paths"])

    def test_the_api_root_works_as_the_base_url(self) -> None:
        url, token = server()
        self.assertEqual(Client(url.rstrip("/") + "/api/v1/", token=token).health()["status"], "ok")


class _Stub(http.server.BaseHTTPRequestHandler):
    """Answers every request with what the test put into ``answer``, and keeps the request."""

    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"{}")
    seen: list[dict[str, Any]] = []

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        _Stub.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                           "body": self.rfile.read(length) if length else b""})
        status, headers, body = _Stub.answer
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _reply

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class Transport(unittest.TestCase):
    """What the client sends and how it reads answers; no Reclaim server needed."""

    httpd: ClassVar[http.server.ThreadingHTTPServer]
    c: ClassVar[Client]

    @classmethod
    def setUpClass(cls) -> None:
        cls.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
        threading.Thread(target=cls.httpd.serve_forever, daemon=True).start()
        cls.c = Client(f"http://127.0.0.1:{cls.httpd.server_address[1]}", token="rcl_x_secret", timeout=5)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.httpd.shutdown()
        cls.httpd.server_close()

    def setUp(self) -> None:
        _Stub.seen.clear()

    def test_state_changes_carry_json_content_type_and_the_token_also_without_a_body(self) -> None:
        _Stub.answer = (200, {"Content-Type": "application/json"}, b'{"id": "x", "canceled": true, "status": "CANCELED"}')
        self.assertTrue(self.c.jobs.cancel("x"))
        _Stub.answer = (200, {"Content-Type": "application/json"},
                        json.dumps({"task_id": "t", "deleted": True, "needs_force": False}).encode())
        self.c.tasks.delete("t", force=True)
        post, delete = _Stub.seen
        self.assertEqual((post["method"], post["path"]), ("POST", "/api/v1/jobs/x/cancel"))
        self.assertEqual(delete["path"], "/api/v1/tasks/t?force=true&keep_output_models=false&return_file_urls=false")
        for request in (post, delete):
            self.assertEqual(request["headers"]["Content-Type"], "application/json")
            self.assertEqual(request["headers"]["Authorization"], "Bearer rcl_x_secret")
            self.assertNotIn("Origin", request["headers"])

    def test_the_servers_json_error_becomes_a_reclaim_error_with_its_context(self) -> None:
        body = {"error": "busy", "message": "another run holds the lease", "holder": "h", "until": "soon"}
        _Stub.answer = (409, {"Content-Type": "application/json"}, json.dumps(body).encode())
        with self.assertRaises(ReclaimError) as e:
            self.c.cleanup.run()
        self.assertEqual((e.exception.status, e.exception.code, e.exception.message),
                         (409, "busy", "another run holds the lease"))
        self.assertEqual(e.exception.body["holder"], "h")
        self.assertIn("409 busy", str(e.exception))

    def test_retry_after_of_a_busy_store_is_kept(self) -> None:
        _Stub.answer = (503, {"Retry-After": "30"}, b'{"error": "unavailable", "message": "the store is busy"}')
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.page()
        self.assertEqual((e.exception.status, e.exception.code, e.exception.retry_after), (503, "unavailable", 30))

    def test_an_answer_that_is_not_the_servers_json_error_is_still_a_reclaim_error(self) -> None:
        _Stub.answer = (502, {"Content-Type": "text/html"}, b"<html>Bad Gateway</html>")
        with self.assertRaises(ReclaimError) as e:
            self.c.health()
        self.assertEqual((e.exception.status, e.exception.code), (502, "http_502"))
        self.assertIn("Bad Gateway", e.exception.message)

    def test_query_parameters_repeat_for_several_values_and_leave_out_none(self) -> None:
        _Stub.answer = (200, {}, b'{"tasks": []}')
        list(self.c.tasks.list(statuses=["completed", "published"], tags="a", fields=["id", "name"], page_size=7))
        self.assertEqual(_Stub.seen[0]["path"],
                         "/api/v1/tasks?status=completed&status=published&tag=a&fields=id%2Cname&page_size=7")

    def test_a_server_that_does_not_answer_is_unreachable(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with self.assertRaises(ReclaimError) as e:
            Client(f"http://127.0.0.1:{port}", timeout=5).health()
        self.assertEqual((e.exception.status, e.exception.code), (0, "unreachable"))

    def test_a_base_url_needs_a_scheme(self) -> None:
        with self.assertRaises(ValueError):
            Client("127.0.0.1:8080")


class Times(unittest.TestCase):
    def test_server_instants_parse_to_utc_datetimes(self) -> None:
        self.assertEqual(parse_time("2026-01-02T03:04:05.123456789Z"),
                         datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc))
        self.assertEqual(parse_time("2026-01-02T03:04:05Z"), datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
        self.assertIsNone(parse_time(None))

    def test_query_times_are_written_in_utc(self) -> None:
        self.assertEqual(format_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)), "2026-01-02T03:04:05Z")
        self.assertEqual(format_time(datetime(2026, 1, 2, 3, 4, 5)), "2026-01-02T03:04:05Z", "naive is UTC")
        self.assertEqual(format_time(1767225600), "1767225600")


if __name__ == "__main__":
    unittest.main()
