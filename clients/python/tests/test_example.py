"""examples/train.py against a real server: each checkpoint registered with its validation loss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unittest

from support import PYTHON_ROOT, client, server, unique

from reclaim_client import ArtifactKind, JobStatus

TRAIN = PYTHON_ROOT / "examples" / "train.py"


def run_example(*args: str) -> subprocess.CompletedProcess[str]:
    url, token = server()
    env = dict(os.environ, RECLAIM_URL=url, RECLAIM_TOKEN=token or "")
    return subprocess.run([sys.executable, str(TRAIN), *args], env=env, capture_output=True, text=True, timeout=300)


class TrainExample(unittest.TestCase):
    def test_each_checkpoint_is_a_model_artifact_with_its_validation_loss(self) -> None:
        c = client()
        project = unique("examples")
        done = run_example("--epochs", "4", "--project", project, "--json")
        self.assertEqual(done.returncode, 0, done.stderr + done.stdout)
        summary = json.loads(done.stdout)
        job = summary["job_id"]
        self.addCleanup(lambda: c.jobs.cleanup_jobs(job, verbose=False))

        names = [f"epoch-{i:03d}.ckpt" for i in range(1, 5)]
        self.assertEqual([r["name"] for r in summary["checkpoints"]], names)
        losses = [r["val_loss"] for r in summary["checkpoints"]]
        self.assertTrue(all(isinstance(v, float) and v > 0 for v in losses))
        self.assertEqual(losses, sorted(losses, reverse=True), "the toy model learns")
        self.assertEqual(summary["best"], "epoch-004.ckpt")

        # What the server holds: the job's task with one MODEL artifact per checkpoint ...
        task = c.tasks.get(job)
        self.assertEqual(task.project, project)
        models = {a.name: a for a in c.tasks.artifacts(job) if a.kind is ArtifactKind.MODEL}
        self.assertEqual(sorted(models), names)
        self.assertEqual({r["artifact_id"] for r in summary["checkpoints"]}, {a.id for a in models.values()})
        weights = json.loads(c.tasks.download(models["epoch-004.ckpt"]) or b"")
        self.assertEqual(weights["epoch"], 4)
        # ... and the job's result, which maps each checkpoint to its validation loss.
        result = c.jobs.results(job, auto_cleanup=False).result
        self.assertEqual({x["name"]: x["val_loss"] for x in result["checkpoints"]}, dict(zip(names, losses)))
        self.assertIn("val_loss", c.jobs.output(job))

    def test_cleanup_deletes_the_job_and_its_checkpoints_without_force(self) -> None:
        c = client()
        done = run_example("--epochs", "2", "--cleanup")
        self.assertEqual(done.returncode, 0, done.stderr + done.stdout)
        self.assertIn("epoch-002.ckpt", done.stdout)
        self.assertIn("best: epoch-002.ckpt", done.stdout)
        job = next(line.split()[1] for line in done.stdout.splitlines() if line.startswith("job ") and "finished" in line)
        self.assertIn(f"deleted record task {job}", done.stdout)
        self.assertIs(c.jobs.status(job), JobStatus.MISSING)

    def test_a_server_it_cannot_reach_is_one_line_not_a_traceback(self) -> None:
        env = dict(os.environ, RECLAIM_URL="http://127.0.0.1:9", RECLAIM_TOKEN="")
        done = subprocess.run([sys.executable, str(TRAIN), "--epochs", "1"], env=env, capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(done.returncode, 1)
        self.assertIn("train.py: unreachable", done.stderr)
        self.assertNotIn("Traceback", done.stderr)


if __name__ == "__main__":
    unittest.main()
