"""Holds, single-artifact deletes and the live progress of a cleanup run, against a real server."""

from __future__ import annotations

import io
import unittest
from datetime import datetime, timedelta, timezone

from support import client, unique

from reclaim_client import Artifact, HoldTarget, ReclaimError, Task


class Holds(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()
        self.project = unique("holds")
        self.stored = self.c.cleanup.settings()
        self.addCleanup(self.c.cleanup.update_settings, self.stored.settings)

    def _task_with_artifact(self, name: str, size: int = 100) -> tuple[Task, Artifact]:
        task = self.c.tasks.create(name, project=self.project)
        artifact = self.c.tasks.upload(task, io.BytesIO(b"h" * size), name=f"{name}.bin")
        return task, artifact

    def test_hold_list_and_release_a_task_and_an_artifact(self) -> None:
        task, artifact = self._task_with_artifact("kept")
        other, _ = self._task_with_artifact("other")
        self.addCleanup(self.c.tasks.release, other)
        self.addCleanup(self.c.tasks.release_artifact, task, artifact)
        self.addCleanup(self.c.tasks.release, task)
        before = datetime.now(timezone.utc) - timedelta(minutes=5)

        held = self.c.tasks.hold(task, reason="paper figures")
        self.assertEqual((held.id, held.held, held.changed), (task.id, True, True))
        self.assertFalse(self.c.tasks.hold(task).changed)  # already held
        on_artifact = self.c.tasks.hold_artifact(task, artifact.id, reason="best checkpoint")
        self.assertEqual((on_artifact.id, on_artifact.held, on_artifact.changed), (artifact.id, True, True))
        self.c.tasks.hold(other)

        mine = {(h.target, h.id): h for h in self.c.holds(page_size=1) if h.task_id in (task.id, other.id)}
        self.assertEqual(set(mine), {(HoldTarget.TASK, task.id), (HoldTarget.ARTIFACT, artifact.id),
                                     (HoldTarget.TASK, other.id)})
        on_task = mine[(HoldTarget.TASK, task.id)]
        self.assertEqual((on_task.task_id, on_task.name, on_task.reason), (task.id, "kept", "paper figures"))
        self.assertTrue(on_task.held_by)
        assert on_task.held_at is not None
        self.assertGreater(on_task.held_at, before)
        self.assertEqual(mine[(HoldTarget.ARTIFACT, artifact.id)].task_id, task.id)
        self.assertEqual(mine[(HoldTarget.ARTIFACT, artifact.id)].reason, "best checkpoint")
        self.assertIsNone(mine[(HoldTarget.TASK, other.id)].reason)
        first = self.c.holds_page(limit=1)
        self.assertEqual(len(first.items), 1)
        self.assertIsNotNone(first.next_cursor)  # at least three holds: another page follows

        released = self.c.tasks.release(task, reason="published")
        self.assertEqual((released.id, released.held, released.changed), (task.id, False, True))
        self.assertFalse(self.c.tasks.release(task).changed)  # not held any more
        self.assertTrue(self.c.tasks.release_artifact(task, artifact).changed)
        left = {(h.target, h.id) for h in self.c.holds() if h.task_id in (task.id, other.id)}
        self.assertEqual(left, {(HoldTarget.TASK, other.id)})

    def test_a_held_task_is_not_deleted_by_a_cleanup(self) -> None:
        held, _ = self._task_with_artifact("held")
        free, _ = self._task_with_artifact("free")
        self.c.tasks.archive([held, free])
        self.c.tasks.hold(held)
        self.addCleanup(self.c.tasks.release, held)

        preview = self.c.cleanup.preview(projects=self.project, delete_threshold_days=0, force_delete=False)

        would = [i.task_id for i in preview.items if i.outcome == "WOULD_DELETE"]
        self.assertIn(free.id, would)
        self.assertNotIn(held.id, would)

    def test_delete_an_artifact_dry_run_first_then_for_real(self) -> None:
        task, artifact = self._task_with_artifact("ckpt", size=321)
        kept = self.c.tasks.upload(task, io.BytesIO(b"k" * 7), name="kept.bin")

        dry = self.c.tasks.delete_artifact(task, artifact, dry_run=True)
        self.assertEqual((dry.task_id, dry.deleted, dry.dry_run, dry.needs_force), (task.id, True, True, False))
        self.assertEqual((dry.artifact_ids, dry.objects, dry.bytes), ([artifact.id], 1, 321))
        self.assertIn(artifact.id, [a.id for a in self.c.tasks.artifacts(task)])  # nothing changed

        done = self.c.tasks.delete_artifact(task, artifact.id)
        self.assertEqual((done.deleted, done.dry_run, done.needs_force, done.error), (True, False, False, None))
        self.assertEqual((done.objects, done.bytes), (1, 321))
        self.assertEqual([a.id for a in self.c.tasks.artifacts(task)], [kept.id])  # the task and the rest stay
        self.assertTrue(self.c.tasks.exists(task))
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.delete_artifact(task, artifact)
        self.assertEqual((e.exception.status, e.exception.code), (404, "not_found"))

    def test_a_held_artifact_needs_force_which_releases_its_hold(self) -> None:
        task, artifact = self._task_with_artifact("guarded")
        self.c.tasks.hold_artifact(task, artifact)
        self.addCleanup(lambda: self.c.tasks.release_artifact(task, artifact) if self._live(task, artifact) else None)

        for dry_run in (True, False):
            with self.assertRaises(ReclaimError) as e:
                self.c.tasks.delete_artifact(task, artifact, dry_run=dry_run)
            self.assertEqual((e.exception.status, e.exception.code), (409, "needs_force"))
            refusal = e.exception.body["result"]
            self.assertTrue(refusal["needs_force"])
            self.assertFalse(refusal["deleted"])
        self.assertIn(artifact.id, [a.id for a in self.c.tasks.artifacts(task)])

        forced = self.c.tasks.delete_artifact(task, artifact, force=True)
        self.assertTrue(forced.deleted)
        self.assertEqual([a.id for a in self.c.tasks.artifacts(task)], [])
        self.assertNotIn(artifact.id, [h.id for h in self.c.holds()])

    def _live(self, task: Task, artifact: Artifact) -> bool:
        return artifact.id in [a.id for a in self.c.tasks.artifacts(task)]

    def test_an_artifact_of_a_held_task_needs_force(self) -> None:
        task, artifact = self._task_with_artifact("held-task")
        self.c.tasks.hold(task)
        self.addCleanup(self.c.tasks.release, task)
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.delete_artifact(task, artifact)
        self.assertEqual((e.exception.status, e.exception.code), (409, "needs_force"))

    def test_the_preview_adds_up_what_it_would_delete_per_project_and_rule(self) -> None:
        for i in range(2):
            t, _ = self._task_with_artifact(f"old-{i}", size=50)
            self.c.tasks.archive(t)

        preview = self.c.cleanup.preview(projects=self.project, delete_threshold_days=0, force_delete=False)

        self.assertTrue(preview.groups)
        self.assertEqual({g.project for g in preview.groups}, {self.project})
        self.assertTrue(all(g.rule for g in preview.groups))
        self.assertEqual(sum(g.tasks for g in preview.groups), preview.deleted)
        self.assertEqual(sum(g.bytes for g in preview.groups), preview.bytes)
        self.assertEqual(preview.deleted, 2)
        self.assertEqual(preview.bytes, 100)

    def test_progress_follows_a_run_to_its_end(self) -> None:
        first = self.c.cleanup.progress()
        self.assertIn(first.phase, ("IDLE", "STARTING", "RUNNING", "FINISHING", "DONE", "FAILED"))
        t, _ = self._task_with_artifact("gone", size=64)
        self.c.tasks.archive(t)
        self.c.cleanup.update_settings(projects=self.project, delete_threshold_days=0, force_delete=False)

        run = self.c.cleanup.run()

        progress = self.c.cleanup.progress()
        self.assertEqual((progress.phase, progress.run_id), ("DONE", run.id))
        self.assertFalse(progress.active)
        self.assertTrue(progress.candidates_complete)
        self.assertEqual((progress.candidates, progress.deleted, progress.skipped, progress.failed),
                         (run.candidates, run.deleted, run.skipped, run.failed))
        self.assertEqual((progress.objects, progress.bytes), (run.objects, run.bytes))
        self.assertEqual(progress.done, run.deleted + run.skipped + run.failed)
        self.assertEqual((progress.deleted, progress.bytes), (1, 64))
        self.assertTrue(progress.started_by)
        assert progress.started_at is not None and progress.ended_at is not None
        self.assertLessEqual(progress.started_at, progress.ended_at)
        self.assertIsNone(progress.error)


if __name__ == "__main__":
    unittest.main()
