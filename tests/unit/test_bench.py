"""The benchmark command runs and prints its table. Timings are never asserted here."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness import Row, markdown, percentile, row

ROOT = Path(__file__).resolve().parents[2]


def run_bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--meetings", "20", "--timer-seconds", "1",
         "--results", str(tmp_path / "results"), "--scratch", str(tmp_path / "work"), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_quick_run_prints_the_table_and_writes_it(tmp_path):
    result = run_bench(tmp_path, "--only", "finish")
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for header in ("Metric", "facilitate", "Baseline", "Ratio", "Target", "Result"):
        assert header in out
    assert "Finish a meeting into 20 meetings" in out
    assert "json.dump + fsync" in out
    saved = json.loads((tmp_path / "results" / "quick-latest.json").read_text(encoding="utf-8"))
    metrics = [r["metric"] for r in saved["rows"]]
    assert len(metrics) == 1 and all(r["verdict"] in ("pass", "MISS", "info") for r in saved["rows"])
    assert all(not math.isnan(r["value"]) for r in saved["rows"])
    table = (tmp_path / "results" / "quick-latest.md").read_text(encoding="utf-8")
    assert table.count("\n| ") == 2  # the header and the row


def test_an_unknown_metric_is_refused(tmp_path):
    result = run_bench(tmp_path, "--only", "nonsense")
    assert result.returncode == 2
    assert "unknown metric nonsense" in result.stderr


@pytest.mark.slow
def test_every_metric_runs_in_quick_mode(tmp_path):
    result = run_bench(tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    saved = json.loads((tmp_path / "results" / "quick-latest.json").read_text(encoding="utf-8"))
    assert not any("could not run" in r["metric"] for r in saved["rows"])
    assert len(saved["rows"]) >= 12


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 99) == 99
    assert percentile(values, 50) == 50
    assert percentile([5.0], 95) == 5.0
    assert percentile(list(reversed(values)), 95) == 95


def test_verdicts_follow_ratio_and_limit():
    assert row("a", 1.2, "s", baseline=1.0, max_ratio=1.3).ok is True
    assert row("a", 1.4, "s", baseline=1.0, max_ratio=1.3).ok is False
    both = row("a", 6.0, "ms", baseline=4.0, max_ratio=2.0, max_value=5.0)
    assert both.ratio == 1.5 and both.ok is False and "≤ 5.00 ms" in both.target
    assert row("a", 3.0, "ms").ok is None


def test_markdown_escapes_pipes_in_cells():
    text = markdown([Row("a | b", 1.0, "s", "≤ 2 s", True)], "title")
    assert "a \\| b" in text
