"""Dataclasses to and from plain JSON-able dicts, with type checks, by msgspec.

The archive and the live meeting file are JSON. Reading them back checks
every field against the dataclass's annotations, so a hand-edited or damaged
file gives a clear `SchemaError` naming the field ("segments[0].elapsed:
expected a number, found text") instead of an exception deep inside the app.
Unknown fields are ignored (a newer minor version may add some); missing
fields take their defaults; numbers must be finite.

The checking is msgspec's, in C: `check(cls, data)` converts the data to a
`msgspec.Struct` mirror of the dataclass (made once per class from its
fields, each float a finite one), which checks every value and builds
nothing the garbage collector tracks; `from_dict` checks so and then builds
the dataclasses with `msgspec.convert`. msgspec's own messages
("Expected `str`, got `int` - at `$.items[0].text`") are put in the words
facilitate uses everywhere else.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import types
import typing
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_args, get_origin

import msgspec

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")

_LARGEST = 1.7976931348623157e308
Finite = Annotated[float, msgspec.Meta(ge=-_LARGEST, le=_LARGEST)]
"""A float that is neither infinite nor NaN (NaN fails both bounds)."""


class SchemaError(ValueError):
    """Data that does not have the shape facilitate expects."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


# -- one thread at a time builds a type's msgspec information -------------------------------------

_BUILDING = threading.RLock()
_BUILT: dict[int, Any] = {}
"""The types whose information is built, by identity (kept here, so an identity is never reused):
hashing a union of fifty event types on every call would cost more than the conversion."""


def convert(data: Any, target: Any, *, strict: bool = True) -> Any:
    """`msgspec.convert(data, target)`, safe however many threads convert at once.

    Workaround for msgspec 0.22: msgspec builds a type's conversion information (for each struct
    and dataclass in it) the first time the type is used and keeps it on the class. Two threads
    using a new type at the same moment can each see the other's half-built information, and the
    process dies with a segmentation fault: the crash trials, whose chains read archives in
    parallel threads, met it. The app reads in workers while the screen's thread reads too, so
    the first use of each type here is made by one thread at a time, under a lock; after that,
    msgspec only reads what was built. `tests/unit/test_serial_threads.py` runs the race without
    this lock in a child process and fails when msgspec no longer crashes there, so this can go.
    """
    if id(target) not in _BUILT:
        with _BUILDING:
            if id(target) not in _BUILT:
                try:
                    msgspec.convert(None, target)  # builds the information, whatever the answer
                except msgspec.ValidationError:
                    pass
                _BUILT[id(target)] = target
    return msgspec.convert(data, target, strict=strict)


# -- the mirrors msgspec checks against ------------------------------------------------------------


Lenient = tuple[tuple[type, str, Any], ...]
"""Fields (class, name, type) checked against another type than the model's: a moment kept as
seconds, a round kept short (`facilitate.packing`)."""


def _mirror_type(tp: Any, lenient: Lenient) -> Any:
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_mirror_type(arg, lenient) for arg in get_args(tp))]
    if origin is list:
        (item,) = get_args(tp) or (Any,)
        return list[_mirror_type(item, lenient)]  # type: ignore[misc]
    if origin is dict:
        key, value = get_args(tp) or (str, Any)
        return dict[key, _mirror_type(value, lenient)]  # type: ignore[misc,valid-type]
    if dataclasses.is_dataclass(tp):
        return mirror(tp, lenient)  # type: ignore[arg-type]
    if tp is float:
        return Finite
    return tp


def mirror(cls: type, lenient: Lenient = ()) -> type[msgspec.Struct]:
    """A `msgspec.Struct` with the dataclass's fields, types and defaults, for checking data (one
    per class and leniency, whichever thread asks first)."""
    with _BUILDING:
        return _mirror(cls, lenient)


@cache
def _mirror(cls: type, lenient: Lenient) -> type[msgspec.Struct]:
    hints = typing.get_type_hints(cls)
    required: list[tuple[str, Any]] = []
    optional: list[tuple[str, Any, Any]] = []
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        tp = _mirror_type(hints[field.name], lenient)
        for owner, name, instead in lenient:
            if owner is cls and name == field.name:
                tp = instead
        if field.default is not dataclasses.MISSING:
            optional.append((field.name, tp, field.default))
        elif field.default_factory is not dataclasses.MISSING:
            optional.append((field.name, tp, msgspec.field(default_factory=field.default_factory)))
        else:
            required.append((field.name, tp))
    # gc=False: a mirror only lives while it is checked; nothing for the collector to scan.
    return msgspec.defstruct(f"{cls.__name__}Shape", [*required, *optional], gc=False)


# -- msgspec's messages in facilitate's words --------------------------------------------------------

_NAMES = {
    "str": "text", "int": "a whole number", "float": "a number", "bool": "true/false",
    "array": "a list", "object": "an object", "null": "null",
}  # fmt: skip
_EXPECTED = re.compile(r"Expected `([^`]*)`, got `([^`]*)`")
_MISSING_FIELD = re.compile(r"Object missing required field `([^`]*)`")
_AT = re.compile(r" - at `\$(.*)`$")


def _expected(names: str) -> str:
    kinds = [name.strip() for name in names.split("|") if name.strip() != "null"]
    if "str" in kinds:
        return "text"  # a moment that may be kept as seconds is still text to whoever reads the message
    return _NAMES.get(kinds[0], kinds[0]) if kinds else "null"


def _found(name: str) -> str:
    return "a number" if name in ("int", "float") else _NAMES.get(name, name)


def schema_error(error: msgspec.ValidationError, path: str = "") -> SchemaError:
    """msgspec's message as a `SchemaError` in facilitate's words, its place under `path`."""
    message = str(error)
    at = _AT.search(message)
    where = at.group(1) if at else ""
    if at:
        message = message[: at.start()]
    where = where[1:] if where.startswith(".") else where
    if path:
        where = f"{path}.{where}" if where and not where.startswith("[") else f"{path}{where}"
    if (match := _MISSING_FIELD.match(message)) is not None:
        return SchemaError(where, f"the field {match.group(1)!r} is missing")
    if (match := _EXPECTED.match(message)) is not None:
        wanted, got = match.groups()
        problem = f"expected {_expected(wanted)}, found {_found(got)}"
        if wanted == "float" and got in ("int", "float"):  # pragma: no cover - msgspec takes both
            problem = "expected a number"
        return SchemaError(where, problem)
    if message.startswith("Invalid enum value "):
        return SchemaError(where, f"{message[len('Invalid enum value '):]} is not one of the words this field takes")
    if message.startswith("Expected `float` >=") or message.startswith("Expected `float` <="):
        return SchemaError(where, "expected a finite number")
    return SchemaError(where, message[:1].lower() + message[1:])


# -- reading and writing -----------------------------------------------------------------------------


def check(cls: type, data: Any, path: str = "", lenient: Lenient = ()) -> None:
    """Raise `SchemaError` unless `from_dict(cls, data)` would succeed; builds nothing. The
    `lenient` fields are checked against the type given there instead."""
    try:
        convert(data, mirror(cls, lenient))
    except msgspec.ValidationError as error:
        raise schema_error(error, path) from None


def from_dict(cls: type[T], data: Any, path: str = "") -> T:
    """Build `cls` from `data`, checking each field's type."""
    check(cls, data, path)
    obj: T = convert(data, cls)
    _complete(obj)
    return obj


@cache
def _plan(cls: type) -> tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, bool], ...]]:
    """The fields with a plain default, and those holding dataclasses (name, in a list)."""
    hints = typing.get_type_hints(cls)
    plain, nested = [], []
    for field in dataclasses.fields(cls):
        if field.default is not dataclasses.MISSING:
            plain.append((field.name, field.default))
        tp = hints[field.name]
        if get_origin(tp) in (typing.Union, types.UnionType):
            tp = next(arg for arg in get_args(tp) if arg is not type(None))
        if get_origin(tp) is list and dataclasses.is_dataclass(get_args(tp)[0]):
            nested.append((field.name, True))
        elif dataclasses.is_dataclass(tp):
            nested.append((field.name, False))
    return tuple(plain), tuple(nested)


def _complete(obj: Any) -> None:
    """Give each field left at its default its own attribute, as `__init__` would.

    (msgspec leaves a field with a plain default to the class attribute; the
    object compares equal, but `vars()` and `dataclasses.asdict` would miss it.)"""
    cls: Any = type(obj)
    plain, nested = _plan(cls)
    attributes = obj.__dict__
    for name, default in plain:
        if name not in attributes:
            attributes[name] = default
    for name, many in nested:
        value = attributes[name]
        if many:
            for inner in value:
                _complete(inner)
        elif value is not None:
            _complete(value)


def to_dict(obj: Any) -> Any:
    """A dataclass as plain dicts and lists, ready for `json.dumps`."""
    return msgspec.to_builtins(obj)
