"""Where the bytes are, who deleted what, what cleanup would free: usage, audit, forecast, whoami."""

from __future__ import annotations

import io
import unittest
from datetime import datetime, timedelta, timezone

from support import client, unique

from reclaim_client import ReclaimError


class Insight(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()
        self.project = unique("insight")
        self.stored = self.c.cleanup.settings()
        self.addCleanup(self.c.cleanup.update_settings, self.stored.settings)

    def test_whoami_names_the_caller_and_its_role(self) -> None:
        me = self.c.whoami()
        self.assertTrue(me.name)
        self.assertIn(me.role, ("viewer", "operator", "admin"))

    def test_usage_groups_stored_bytes_and_lists_the_largest_tasks(self) -> None:
        before = self.c.usage(by=("project",))
        task = self.c.tasks.create("stored", project=self.project)
        self.c.tasks.upload(task, io.BytesIO(b"w" * 1234), name="weights.bin")

        report = self.c.usage(by=("project", "kind"), top=1000)

        self.assertEqual(report.by, ["project", "kind"])
        self.assertIn(([self.project, "MODEL"], 1, 1234), [(g.key, g.objects, g.bytes) for g in report.groups])
        self.assertEqual(report.bytes, before.bytes + 1234)
        self.assertIn(task.id, [t.task_id for t in report.top_tasks])
        with self.assertRaises(ReclaimError) as e:
            self.c.usage(by=("colour",))
        self.assertEqual(e.exception.status, 400)

    def test_the_usage_history_ends_today_with_what_is_stored(self) -> None:
        days = self.c.usage_history(days=3)
        self.assertEqual(len(days), 3)
        self.assertEqual(days[-1].bytes, self.c.usage(by=()).bytes)
        self.assertRegex(days[-1].day, r"^\d{4}-\d{2}-\d{2}$")
        with self.assertRaises(ReclaimError) as e:
            self.c.usage_history(days=0)
        self.assertEqual(e.exception.status, 400)

    def test_a_run_is_reported_with_who_started_it_and_every_task_it_deleted_in_the_audit(self) -> None:
        ids = []
        for i in range(3):
            t = self.c.tasks.create(f"old-{i}", project=self.project)
            self.c.tasks.archive(t)
            ids.append(t.id)
        self.c.cleanup.update_settings(projects=self.project, delete_threshold_days=0, force_delete=False)

        run = self.c.cleanup.run()

        report = self.c.cleanup.run_report(run.id)
        self.assertEqual(report.trigger, "api")
        self.assertTrue(report.started_by)
        self.assertEqual(sorted(a.task_id for a in self.c.cleanup.deleted(run.id, page_size=2)), sorted(ids))
        lines = list(self.c.audit(run=run.id, page_size=2))
        self.assertEqual(sorted(a.task_id for a in lines), sorted(ids))
        self.assertTrue(all(a.run_id == run.id and a.action == "delete-task" for a in lines))
        self.assertEqual([a.task_id for a in self.c.audit(task=ids[0])], [ids[0]])
        hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
        self.assertGreaterEqual(len(list(self.c.audit(since=hour_ago, run=run.id))), 3)

    def test_the_forecast_says_what_would_go_today_and_later_and_deletes_nothing(self) -> None:
        t = self.c.tasks.create("young", project=self.project)
        self.c.tasks.upload(t, io.BytesIO(b"m" * 100), name="m.bin")
        self.c.tasks.archive(t)
        self.c.cleanup.update_settings(projects=self.project, delete_threshold_days=5, force_delete=False)

        forecast = self.c.cleanup.forecast(days=10)

        self.assertEqual([h.days for h in forecast.horizons], [0, 7, 10])
        self.assertEqual(forecast.horizons[0].tasks, 0)
        self.assertEqual(forecast.horizons[1].tasks, 1)
        self.assertEqual(forecast.horizons[1].projects, {self.project: 100})
        self.assertTrue(self.c.tasks.exists(t))


if __name__ == "__main__":
    unittest.main()
