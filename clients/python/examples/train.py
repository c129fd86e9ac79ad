"""Train a small model as a Reclaim job, registering each checkpoint with its validation loss.

    python3 examples/train.py --url http://127.0.0.1:8080 --token "$TOKEN" --epochs 5

Today's HTTP API has no upload route and no metrics on artifacts, so the simplest way to register
a checkpoint is to train inside a job: every file the job writes under ``$RECLAIM_OUTPUT/models``
becomes a MODEL artifact of the job's task when the job ends, and the job's ``result.json`` (its
result) records each checkpoint's validation loss by name. This script is both halves:

- run as above, it submits itself as a command job (its own source through ``python3 -c``, so a
  worker on any machine with Python runs it, without this file or the client installed there),
  waits, hands back the results without cleaning up, and prints each checkpoint's MODEL
  artifact with its validation loss;
- run by the worker with ``--in-job``, it is the training loop: a linear model fitted by
  stochastic gradient descent on synthetic data, standard library only, one checkpoint per epoch.

The checkpoints stay in Reclaim as the job's MODEL artifacts; ``--cleanup`` deletes the job and
them at the end instead. ``RECLAIM_URL`` and ``RECLAIM_TOKEN`` stand in for ``--url``/``--token``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------------------------
# Inside the job: the training loop. Standard library only: the worker has nothing else.
# ---------------------------------------------------------------------------------------------


def make_data(n: int, rng: random.Random) -> list[tuple[float, float]]:
    """Points of y = 3x - 1 with noise."""
    return [(x, 3.0 * x - 1.0 + rng.gauss(0.0, 0.1)) for x in (rng.uniform(-1.0, 1.0) for _ in range(n))]


def mse(w: float, b: float, data: list[tuple[float, float]]) -> float:
    return sum((w * x + b - y) ** 2 for x, y in data) / len(data)


def train(epochs: int, lr: float, out: Path) -> None:
    """One checkpoint per epoch under ``out/models``; their validation losses in ``out/result.json``."""
    rng = random.Random(7)
    train_set, val_set = make_data(200, rng), make_data(50, rng)
    w, b = 0.0, 0.0
    checkpoints: list[dict[str, Any]] = []
    (out / "models").mkdir(parents=True, exist_ok=True)
    for epoch in range(1, epochs + 1):
        rng.shuffle(train_set)
        for x, y in train_set:
            err = w * x + b - y
            w -= lr * 2 * err * x
            b -= lr * 2 * err
        val_loss = mse(w, b, val_set)
        name = f"epoch-{epoch:03d}.ckpt"
        # Registering the checkpoint: a file under models/ becomes a MODEL artifact of this job.
        (out / "models" / name).write_text(json.dumps({"epoch": epoch, "w": w, "b": b}) + "\n", encoding="utf-8")
        checkpoints.append({"name": name, "epoch": epoch, "val_loss": val_loss})
        # ... and its validation loss goes into the job's result, rewritten after every epoch so a
        # job that stops early still says what each checkpoint it left scored.
        best = min(checkpoints, key=lambda c: float(c["val_loss"]))
        result = {"checkpoints": checkpoints, "best": best["name"], "best_val_loss": best["val_loss"]}
        (out / "result.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"epoch {epoch}: train_loss {mse(w, b, train_set):.6f} val_loss {val_loss:.6f} -> models/{name}",
              flush=True)


# ---------------------------------------------------------------------------------------------
# On your machine: submit the job, then read the checkpoints back with their validation losses.
# ---------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the client, when not installed
    from reclaim_client import ArtifactKind, Client, JobStatus

    client = Client(args.url, token=args.token or None)
    source = Path(__file__).read_text(encoding="utf-8")
    command = [args.python, "-c", source, "--in-job", "--epochs", str(args.epochs), "--lr", str(args.lr)]
    job = client.jobs.submit(command, name=args.name, project=args.project, queue=args.queue,
                             auto_cleanup=False, timeout=args.timeout)
    if job.status is not JobStatus.FINISHED:
        print(f"job {job.id} is {job.status}; its console:\n{client.jobs.output(job)}", file=sys.stderr)
        return 1

    # Hand back the results, keeping the job: the checkpoints are what it is for.
    results = client.jobs.results(job, auto_cleanup=False)
    val_loss = {c["name"]: c["val_loss"] for c in results.result["checkpoints"]}
    models = [a for a in client.tasks.artifacts(job) if a.kind is ArtifactKind.MODEL]
    rows = [{"name": a.name, "artifact_id": a.id, "size_bytes": a.size_bytes, "val_loss": val_loss.get(a.name)}
            for a in sorted(models, key=lambda a: a.name)]
    summary = {"job_id": job.id, "checkpoints": rows, "best": results.result["best"],
               "best_val_loss": results.result["best_val_loss"]}

    if args.json:
        if args.cleanup:
            client.jobs.cleanup_jobs(job, verbose=False)  # results were retrieved: no force needed
            summary["cleaned_up"] = True
        print(json.dumps(summary, indent=2))
        return 0
    print(f"job {job.id} finished; its task holds {len(rows)} checkpoint(s) as MODEL artifacts:")
    print(f"  {'checkpoint':<16} {'val_loss':>10} {'bytes':>6}  artifact")
    for r in rows:
        print(f"  {r['name']:<16} {r['val_loss']:>10.6f} {r['size_bytes']:>6}  {r['artifact_id']}")
    print(f"best: {summary['best']} (val_loss {summary['best_val_loss']:.6f})", flush=True)
    if args.cleanup:
        client.jobs.cleanup_jobs(job)  # results were retrieved: no force needed; prints what it deletes
    else:
        print(f"delete them with: client.jobs.cleanup_jobs({job.id!r})")
    return 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--url", default=os.environ.get("RECLAIM_URL", "http://127.0.0.1:8080"), help="the server")
    p.add_argument("--token", default=os.environ.get("RECLAIM_TOKEN"), help="an operator or admin API token")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--name", default="train-example", help="the job's name")
    p.add_argument("--project", default="examples")
    p.add_argument("--queue", default=None, help="the queue whose worker runs it (default: default)")
    p.add_argument("--python", default="python3", help="the Python the worker runs the training with")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for the job")
    p.add_argument("--cleanup", action="store_true", help="delete the job and its checkpoints at the end")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument("--in-job", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.epochs < 1:
        p.error("--epochs must be at least 1")
    if args.in_job:
        out = os.environ.get("RECLAIM_OUTPUT")
        if not out:
            p.error("--in-job runs inside a Reclaim job, which sets RECLAIM_OUTPUT")
        train(args.epochs, args.lr, Path(out))
        return 0
    try:
        return run(args)
    except Exception as e:  # a ReclaimError says what is wrong and how to proceed: no traceback needed
        if type(e).__name__ != "ReclaimError":
            raise
        print(f"train.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
