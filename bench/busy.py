"""The test suite on a busy machine: one busy loop per core while pytest runs.

CI and a developer's laptop are often busy with something else; the suite
must pass all the same (its tests wait for effects, never for a time). This
check runs it with every core spinning:

    uv run python -m bench.busy                      # the default suite, once
    uv run python -m bench.busy --runs 3             # three times in a row, stopping at a failure
    uv run python -m bench.busy -- -q -x tests/proof # other pytest arguments after --

It prints each run's result and time, and exits with the first failing
run's status (0 when every run passed). The busy loops are its own child
processes and end with it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPIN = "while True: pass"


def busy_loops(count: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen([sys.executable, "-c", SPIN], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.busy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="how many runs in a row (default 1)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2, help="busy loops (default: one per core)")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --); default -q -x")
    args = parser.parse_args(argv)
    pytest_args = args.pytest_args or ["-q", "-x"]
    spinners = busy_loops(args.cores)
    results: list[tuple[int, float]] = []
    try:
        for number in range(1, args.runs + 1):
            print(f"busy run {number}/{args.runs}: pytest {' '.join(pytest_args)} with {args.cores} busy loops", flush=True)
            started = time.monotonic()
            code = subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT)
            results.append((code, time.monotonic() - started))
            print(f"busy run {number}: {'passed' if code == 0 else f'FAILED (exit {code})'} in {results[-1][1]:.0f} s", flush=True)
            if code != 0:
                break
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait()
    passed = sum(1 for code, _ in results if code == 0)
    print(f"{passed} of {args.runs} busy runs passed: " + ", ".join(f"{'green' if c == 0 else 'red'} {s:.0f} s" for c, s in results))
    return next((code for code, _ in results if code != 0), 0)


if __name__ == "__main__":
    sys.exit(main())
