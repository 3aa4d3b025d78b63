"""Generated archives for the benchmarks, cached under bench/.cache/.

An archive is regenerated when the generator, the models or the archive's
file writer change (their source is part of the cache key), so a cached file
is always what `bench.generate` would write now. Benchmarks that write work on
a copy in a scratch folder, never on the cached file.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from bench.harness import BENCH, CACHE, ROOT, Settings

SOURCES = (BENCH / "generate.py", ROOT / "facilitate" / "models.py", ROOT / "facilitate" / "archive.py",
           ROOT / "facilitate" / "packing.py")


def _key() -> str:
    digest = hashlib.sha256()
    for path in SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def archive(meetings: int, settings: Settings, seed: int = 1) -> Path:
    """The cached archive of `meetings` meetings, generating it if needed."""
    from bench.generate import write_archive

    CACHE.mkdir(parents=True, exist_ok=True)
    key = _key()
    path = CACHE / f"archive-{meetings}-s{seed}-{key}.json"
    if path.exists():
        return path
    for stale in CACHE.glob(f"archive-{meetings}-s{seed}-*.json"):
        stale.unlink()
    settings.log(f"generating an archive of {meetings:,} meetings (cached in {CACHE.name}/)…")
    write_archive(path, meetings, seed)
    return path


def scratch(settings: Settings, name: str) -> Path:
    """An empty scratch folder for one benchmark."""
    folder = settings.work / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, mode=0o700)
    settings.scratch_folders.append(folder)
    return folder


def copy_archive(source: Path, folder: Path) -> Path:
    """A private copy of an archive in `folder`, as facilitate would find its own file."""
    target = folder / "archive.json"
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


def size_mb(path: Path) -> float:
    return path.stat().st_size / 1e6
