"""The task catalog and artifacts against a real server."""

from __future__ import annotations

import contextlib
import io
import tempfile
import unittest
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

from support import client, shell, unique

from reclaim_client import (ArtifactKind, Client, ReclaimError, ReclaimWarning, Task, TaskStatus, TaskSummary,
                            format_time)

MODELS = shell("mkdir -p $RECLAIM_OUTPUT/models $RECLAIM_OUTPUT/debug; printf aaaa > $RECLAIM_OUTPUT/models/a.ckpt; "
               "printf bbbbbbbb > $RECLAIM_OUTPUT/models/b.ckpt; printf png > $RECLAIM_OUTPUT/debug/sample.png")


class CreateAndRead(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def test_create_get_and_params(self) -> None:
        project = unique("proj")
        t = self.c.tasks.create("exp-1", project=project, type="training", tags=["baseline", "gpu"],
                                params={"lr": 0.1, "epochs": 3, "augment": True})
        self.addCleanup(self.c.tasks.delete, t, force=True)

        self.assertEqual((t.name, t.project, t.type, t.status), ("exp-1", project, "training", TaskStatus.CREATED))
        self.assertEqual(sorted(t.tags or []), ["baseline", "gpu"])
        self.assertEqual(t.params, {"lr": "0.1", "epochs": "3", "augment": "true"}, "parameters are text")
        self.assertIsNotNone(t.created)
        self.assertEqual(self.c.tasks.get(t.id), t)
        only = self.c.tasks.get(t, fields=["name", "status"])
        self.assertEqual((only.id, only.name, only.status, only.project), (t.id, "exp-1", TaskStatus.CREATED, None))

        self.assertEqual(self.c.tasks.set_params(t, {"lr": "0.2", "seed": 7}),
                         {"lr": "0.2", "epochs": "3", "augment": "true", "seed": "7"})
        self.assertEqual(self.c.tasks.params(t)["lr"], "0.2")

        done = self.c.tasks.set_status(t, TaskStatus.COMPLETED)
        self.assertIs(done.status, TaskStatus.COMPLETED)
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.set_params(t, {"lr": "0.3"})
        self.assertEqual(e.exception.status // 100, 4, "parameters change only on a draft")

    def test_a_child_names_its_parent(self) -> None:
        parent = self.c.tasks.create(unique("parent"))
        child = self.c.tasks.create(unique("child"), parent=parent)
        self.addCleanup(self.c.tasks.delete, parent, force=True)
        self.addCleanup(self.c.tasks.delete, child, force=True)

        self.assertEqual(child.parent, parent.id)
        self.assertEqual([t.id for t in self.c.tasks.list(parent=parent)], [child.id])

    def test_unknown_and_bad_ids(self) -> None:
        ghost = "0" * 27 + "3"
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.get(ghost)
        self.assertEqual((e.exception.status, e.exception.code), (404, "not_found"))
        self.assertFalse(self.c.tasks.exists(ghost))
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.get("not-an-id")
        self.assertEqual((e.exception.status, e.exception.code), (400, "bad_request"))
        self.assertIn("28 lowercase hex digits", e.exception.message)

    def test_bad_input_changes_nothing_and_says_why(self) -> None:
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.create(" padded ")
        self.assertEqual(e.exception.code, "bad_request")
        self.assertIn("name", e.exception.message)
        with self.assertRaises(ReclaimError) as e:
            list(self.c.tasks.list(fields="nonsense"))
        self.assertIn("unknown field 'nonsense'", e.exception.message)


class Query(unittest.TestCase):
    c: ClassVar[Client]
    project: ClassVar[str]
    tasks: ClassVar[list[Task]]

    @classmethod
    def setUpClass(cls) -> None:
        cls.c = client()
        cls.project = unique("query")
        cls.tasks = [cls.c.tasks.create(f"run-{i}", project=cls.project, tags=["even" if i % 2 == 0 else "odd"],
                                        status="completed" if i < 3 else None) for i in range(5)]

    @classmethod
    def tearDownClass(cls) -> None:
        cls.c.tasks.delete_many(cls.tasks, force=True)

    def ids(self, **query) -> list[str]:  # type: ignore[no-untyped-def]
        return [t.id for t in self.c.tasks.list(projects=self.project, **query)]

    def test_list_follows_the_cursor_across_pages(self) -> None:
        self.assertEqual(self.ids(page_size=2), [t.id for t in self.tasks])
        self.assertEqual(self.ids(page_size=1, order_by="-name"), [t.id for t in reversed(self.tasks)])

    def test_filters(self) -> None:
        t = self.tasks
        self.assertEqual(self.ids(statuses="completed"), [x.id for x in t[:3]])
        self.assertEqual(self.ids(statuses=[TaskStatus.CREATED]), [x.id for x in t[3:]])
        self.assertEqual(self.ids(tags="odd"), [t[1].id, t[3].id])
        self.assertEqual(self.ids(tags="-odd"), [t[0].id, t[2].id, t[4].id])
        self.assertEqual(self.ids(name="^run-[34]$"), [t[3].id, t[4].id])
        self.assertEqual(self.ids(ids=[t[0].id, t[4].id]), [t[0].id, t[4].id])
        self.assertEqual([x.id for x in self.c.tasks.list(projects=unique("empty"))], [])

    def test_size_orders_largest_first_and_a_summary_adds_up_the_filter(self) -> None:
        project = unique("sizes")
        big, empty, small = (self.c.tasks.create(n, project=project, tags=[n]) for n in ("big", "empty", "small"))
        try:
            self.c.tasks.upload(big, io.BytesIO(b"b" * 300), name="big.bin")
            self.c.tasks.upload(small, io.BytesIO(b"s" * 20), name="small.bin")
            largest = [t.id for t in self.c.tasks.list(projects=project, order_by="-size", page_size=1)]
            self.assertEqual(largest, [big.id, small.id, empty.id])
            smallest = [t.id for t in self.c.tasks.list(projects=project, order_by="size", sizes=True)]
            self.assertEqual(smallest, [empty.id, small.id, big.id])
            self.assertEqual(self.c.tasks.summary(projects=project), TaskSummary(count=3, bytes=320))
            self.assertEqual(self.c.tasks.summary(projects=project, tags=["big", "empty"]), TaskSummary(2, 300))
        finally:
            self.c.tasks.delete_many([big, empty, small], force=True)

    def test_fields_project_the_answer(self) -> None:
        rows = list(self.c.tasks.list(projects=self.project, fields=["name"]))
        self.assertEqual([r.name for r in rows], [f"run-{i}" for i in range(5)])
        self.assertTrue(all(r.status is None and r.project is None for r in rows))

    def test_one_page_by_number_or_cursor(self) -> None:
        first = self.c.tasks.page(projects=self.project, page_size=2)
        self.assertEqual(len(first.items), 2)
        self.assertIsNotNone(first.next_cursor)
        by_number = self.c.tasks.page(projects=self.project, page_size=2, page=1)
        by_cursor = self.c.tasks.page(projects=self.project, page_size=2, cursor=first.next_cursor)
        self.assertEqual([x.id for x in by_number.items], [x.id for x in by_cursor.items])


class ArchiveAndDelete(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()
        self.project = unique("archive")

    def test_archive_starts_the_clock_and_unarchive_stops_it(self) -> None:
        before = datetime.now(timezone.utc) - timedelta(seconds=1)
        a = self.c.tasks.create("a", project=self.project)
        b = self.c.tasks.create("b", project=self.project)
        self.addCleanup(self.c.tasks.delete_many, [a, b], force=True)

        results = self.c.tasks.archive([a, b.id])
        self.assertEqual([(r.task_id, r.changed) for r in results], [(a.id, True), (b.id, True)])
        self.assertTrue(self.c.tasks.get(a).archived)
        self.assertIsNotNone(self.c.tasks.get(a).archived_at)
        archived = [t.id for t in self.c.tasks.list(projects=self.project, system_tags="archived",
                                                     archived_at=f">={format_time(before)}")]
        self.assertEqual(archived, [a.id, b.id])

        self.assertEqual([r.changed for r in self.c.tasks.unarchive(a)], [True])
        self.assertEqual([t.id for t in self.c.tasks.list(projects=self.project, system_tags="-archived")], [a.id])
        self.assertIsNone(self.c.tasks.get(a).archived_at)

    def test_a_published_task_is_deleted_only_with_force(self) -> None:
        t = self.c.tasks.create("p", project=self.project, status=TaskStatus.COMPLETED)
        published = self.c.tasks.publish(t)
        self.assertIs(published.status, TaskStatus.PUBLISHED)

        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.delete(t)
        self.assertEqual((e.exception.status, e.exception.code), (409, "needs_force"))
        self.assertTrue(e.exception.body["result"]["needs_force"])
        self.assertIn("published", e.exception.message)
        self.assertTrue(self.c.tasks.exists(t))

        result = self.c.tasks.delete(t, force=True)
        self.assertTrue(result.deleted)
        self.assertFalse(self.c.tasks.exists(t))

    def test_delete_many_lists_what_was_deleted_and_what_needs_force(self) -> None:
        draft = self.c.tasks.create("draft", project=self.project)
        done = self.c.tasks.create("done", project=self.project, status="completed")
        self.addCleanup(self.c.tasks.delete_many, [done], force=True)

        result = self.c.tasks.delete_many([draft, done])
        self.assertEqual([r.task_id for r in result.succeeded], [draft.id])
        self.assertEqual([(r.task_id, r.needs_force) for r in result.failed], [(done.id, True)])
        self.assertFalse(self.c.tasks.exists(draft))
        self.assertTrue(self.c.tasks.exists(done))

    def test_delete_of_a_task_that_is_gone(self) -> None:
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.delete("0" * 27 + "4")
        self.assertEqual(e.exception.status, 404)


class Artifacts(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def job_with_models(self) -> str:
        job = self.c.jobs.submit(MODELS, auto_cleanup=False)
        self.addCleanup(self.quiet_cleanup, job.id)
        return job.id

    def quiet_cleanup(self, job_id: str) -> None:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore", ReclaimWarning)
            self.c.jobs.cleanup_jobs(job_id, force=True)

    def test_artifacts_page_by_page_and_their_downloads(self) -> None:
        job = self.job_with_models()

        every = list(self.c.tasks.artifacts(job, page_size=1))
        self.assertEqual(sorted((a.kind, a.name) for a in every), [
            (ArtifactKind.DEBUG_SAMPLE, "sample.png"), (ArtifactKind.LOG, "console.log"),
            (ArtifactKind.MODEL, "a.ckpt"), (ArtifactKind.MODEL, "b.ckpt")])
        self.assertEqual([a.id for a in every], sorted(a.id for a in every), "by id")
        b = next(a for a in every if a.name == "b.ckpt")
        self.assertEqual((b.size_bytes, b.published, b.task_id), (8, False, job))
        self.assertEqual(self.c.tasks.download(b), b"bbbbbbbb")
        with tempfile.TemporaryDirectory() as d:
            target = Path(d) / "b.ckpt"
            self.assertIsNone(self.c.tasks.download(b, to=target))
            self.assertEqual(target.read_bytes(), b"bbbbbbbb")
            buffer = io.BytesIO()
            self.c.tasks.download(b, to=buffer)
            self.assertEqual(buffer.getvalue(), b"bbbbbbbb")

    def test_sizes_add_each_tasks_live_bytes(self) -> None:
        job = self.job_with_models()

        (row,) = self.c.tasks.list(ids=job, sizes=True)
        self.assertEqual(row.size_bytes, 4 + 8 + 3)  # the console log is empty

    def test_delete_keeps_output_models_when_asked(self) -> None:
        keep = self.job_with_models()
        drop = self.job_with_models()
        self.c.tasks.archive([keep, drop])

        kept = self.c.tasks.delete(keep, keep_output_models=True, return_file_urls=True)
        dropped = self.c.tasks.delete(drop, return_file_urls=True)
        self.assertTrue(kept.deleted and dropped.deleted)
        self.assertEqual(dropped.deleted_models, 2)
        self.assertEqual(kept.deleted_models, 0)
        self.assertTrue(any(u.endswith("models/a.ckpt") for u in dropped.file_urls))
        self.assertFalse(any("models/" in u for u in kept.file_urls))


if __name__ == "__main__":
    unittest.main()
