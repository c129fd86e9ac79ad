"""The Cleanup Service routes against a real server: preview, run, history, settings."""

from __future__ import annotations

import unittest

from support import client, unique

from reclaim_client import ReclaimError, TaskStatus


class Cleanup(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()
        self.project = unique("cleanup")
        self.stored = self.c.cleanup.settings()
        # a run uses the stored settings: limit it to this test's project, and put them back after
        self.addCleanup(self.c.cleanup.update_settings, self.stored.settings)

    def archived_draft(self, name: str) -> str:
        t = self.c.tasks.create(name, project=self.project)
        self.c.tasks.archive(t)
        return t.id

    def test_settings_are_read_and_changed_all_or_nothing(self) -> None:
        self.assertEqual(self.stored.stored_in, "task")
        self.assertEqual(self.stored.service_task_id, "000000000000000000000c1ea000")
        self.assertIn("delete_threshold_days", self.stored.settings)

        changed = self.c.cleanup.update_settings(delete_threshold_days=14, force_delete=False, projects=["a", "b"])
        self.assertEqual(changed.settings["delete_threshold_days"], "14")
        self.assertEqual(changed.settings["projects"], "a,b")
        with self.assertRaises(ReclaimError) as e:
            self.c.cleanup.update_settings(delete_threshold_days=7, keep_last="many")
        self.assertEqual((e.exception.status, e.exception.code), (400, "bad_request"))
        self.assertIn("keep_last", e.exception.message)
        self.assertEqual(self.c.cleanup.settings().settings["delete_threshold_days"], "14", "all or nothing")

    def test_preview_says_what_a_run_would_delete_and_deletes_nothing(self) -> None:
        task = self.archived_draft("old")

        preview = self.c.cleanup.preview(projects=self.project, delete_threshold_days=0)
        self.assertTrue(preview.dry_run)
        self.assertEqual([(i.task_id, i.outcome) for i in preview.items], [(task, "WOULD_DELETE")])
        self.assertEqual(preview.settings["projects"], self.project)
        self.assertTrue(self.c.tasks.exists(task))
        none = self.c.cleanup.preview({"projects": self.project})  # the stored 30-day threshold
        self.assertEqual(none.items, [])

    def test_run_deletes_by_the_stored_settings_and_is_in_the_history(self) -> None:
        draft = self.archived_draft("old-draft")
        completed = self.c.tasks.create("old-completed", project=self.project, status=TaskStatus.COMPLETED)
        self.c.tasks.archive(completed)
        self.addCleanup(self.c.tasks.delete, completed, force=True)
        self.c.cleanup.update_settings(projects=self.project, delete_threshold_days=0, force_delete=False)

        run = self.c.cleanup.run()
        self.assertFalse(run.dry_run)
        self.assertEqual([(i.task_id, i.outcome) for i in run.items], [(draft, "DELETED")])
        self.assertEqual(run.deleted, 1)
        self.assertFalse(self.c.tasks.exists(draft))
        self.assertTrue(self.c.tasks.exists(completed), "only drafts without force_delete")
        self.assertIsNotNone(run.started_at)

        latest = next(self.c.cleanup.history())
        self.assertEqual(latest.id, run.id)
        self.assertEqual(latest.deleted, 1)

    def test_history_comes_a_page_at_a_time(self) -> None:
        self.c.cleanup.preview(projects=self.project)
        self.c.cleanup.preview(projects=self.project)

        first = self.c.cleanup.history_page(limit=1)
        self.assertEqual(len(first.items), 1)
        self.assertIsNotNone(first.next_cursor)
        second = self.c.cleanup.history_page(limit=1, cursor=first.next_cursor)
        self.assertNotEqual(second.items[0].id, first.items[0].id)
        runs = []
        for r in self.c.cleanup.history(page_size=1):
            runs.append(r.id)
            if len(runs) == 2:
                break
        self.assertEqual(runs, [first.items[0].id, second.items[0].id])

    def test_the_service_task(self) -> None:
        service = self.c.cleanup.service()
        self.assertEqual(service.id, self.stored.service_task_id)
        self.assertEqual(service.name, "Cleanup Service")
        self.assertIs(service.status, TaskStatus.CREATED)
        stop = self.c.cleanup.stop_service()
        self.assertEqual(stop.outcome, "NOT_RUNNING")


if __name__ == "__main__":
    unittest.main()
