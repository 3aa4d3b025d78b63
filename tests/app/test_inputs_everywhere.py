"""Every text input of the app is one of `screens.inputs`, so every one takes keys in order."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from screens.inputs import OrderedInput, OrderedTextArea

SCREENS = Path(__file__).resolve().parents[2] / "screens"
TEXTUAL_EDITORS = {"Input", "TextArea", "MaskedInput"}
ALLOWED_MODULES = {"inputs.py", "upstream.py"}


def textual_names(tree: ast.Module) -> dict[str, str]:
    """Local names bound to Textual's own text widgets in a module (`Input`, or an alias)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual.widgets"):
            for alias in node.names:
                if alias.name in TEXTUAL_EDITORS:
                    names[alias.asname or alias.name] = alias.name
    return names


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = textual_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in names or (isinstance(func, ast.Attribute) and name in TEXTUAL_EDITORS):
                found.append(f"{path.name}:{node.lineno} builds Textual's {name}")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
                if name in names:
                    found.append(f"{path.name}:{node.lineno} {node.name} subclasses Textual's {name}")
    return found


@pytest.mark.parametrize("path", sorted(SCREENS.glob("*.py")), ids=lambda p: p.name)
def test_no_screen_builds_textual_inputs_directly(path):
    if path.name in ALLOWED_MODULES:
        return
    assert offences(path) == []


def test_the_check_catches_a_plain_input(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from textual.widgets import Input, TextArea as Editor\n"
        "class Mine(Input):\n    pass\n"
        "def compose():\n    yield Input()\n    yield Editor()\n"
    )
    assert len(offences(bad)) == 3


def test_the_bases_are_textual_widgets():
    assert issubclass(OrderedInput, Input) and issubclass(OrderedTextArea, TextArea)


def test_every_input_on_the_app_s_screens_is_ordered(config, clock):
    """At run time too: walk every screen and dialog the app builds in a short meeting."""
    import asyncio

    from tests.app.flows import every_screen

    seen = asyncio.run(every_screen(config, clock))
    editors = [w for w in seen if isinstance(w, (Input, TextArea))]
    assert editors, "no input was seen: the walk did not reach the forms"
    plain = {type(w).__name__ for w in editors if not isinstance(w, (OrderedInput, OrderedTextArea))}
    # The command palette's input is Textual's own; the key router keeps its keys in order.
    assert plain <= {"CommandInput"}, plain
