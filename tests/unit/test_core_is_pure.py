"""The core never imports Textual or Rich: it must work (and start fast) without the UI."""

import subprocess
import sys

import pytest

CORE = [
    "facilitate",
    "facilitate.archive",
    "facilitate.archive_file",
    "facilitate.fastcheck",
    "facilitate.clock",
    "facilitate.config",
    "facilitate.dates",
    "facilitate.engine",
    "facilitate.live",
    "facilitate.lock",
    "facilitate.models",
    "facilitate.paths",
    "facilitate.people",
    "facilitate.planning",
    "facilitate.quickentry",
    "facilitate.review",
    "facilitate.session",
    "facilitate.summary",
    "facilitate.__main__",
    "facilitate.export.escape",
    "facilitate.export.markdown",
    "facilitate.export.slack",
    "facilitate.export.interchange",
    "facilitate.export.wiki",
    "facilitate.commands.export",
    "facilitate.commands.import_",
    "facilitate.commands.history",
    "facilitate.commands.actions",
    "formats",
    "bench.generate",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules or 'rich' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
