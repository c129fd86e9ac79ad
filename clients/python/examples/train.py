"""Simulate training and register each checkpoint with its validation loss.

    python3 examples/train.py --url http://127.0.0.1:8080 --token "$TOKEN" --epochs 5

It creates a task, trains a linear model by stochastic gradient descent on synthetic data
(standard library only), writes one checkpoint per epoch and hands each to Reclaim with its
validation loss as the metric ``val_loss``:

- by default it **uploads** each checkpoint as it is written (streamed, with its SHA-256, so the
  server keeps nothing that arrived changed) and reports the metric with it;
- with ``--ref-dir DIR`` (a folder inside one of the server's artifact stores, e.g. a folder the
  operator added with ``reclaim stores add``) it writes the checkpoints there and **registers them
  in place**, all in one request at the end, each with its metric: nothing is copied.

At the end the task is marked completed and the best checkpoint printed. Retention by metric
("keep the best k checkpoints by val_loss") reads these metrics. ``--cleanup`` deletes the task
and its checkpoints at the end; ``--json`` prints a summary. ``RECLAIM_URL`` and ``RECLAIM_TOKEN``
stand in for ``--url``/``--token``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any


def make_data(n: int, rng: random.Random) -> list[tuple[float, float]]:
    """Points of y = 3x - 1 with noise."""
    return [(x, 3.0 * x - 1.0 + rng.gauss(0.0, 0.1)) for x in (rng.uniform(-1.0, 1.0) for _ in range(n))]


def mse(w: float, b: float, data: list[tuple[float, float]]) -> float:
    return sum((w * x + b - y) ** 2 for x, y in data) / len(data)


def run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the client, when not installed
    from reclaim_client import ArtifactRef, Client

    client = Client(args.url, token=args.token or None)
    task = client.tasks.create(args.name, project=args.project, params={"epochs": args.epochs, "lr": args.lr})
    rng = random.Random(7)
    train_set, val_set = make_data(200, rng), make_data(50, rng)
    w, b = 0.0, 0.0
    rows: list[dict[str, Any]] = []
    refs: list[ArtifactRef] = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(args.ref_dir) if args.ref_dir else Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        for epoch in range(1, args.epochs + 1):
            rng.shuffle(train_set)
            for x, y in train_set:
                err = w * x + b - y
                w -= args.lr * 2 * err * x
                b -= args.lr * 2 * err
            val_loss = mse(w, b, val_set)
            name = f"epoch-{epoch:03d}.ckpt"
            path = out / name
            path.write_text(json.dumps({"epoch": epoch, "w": w, "b": b}) + "\n", encoding="utf-8")
            if args.ref_dir:
                refs.append(ArtifactRef(task.id, str(path.resolve()), name, metrics={"val_loss": val_loss}))
                rows.append({"name": name, "val_loss": val_loss})
            else:
                a = client.tasks.upload(task, path, name=name, metrics={"val_loss": val_loss})
                rows.append({"name": name, "artifact_id": a.id, "size_bytes": a.size_bytes, "val_loss": val_loss})
            if not args.json:
                print(f"epoch {epoch}: train_loss {mse(w, b, train_set):.6f} val_loss {val_loss:.6f} -> {name}",
                      flush=True)
        if refs:  # one request, all or nothing
            for row, a in zip(rows, client.tasks.register_artifacts(refs)):
                row.update(artifact_id=a.id, size_bytes=a.size_bytes)
    client.tasks.set_status(task, "completed")
    best = min(rows, key=lambda r: float(r["val_loss"]))
    summary: dict[str, Any] = {"task_id": task.id, "checkpoints": rows, "best": best["name"],
                               "best_val_loss": best["val_loss"]}
    if args.cleanup:
        client.tasks.delete(task, force=True)
        summary["cleaned_up"] = True
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"task {task.id} holds {len(rows)} checkpoint(s) with their val_loss; best: {best['name']} "
          f"(val_loss {best['val_loss']:.6f})")
    print("deleted the task and its checkpoints" if args.cleanup
          else f"delete them with: client.tasks.delete({task.id!r}, force=True)", flush=True)
    return 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--url", default=os.environ.get("RECLAIM_URL", "http://127.0.0.1:8080"), help="the server")
    p.add_argument("--token", default=os.environ.get("RECLAIM_TOKEN"), help="an operator or admin API token")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--name", default="train-example", help="the task's name")
    p.add_argument("--project", default="examples")
    p.add_argument("--ref-dir", default=None, help="write checkpoints into this folder of a server artifact store and "
                                                   "register them in place instead of uploading them")
    p.add_argument("--cleanup", action="store_true", help="delete the task and its checkpoints at the end")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    args = p.parse_args(argv)
    if args.epochs < 1:
        p.error("--epochs must be at least 1")
    try:
        return run(args)
    except Exception as e:  # a ReclaimError says what is wrong and how to proceed: no traceback needed
        if type(e).__name__ != "ReclaimError":
            raise
        print(f"train.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
