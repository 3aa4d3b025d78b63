"""Run the benchmarks of issue 7 and print the table.

    uv run python -m bench              the full run: 10,000 meetings (about 15 minutes)
    uv run python -m bench --quick      small archives, fewer repetitions (what CI runs)
    uv run python -m bench --only startup,memory

Prints metric, facilitate, the baseline measured in the same run, the ratio,
the target, and pass or MISS; writes the same table as JSON and markdown under
bench/results/. Missing a target is reported, never an error: the exit status
is non-zero only when a benchmark could not run at all.
"""

from __future__ import annotations

import argparse
import importlib
import math
import shutil
import sys
import time
import traceback
from pathlib import Path

from bench.harness import RESULTS, Row, Settings, machine, print_table, write_results
from bench.metrics import ORDER


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small archives and fewer repetitions (CI)")
    parser.add_argument("--meetings", type=int, help="size of the big archive (default 10,000; 1,000 with --quick)")
    parser.add_argument("--only", help=f"comma-separated metrics, from: {', '.join(ORDER)}")
    parser.add_argument("--timer-seconds", type=float, help="length of the real timer run (120; 10 with --quick)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the table (bench/results/)")
    parser.add_argument("--scratch", type=Path, help="scratch folder for archives being written (bench/.cache/work/)")
    parser.add_argument("--no-write", action="store_true", help="do not write the results")
    parser.add_argument("--keep", action="store_true", help="keep the scratch archives and exports afterwards")
    args = parser.parse_args(argv)
    chosen = ORDER if not args.only else [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ORDER]
    if unknown:
        parser.error(f"unknown metric {', '.join(unknown)}; choose from {', '.join(ORDER)}")
    settings = Settings.make(args.quick, args.meetings, args.timer_seconds)
    if args.scratch is not None:
        settings.work = args.scratch

    rows: list[Row] = []
    failed = []
    started = time.perf_counter()
    for name in chosen:
        settings.log(f"· {name}…")
        begun = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.metrics.{name}")
            rows += module.run(settings)
        except Exception:
            failed.append(name)
            traceback.print_exc()
            rows.append(Row(metric=f"{name}: could not run (see the error above)", value=math.nan, unit="",
                            target="–", ok=False))  # fmt: skip
        settings.log(f"  {name} took {time.perf_counter() - begun:.0f} s")
    if not args.keep:
        # Copies of the big archive and exported wikis: hundreds of megabytes.
        for folder in settings.scratch_folders:
            shutil.rmtree(folder, ignore_errors=True)
    kind = "quick run: the targets are set for 10,000 meetings" if settings.quick else "full run"
    title = (
        f"facilitate benchmarks ({kind}, {settings.meetings:,}-meeting archive; {machine()}; "
        f"{time.perf_counter() - started:.0f} s)"
    )
    print_table(rows, title)
    if not args.no_write:
        json_path, md_path = write_results(rows, title, settings, args.results)
        print(f"Written {md_path} and {json_path.name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
