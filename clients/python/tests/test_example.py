"""examples/train.py against a real server: each checkpoint registered with its validation loss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unittest

from support import PYTHON_ROOT, client, server, store_root, unique

from reclaim_client import ArtifactKind, ReclaimError, TaskStatus

TRAIN = PYTHON_ROOT / "examples" / "train.py"


def run_example(*args: str) -> subprocess.CompletedProcess[str]:
    url, token = server()
    env = dict(os.environ, RECLAIM_URL=url, RECLAIM_TOKEN=token or "")
    return subprocess.run([sys.executable, str(TRAIN), *args], env=env, capture_output=True, text=True, timeout=300)


class TrainExample(unittest.TestCase):
    def check(self, summary: dict[str, object], project: str) -> None:
        c = client()
        task = summary["task_id"]
        assert isinstance(task, str)
        self.addCleanup(c.tasks.delete, task, force=True)
        rows = summary["checkpoints"]
        assert isinstance(rows, list)
        names = [f"epoch-{i:03d}.ckpt" for i in range(1, 5)]
        self.assertEqual([r["name"] for r in rows], names)
        losses = [r["val_loss"] for r in rows]
        self.assertTrue(all(isinstance(v, float) and v > 0 for v in losses))
        self.assertEqual(losses, sorted(losses, reverse=True), "the toy model learns")
        self.assertEqual(summary["best"], "epoch-004.ckpt")

        # What the server holds: a completed task with one MODEL artifact per checkpoint and its loss.
        t = c.tasks.get(task)
        self.assertEqual((t.project, t.status), (project, TaskStatus.COMPLETED))
        models = {a.name: a for a in c.tasks.artifacts(task) if a.kind is ArtifactKind.MODEL}
        self.assertEqual(sorted(models), names)
        self.assertEqual({n: models[n].metrics["val_loss"] for n in names}, dict(zip(names, losses)))
        self.assertEqual(json.loads(c.tasks.download(models["epoch-004.ckpt"]) or b"")["epoch"], 4)

    def test_each_uploaded_checkpoint_carries_its_validation_loss(self) -> None:
        project = unique("examples")
        done = run_example("--epochs", "4", "--project", project, "--json")
        self.assertEqual(done.returncode, 0, done.stderr + done.stdout)
        self.check(json.loads(done.stdout), project)

    def test_checkpoints_in_a_store_are_registered_in_place_with_their_losses(self) -> None:
        folder = store_root() / "python-example" / unique("run")
        project = unique("examples")
        done = run_example("--epochs", "4", "--project", project, "--ref-dir", str(folder), "--json")
        self.assertEqual(done.returncode, 0, done.stderr + done.stdout)
        self.check(json.loads(done.stdout), project)

    def test_cleanup_deletes_the_task_and_its_checkpoints(self) -> None:
        c = client()
        done = run_example("--epochs", "2", "--cleanup", "--json")
        self.assertEqual(done.returncode, 0, done.stderr + done.stdout)
        summary = json.loads(done.stdout)
        self.assertEqual(summary["best"], "epoch-002.ckpt")
        with self.assertRaises(ReclaimError) as e:
            c.tasks.get(summary["task_id"])
        self.assertEqual(e.exception.status, 404)

    def test_a_server_it_cannot_reach_is_one_line_not_a_traceback(self) -> None:
        env = dict(os.environ, RECLAIM_URL="http://127.0.0.1:9", RECLAIM_TOKEN="")
        done = subprocess.run([sys.executable, str(TRAIN), "--epochs", "1"], env=env, capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(done.returncode, 1)
        self.assertIn("train.py: unreachable", done.stderr)
        self.assertNotIn("Traceback", done.stderr)


if __name__ == "__main__":
    unittest.main()
