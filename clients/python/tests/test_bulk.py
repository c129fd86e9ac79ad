"""Bulk writes against a real server: batch create, registration by reference, uploads, metrics."""

from __future__ import annotations

import hashlib
import io
import tempfile
import unittest
from pathlib import Path

from support import client, store_root, unique

from reclaim_client import ArtifactKind, ArtifactRef, ReclaimError


class BatchCreate(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()

    def test_tasks_are_created_in_order_all_or_none(self) -> None:
        project = unique("bulk")
        ids = self.c.tasks.create_many([{"name": "a", "project": project, "tags": ["x"], "params": {"lr": 0.1}},
                                        {"name": "b", "project": project, "status": "completed"}])
        for i in ids:
            self.addCleanup(self.c.tasks.delete, i, force=True)
        self.assertEqual(len(ids), 2)
        self.assertEqual(self.c.tasks.get(ids[0]).params, {"lr": "0.1"})
        self.assertEqual([t.name for t in self.c.tasks.list(projects=project, order_by="name")], ["a", "b"])

        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.create_many([{"name": "c", "project": project}, {"name": " bad", "project": project}])
        self.assertEqual((e.exception.status, e.exception.body["index"]), (400, 1))
        self.assertEqual(len(list(self.c.tasks.list(projects=project))), 2, "a bad item creates nothing")

    def test_a_batch_over_the_limit_is_refused_before_sending(self) -> None:
        with self.assertRaises(ValueError):
            self.c.tasks.create_many([{"name": "x"}] * 10_001)


class Artifacts(unittest.TestCase):
    def setUp(self) -> None:
        self.c = client()
        self.task = self.c.tasks.create(unique("bulk-artifacts"))
        self.addCleanup(self.c.tasks.delete, self.task, force=True)

    def test_an_upload_from_a_path_or_a_file_object_is_stored_with_its_checksum_and_metrics(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            ckpt = Path(d) / "epoch-1.ckpt"
            ckpt.write_bytes(b"weights" * 1000)
            a = self.c.tasks.upload(self.task, ckpt, name="ckpt/epoch-1.ckpt", metrics={"val_loss": 0.5})
        self.assertEqual((a.kind, a.name, a.size_bytes, a.metrics), (ArtifactKind.MODEL, "ckpt/epoch-1.ckpt", 7000,
                                                                     {"val_loss": 0.5}))
        self.assertEqual(self.c.tasks.download(a), b"weights" * 1000)

        b = self.c.tasks.upload(self.task, io.BytesIO(b"log line\n"), name="train.log", kind="log")
        self.assertEqual((b.kind, b.size_bytes), (ArtifactKind.LOG, 9))
        listed = {x.name: x for x in self.c.tasks.artifacts(self.task)}
        self.assertEqual(listed["ckpt/epoch-1.ckpt"].metrics, {"val_loss": 0.5})
        self.assertEqual(listed["train.log"].metrics, {})

    def test_a_wrong_checksum_stores_nothing(self) -> None:
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.upload(self.task, io.BytesIO(b"abc"), name="x.bin", sha256="0" * 64)
        self.assertEqual((e.exception.status, e.exception.code), (422, "checksum_mismatch"))
        right = hashlib.sha256(b"abc").hexdigest()
        self.assertEqual(self.c.tasks.upload(self.task, io.BytesIO(b"abc"), name="x.bin", sha256=right).size_bytes, 3)

    def test_metrics_merge_and_bad_ones_are_refused(self) -> None:
        a = self.c.tasks.upload(self.task, io.BytesIO(b"m"), name="m.ckpt")
        self.assertEqual(self.c.tasks.set_metrics(a, {"val_loss": 0.3, "acc": 0.8}), {"acc": 0.8, "val_loss": 0.3})
        self.assertEqual(self.c.tasks.set_metrics(a, {"val_loss": 0.2}), {"acc": 0.8, "val_loss": 0.2})
        with self.assertRaises(ValueError):
            self.c.tasks.set_metrics(a, {"val_loss": float("nan")})
        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.set_metrics(a, {" padded": 1.0})
        self.assertEqual(e.exception.status, 400)

    def test_objects_are_registered_by_reference_all_or_none(self) -> None:
        folder = store_root() / "python-refs" / unique("run")
        folder.mkdir(parents=True)
        for i in (1, 2):
            (folder / f"epoch-{i}.ckpt").write_bytes(b"x" * i)
        refs = [ArtifactRef(self.task.id, str(folder / f"epoch-{i}.ckpt"), f"epoch-{i}.ckpt", metrics={"val_loss": 1.0 / i})
                for i in (1, 2)]
        done = self.c.tasks.register_artifacts(refs)
        self.assertEqual([(a.name, a.size_bytes, a.metrics) for a in done],
                         [("epoch-1.ckpt", 1, {"val_loss": 1.0}), ("epoch-2.ckpt", 2, {"val_loss": 0.5})])

        with self.assertRaises(ReclaimError) as e:
            self.c.tasks.register_artifacts([ArtifactRef(self.task.id, str(folder / "epoch-1.ckpt"), "again.ckpt"),
                                             ArtifactRef(self.task.id, str(folder / "missing.ckpt"), "missing.ckpt")])
        self.assertEqual((e.exception.status, e.exception.body["index"]), (400, 1))
        self.assertEqual(sorted(a.name for a in self.c.tasks.artifacts(self.task)), ["epoch-1.ckpt", "epoch-2.ckpt"])
        replaced = self.c.tasks.register_artifact(self.task, str(folder / "epoch-2.ckpt"), name="epoch-1.ckpt",
                                                  replace=True)
        self.assertEqual(replaced.size_bytes, 2)


if __name__ == "__main__":
    unittest.main()
