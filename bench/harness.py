"""What every benchmark shares: settings, statistics, result rows and the table.

A metric is a function `run(settings) -> list[Row]`. Each row holds what
facilitate measured, the baseline measured in the same run (when the target
is relative to one), the target, and whether it was met. The table is printed
with Rich and written under bench/results/ as JSON and markdown.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"


@dataclass
class Settings:
    """How big and how often: the full run, or the quick one CI keeps working."""

    quick: bool = False
    meetings: int = 10_000
    """The big archive's size (issue 7: 10,000)."""
    reps: int = 7
    """Repetitions of whole-process and whole-archive timings (medians are reported)."""
    captures: int = 1_000
    keys: int = 200
    timer_seconds: float = 120.0
    export_reps: int = 2
    work: Path = CACHE / "work"
    """Scratch folder on the same disk as a real archive (not a tmpfs): fsync must mean something."""
    log: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))
    scratch_folders: list[Path] = field(default_factory=list)
    """Folders the benchmarks made under `work` (removed at the end unless kept)."""

    @classmethod
    def make(cls, quick: bool, meetings: int | None = None, timer_seconds: float | None = None) -> Settings:
        if quick:
            settings = cls(quick=True, meetings=1_000, reps=3, captures=300, keys=60, timer_seconds=10.0, export_reps=1)
        else:
            settings = cls()
        if meetings is not None:
            settings.meetings = meetings
        if timer_seconds is not None:
            settings.timer_seconds = timer_seconds
        return settings


# -- statistics ---------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value at or above p% of the samples."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


class Stopwatch:
    """`with Stopwatch() as watch: ...` then `watch.seconds`."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = math.nan
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


# -- results ------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table."""

    metric: str
    value: float
    unit: str
    """"s", "ms", "MB" or "" (a count)."""
    target: str
    """The target in words: "≤ 1.3× bare", "≤ 5 ms"..."""
    ok: bool | None
    """True met, False missed, None for information only."""
    baseline: float | None = None
    baseline_name: str = ""
    ratio: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "MISS", None: "info"}[self.ok]


def row(
    metric: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    max_ratio: float | None = None,
    max_value: float | None = None,
    target: str = "",
    note: str = "",
) -> Row:
    """A row whose verdict follows from a ratio to the baseline and/or an absolute limit."""
    ratio = value / baseline if baseline not in (None, 0) and not math.isnan(value) else None
    checks = []
    words = []
    if max_ratio is not None:
        checks.append(ratio is not None and ratio <= max_ratio)
        words.append(f"≤ {max_ratio:g}× {baseline_name or 'baseline'}")
    if max_value is not None:
        checks.append(not math.isnan(value) and value <= max_value)
        words.append(f"≤ {fmt(max_value, unit)}")
    ok = all(checks) if checks else None
    return Row(
        metric=metric,
        value=value,
        unit=unit,
        target=target or " and ".join(words) or "–",
        ok=ok,
        baseline=baseline,
        baseline_name=baseline_name,
        ratio=ratio,
        note=note,
    )


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and math.isnan(value):
        return "n/a"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}".strip()


def baseline_text(r: Row) -> str:
    if r.baseline is None:
        return "–"
    name = f" ({r.baseline_name})" if r.baseline_name else ""
    return fmt(r.baseline, r.unit) + name


def ratio_text(r: Row) -> str:
    return "–" if r.ratio is None else f"{r.ratio:.2f}×"


HEADERS = ("Metric", "facilitate", "Baseline (same run)", "Ratio", "Target", "Result")


def cells(r: Row) -> tuple[str, ...]:
    return (r.metric, fmt(r.value, r.unit), baseline_text(r), ratio_text(r), r.target, r.verdict)


def print_table(rows: list[Row], title: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", show_lines=False)
    for header in HEADERS:
        table.add_column(header, justify="right" if header in ("facilitate", "Ratio") else "left")
    style = {True: "green", False: "bold red", None: "dim"}
    for r in rows:
        *rest, verdict = cells(r)
        table.add_row(*(Text(c) for c in rest), Text(verdict, style=style[r.ok]))
    terminal = Console()
    # Piped (CI, a file): wide enough that no cell wraps, so each row stays one line to grep.
    console = Console(width=max(120, terminal.width) if terminal.is_terminal else 220)
    console.print(table)
    notes = [r for r in rows if r.note]
    for r in notes:
        console.print(Text(f"· {r.metric}: {r.note}", style="dim"))


def markdown(rows: list[Row], title: str) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [f"**{escape(title)}**", "", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for r in rows:
        lines.append("| " + " | ".join(escape(c) for c in cells(r)) + " |")
    notes = [f"- {escape(r.metric)}: {escape(r.note)}" for r in rows if r.note]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def machine() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {platform.system()}"


def write_results(rows: list[Row], title: str, settings: Settings, folder: Path = RESULTS) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    kind = "quick" if settings.quick else "full"
    payload = {
        "title": title,
        "when": stamp,
        "machine": machine(),
        "settings": {k: v for k, v in asdict(settings).items() if k not in ("log", "work", "scratch_folders")},
        "rows": [{**asdict(r), "verdict": r.verdict} for r in rows],
    }
    json_path = folder / f"{kind}-{stamp}.json"
    md_path = folder / f"{kind}-{stamp}.md"
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(rows, title), encoding="utf-8")
    for name, path in ((f"{kind}-latest.json", json_path), (f"{kind}-latest.md", md_path)):
        (folder / name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return json_path, md_path
