"""The format schema: what a format file may say, checked with clear messages.

What is particular to a kind (the `[options]` it understands, what else it
needs, how a segment of it is built) is asked of the kind's unit through the
registry (`facilitate.kinds`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from facilitate import kinds
from facilitate.models import Phase, Segment, new_id

ORDERS = ("arrival", "shuffled")
BUILTIN = "built-in"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_TOP_KEYS = {
    "id", "name", "kind", "description", "guidance", "minutes", "seconds_per_person",
    "order", "prompt", "phases", "options", "room",
}  # fmt: skip
_RENAMED = {"summary": "description"}
"""Settings renamed since: a file that still uses the old name loads as before."""
_PHASE_KEYS = {"name", "minutes", "prompt", "guidance", "kind"}
PHASE_KINDS = ("", "round")


def builtin_dir() -> Path:
    return Path(__file__).parent


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    minutes: float
    prompt: str = ""
    guidance: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Format:
    """A meeting format as its file describes it."""

    id: str
    name: str
    kind: str
    description: str
    """One line saying what the format does, under its name in the format picker."""
    guidance: str
    minutes: float
    """Default length in minutes."""
    seconds_per_person: float | None = None
    order: str = "arrival"
    prompt: str = ""
    room: str = ""
    """Text to show large for the room (open space's principles, say)."""
    phases: tuple[PhaseSpec, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    source: str = BUILTIN
    """Where it came from: "built-in" or the path of the user's file."""

    def segment(
        self,
        *,
        minutes: float | None = None,
        per_person: float | None = None,
        prompt: str | None = None,
        name: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> Segment:
        """A new agenda segment of this format; `options` (a series' saved settings, say) override
        the format's own where they are valid for it, and a setting that is not is left out."""
        planned = (self.minutes if minutes is None else minutes) * 60
        merged = dict(self.options)
        if options:
            merged.update(valid_options(self.kind, options))
        segment = Segment(
            id=new_id(),
            format_id=self.id,
            name=name or self.name,
            kind=self.kind,
            planned=float(planned),
            per_person=per_person if per_person is not None else self.seconds_per_person,
            prompt=self.prompt if prompt is None else prompt,
            guidance=self.guidance,
            order=self.order,
            phases=[Phase(name=p.name, seconds=p.minutes * 60, prompt=p.prompt, kind=p.kind) for p in self.phases],
            data={"room": self.room} if self.room else {},
        )
        if segment.phases and minutes is not None:
            segment.rescale_phases(planned)
        elif segment.phases:
            segment.planned = sum(p.seconds for p in segment.phases)
        kinds.get(self.kind).setup(segment, merged)
        return segment


class FormatError(ValueError):
    """A format file that cannot be used, with where and why."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {problem}")


def _line_of(text: str, key: str, occurrence: int = 0) -> int | None:
    """The line a key is set on (tomllib does not report positions of values)."""
    pattern = re.compile(rf"^\s*(\[\[?\s*)?{re.escape(key)}(\s*\]\]?|\s*=)")
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            if seen == occurrence:
                return number
            seen += 1
    return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_format(path: Path, source: str | None = None) -> Format:
    """Read and check one format file. Raises `FormatError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FormatError(path, "the file is not UTF-8 text") from None
    except OSError as error:
        raise FormatError(path, f"cannot read the file ({error.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        if match:
            problem += f" (column {match.group(2)})"
        raise FormatError(path, f"not valid TOML: {problem}", line) from None

    def fail(problem: str, key: str | None = None, occurrence: int = 0) -> FormatError:
        return FormatError(path, problem, _line_of(text, key, occurrence) if key else None)

    for old, new in _RENAMED.items():
        if old in data and new not in data:
            data[new] = data.pop(old)
    for key in data:
        if key not in _TOP_KEYS:
            raise fail(f"unknown setting {key!r} (known: {', '.join(sorted(_TOP_KEYS))})", key)
    for key in ("id", "name", "kind"):
        if key not in data:
            raise fail(f"the setting {key!r} is missing")
    unit = kinds.registry().get(data["kind"]) if isinstance(data["kind"], str) else None
    if "minutes" not in data:
        default = unit.default_minutes(data) if unit is not None else None
        if default is None:
            raise fail("the setting 'minutes' is missing")
        data["minutes"] = default
    for key in ("id", "name", "kind", "description", "guidance", "order", "prompt", "room"):
        if key in data and not isinstance(data[key], str):
            raise fail(f"{key!r} must be text in quotes", key)
    format_id = data["id"]
    if not _ID.match(format_id):
        raise fail(f"id {format_id!r} must be lower-case letters, digits and dashes", "id")
    if not data["name"].strip():
        raise fail("'name' is empty", "name")
    kind = data["kind"]
    if unit is None:
        raise fail(f"kind {kind!r} is not one of: {', '.join(kinds.names())}", "kind")
    minutes = data["minutes"]
    if not unit.length_from_options and (not _number(minutes) or not 0 < minutes <= 24 * 60):
        raise fail("'minutes' must be a number of minutes above 0", "minutes")
    per_person = data.get("seconds_per_person")
    if per_person is not None and (not _number(per_person) or not 0 < per_person <= 3600):
        raise fail("'seconds_per_person' must be a number of seconds above 0", "seconds_per_person")
    order = data.get("order", "arrival")
    if order not in ORDERS:
        raise fail(f"order {order!r} is not one of: {', '.join(ORDERS)}", "order")
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise fail("'options' must be a table: [options]", "options")
    raw_phases = data.get("phases", [])
    if not isinstance(raw_phases, list) or not all(isinstance(p, dict) for p in raw_phases):
        raise fail("phases are written as [[phases]] tables", "phases")
    phases = []
    for index, raw in enumerate(raw_phases):
        for key in raw:
            if key not in _PHASE_KEYS:
                raise fail(f"phase {index + 1}: unknown setting {key!r}", "phases", index)
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"phase {index + 1} needs a 'name'", "phases", index)
        phase_minutes = raw.get("minutes")
        if not _number(phase_minutes) or phase_minutes <= 0:
            raise fail(f"phase {index + 1} ({name}) needs 'minutes' above 0", "phases", index)
        for key in ("prompt", "guidance", "kind"):
            if key in raw and not isinstance(raw[key], str):
                raise fail(f"phase {index + 1}: {key!r} must be text", "phases", index)
        if raw.get("kind", "") not in PHASE_KINDS:
            raise fail(f'phase {index + 1}: kind must be "round" or left out', "phases", index)
        phases.append(
            PhaseSpec(
                name.strip(), float(phase_minutes), raw.get("prompt", ""), raw.get("guidance", ""), raw.get("kind", "")
            )
        )
    try:
        unit.check_format(minutes=minutes, per_person=per_person, phases=tuple(phases), options=options)
    except kinds.FormatProblem as problem:
        raise fail(str(problem), problem.key) from None
    _check_options(kind, options, fail)
    minutes = unit.format_minutes(minutes, options)
    return Format(
        id=format_id,
        name=data["name"].strip(),
        kind=kind,
        description=data.get("description", "").strip(),
        guidance=data.get("guidance", "").strip(),
        minutes=float(minutes),
        seconds_per_person=float(per_person) if per_person is not None else None,
        order=order,
        prompt=data.get("prompt", "").strip(),
        room=data.get("room", "").strip(),
        phases=tuple(phases),
        options=options,
        source=source or str(path),
    )


def valid_options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """The settings among `options` that a format of this kind understands and that are valid."""
    rules = kinds.get(kind).options
    return {key: value for key, value in options.items() if key in rules and rules[key].check(value)}


def _check_options(kind: str, options: dict[str, Any], fail: Callable[[str, str], FormatError]) -> None:
    rules = kinds.get(kind).options
    for key, value in options.items():
        if key not in rules:
            known = ", ".join(sorted(rules)) or "none for this kind"
            raise fail(f"[options] has an unknown setting {key!r} (known: {known})", key)
        if not rules[key].check(value):
            raise fail(f"[options] {key!r} must be {rules[key].what}", key)


@dataclass
class FormatLibrary:
    """Every format that loaded, and the problems with those that did not."""

    formats: dict[str, Format] = field(default_factory=dict)
    errors: list[FormatError] = field(default_factory=list)
    replaced: dict[str, str] = field(default_factory=dict)
    """Built-in ids replaced by a user's file, with that file's path."""

    def get(self, format_id: str) -> Format | None:
        return self.formats.get(format_id)

    def __getitem__(self, format_id: str) -> Format:
        return self.formats[format_id]

    def __contains__(self, format_id: object) -> bool:
        return format_id in self.formats

    def __iter__(self) -> Iterator[Format]:
        return iter(self.ordered())

    def __len__(self) -> int:
        return len(self.formats)

    def ordered(self) -> list[Format]:
        """Formats in a stable order: built-ins in their meeting order, then the user's by name."""

        def key(fmt: Format) -> tuple[int, int, str]:
            builtin = fmt.source == BUILTIN
            position = _BUILTIN_ORDER.index(fmt.id) if fmt.id in _BUILTIN_ORDER else len(_BUILTIN_ORDER)
            return (0 if builtin else 1, position, fmt.name.casefold())

        return sorted(self.formats.values(), key=key)


_BUILTIN_ORDER = [
    "check-in", "round", "open-conversation", "matters-arising", "open-space", "lean-coffee",
    "1-2-4-all", "impromptu-networking", "15-percent-solutions", "triz", "what-so-what-now-what",
    "troika-consulting", "shift-and-share", "break", "check-out",
]  # fmt: skip


def load_library(user_dir: Path | None = None, builtin: Path | None = None) -> FormatLibrary:
    """Load the built-in formats, then the user's (which may replace built-ins)."""
    library = FormatLibrary()
    for path in sorted((builtin or builtin_dir()).glob("*.toml")):
        try:
            fmt = load_format(path, source=BUILTIN)
        except FormatError as error:
            library.errors.append(error)
            continue
        library.formats[fmt.id] = fmt
    if user_dir is not None and user_dir.is_dir():
        seen: dict[str, Path] = {}
        for path in sorted(user_dir.glob("*.toml")):
            try:
                fmt = load_format(path)
            except FormatError as error:
                library.errors.append(error)
                continue
            if fmt.id in seen:
                library.errors.append(
                    FormatError(path, f"id {fmt.id!r} is already used by {seen[fmt.id].name}; this file is ignored")
                )
                continue
            seen[fmt.id] = path
            if library.formats.get(fmt.id, None) is not None and library.formats[fmt.id].source == BUILTIN:
                library.replaced[fmt.id] = str(path)
            library.formats[fmt.id] = fmt
    return library
