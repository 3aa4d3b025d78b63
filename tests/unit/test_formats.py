"""Format files: every built-in validates; broken files are reported, and the rest still load."""

from pathlib import Path

import pytest

from formats import FormatError, builtin_dir, load_format, load_library

BUILTIN = sorted(builtin_dir().glob("*.toml"))


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_built_in_format_validates(path):
    fmt = load_format(path, source="built-in")
    assert fmt.id == path.stem
    assert fmt.name and fmt.description and fmt.guidance
    segment = fmt.segment()
    assert segment.planned == fmt.minutes * 60


def test_the_library_has_the_meeting_runner_formats():
    library = load_library()
    assert {"check-in", "round", "open-conversation", "break", "check-out"} <= set(library.formats)
    assert library.errors == []


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


GOOD = 'id = "walk"\nname = "Walk and talk"\nkind = "timer"\ndescription = "Pairs walk"\nminutes = 20\nguidance = "Go outside"\n'


def test_a_users_format_appears_beside_the_built_ins(tmp_path):
    write(tmp_path, "walk.toml", GOOD)
    library = load_library(tmp_path)
    assert library["walk"].source.endswith("walk.toml")
    assert "check-in" in library


def test_a_format_written_with_the_old_name_summary_still_loads(tmp_path):
    path = write(tmp_path, "walk.toml", GOOD.replace("description =", "summary ="))
    assert load_format(path).description == "Pairs walk"


def test_a_users_format_replaces_a_built_in_with_its_id(tmp_path):
    write(tmp_path, "mine.toml", GOOD.replace('"walk"', '"break"'))
    library = load_library(tmp_path)
    assert library["break"].name == "Walk and talk"
    assert "break" in library.replaced


@pytest.mark.parametrize(
    "text,line,problem",
    [
        ('id = "x"\nname = "X"\nkind = "timer"\nminutes = \n', 4, "not valid TOML"),
        ('id = "x"\nname = "X"\nkind = "dance"\nminutes = 5\n', 3, "kind 'dance'"),
        ('id = "x"\nname = "X"\nkind = "timer"\nminutes = "five"\n', 4, "'minutes' must be a number"),
        ('id = "x"\nname = "X"\nkind = "round"\nminutes = 5\n', None, "seconds_per_person"),
        ('id = "X Y"\nname = "X"\nkind = "timer"\nminutes = 5\n', 1, "lower-case"),
        ('id = "x"\nname = "X"\nkind = "timer"\nminuts = 5\n', 4, "unknown setting 'minuts'"),
        (
            'id = "x"\nname = "X"\nkind = "phases"\nminutes = 5\n[[phases]]\nname = "one"\n',
            5,
            "phase 1 (one) needs 'minutes'",
        ),
    ],
)
def test_broken_files_name_the_file_the_line_and_the_problem(tmp_path, text, line, problem):
    path = write(tmp_path, "broken.toml", text)
    write(tmp_path, "walk.toml", GOOD)
    library = load_library(tmp_path)
    assert "walk" in library and "check-in" in library
    [error] = library.errors
    assert isinstance(error, FormatError)
    assert error.path == str(path)
    assert error.line == line
    assert problem in str(error)


def test_not_utf8(tmp_path):
    write(tmp_path, "x.toml", "")
    (tmp_path / "x.toml").write_bytes(b"\xff\xfe")
    [error] = load_library(tmp_path).errors
    assert "UTF-8" in str(error)
