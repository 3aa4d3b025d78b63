"""The core never imports Textual or Rich: it must work (and start fast) without the UI.

The import contracts in pyproject.toml (`lint-imports`) read the static graph and so
cannot see that the command line defers the app and its tables into the commands that
need them; these tests import each module in a fresh interpreter and look at
`sys.modules`, which proves the deferrals defer. The modules are found by walking the
packages, so a new core module is checked without anyone remembering to list it.
"""

import importlib
import pkgutil
import subprocess
import sys

import pytest

PACKAGES = ("facilitate", "formats")
EXTRA = ("bench.generate",)
"""Not in the core, but the core-only tests build their archives with it."""
FORBIDDEN = ("textual", "rich")


def modules_of(package: str) -> list[str]:
    root = importlib.import_module(package)
    return [package] + [info.name for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")]


CORE = [name for package in PACKAGES for name in modules_of(package)] + list(EXTRA)


def test_the_walk_finds_every_module():
    """Deep modules and the entry point included: a walk that stopped short would prove nothing."""
    for name in ("facilitate.__main__", "facilitate.export.wiki", "facilitate.commands.history", "formats.schema"):
        assert name in CORE
    assert len(CORE) >= 40


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual_or_rich(module):
    code = f"import sys, {module}; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"importing {module} loaded {result.stdout.strip()}"
