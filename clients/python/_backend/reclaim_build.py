"""A PEP 517 build backend in the standard library only, so that installing needs no download.

pip builds a package in an isolated environment holding what ``[build-system] requires`` names;
with setuptools there, ``pip install ./clients/python`` would fetch setuptools from an index.
This backend needs nothing: it zips ``reclaim_client/`` into a wheel (``build_wheel``), points an
editable install at the source (``build_editable``) and packs the source (``build_sdist``).
Metadata comes from the ``[project]`` table of ``pyproject.toml``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "reclaim_client"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # reproducible archives


def _project() -> Dict[str, str]:
    """name, version, description and requires-python of the [project] table (simple "key = value" lines)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None:
        raise RuntimeError("pyproject.toml has no [project] table")
    fields = dict(re.findall(r'^([a-z-]+)\s*=\s*"([^"]*)"\s*$', section.group(1), re.M))
    for key in ("name", "version", "description", "requires-python"):
        if key not in fields:
            raise RuntimeError(f"pyproject.toml [project] needs {key} = \"...\"")
    return fields


def _dist_name(p: Dict[str, str]) -> str:
    return re.sub(r"[-_.]+", "_", p["name"]).lower()


def _metadata(p: Dict[str, str]) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {p['name']}\n"
        f"Version: {p['version']}\n"
        f"Summary: {p['description']}\n"
        f"Requires-Python: {p['requires-python']}\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Typing :: Typed\n"
        "Description-Content-Type: text/markdown\n"
        "\n" + readme
    )


def _package_files() -> List[Path]:
    files = []
    for path in sorted((ROOT / PACKAGE).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".typed"):
            files.append(path)
    return files


class _Wheel:
    def __init__(self, directory: str, p: Dict[str, str]) -> None:
        self.dist_info = f"{_dist_name(p)}-{p['version']}.dist-info"
        self.name = f"{_dist_name(p)}-{p['version']}-py3-none-any.whl"
        self.path = os.path.join(directory, self.name)
        self.zip = zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED)
        self.records: List[str] = []

    def add(self, arcname: str, data: bytes) -> None:
        info = zipfile.ZipInfo(arcname, _FIXED_TIME)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        self.records.append(f"{arcname},sha256={digest},{len(data)}")

    def close(self, p: Dict[str, str]) -> str:
        self.add(f"{self.dist_info}/METADATA", _metadata(p).encode("utf-8"))
        self.add(f"{self.dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: reclaim_build\nRoot-Is-Purelib: true\n"
                                            b"Tag: py3-none-any\n")
        record = f"{self.dist_info}/RECORD"
        self.records.append(f"{record},,")
        info = zipfile.ZipInfo(record, _FIXED_TIME)
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, ("\n".join(self.records) + "\n").encode("utf-8"))
        self.zip.close()
        return self.name


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None,
                metadata_directory: Optional[str] = None) -> str:
    p = _project()
    wheel = _Wheel(wheel_directory, p)
    for path in _package_files():
        wheel.add(path.relative_to(ROOT).as_posix(), path.read_bytes())
    return wheel.close(p)


def build_editable(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None,
                   metadata_directory: Optional[str] = None) -> str:
    """A wheel holding a .pth file that puts this folder on sys.path: edits apply without reinstalling."""
    p = _project()
    wheel = _Wheel(wheel_directory, p)
    wheel.add(f"__editable__.{_dist_name(p)}.pth", (str(ROOT) + "\n").encode("utf-8"))
    return wheel.close(p)


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    p = _project()
    base = f"{_dist_name(p)}-{p['version']}"
    name = f"{base}.tar.gz"
    members = [ROOT / "pyproject.toml", ROOT / "README.md", Path(__file__).resolve(), *_package_files()]
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as tar:
        def add(arcname: str, data: bytes) -> None:
            info = tarfile.TarInfo(f"{base}/{arcname}")
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 1577836800
            tar.addfile(info, io.BytesIO(data))

        for path in members:
            add(path.relative_to(ROOT).as_posix(), path.read_bytes())
        add("PKG-INFO", _metadata(p).encode("utf-8"))
    return name
