from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

import pytest

from facilitate.clock import FakeClock
from facilitate.config import Config
from formats import load_library


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))


@pytest.fixture
def library():
    return load_library()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.json"


@pytest.fixture
def config(db_path: Path, clock: FakeClock) -> Config:
    return Config(
        db_path=db_path,
        clock=clock,
        user_formats=None,
        rng=random.Random(7),
        bell=False,
        animate=False,
    )
