"""Quick yes-or-no type checks of JSON data against a dataclass, for loading large archives.

`serial.from_dict` checks every field and builds the objects; on an archive of
thousands of meetings that is most of the time it takes to open. `checker(cls)`
compiles, once per class, a function that answers only "would `from_dict(cls,
data)` succeed?", without building anything: about ten times faster. When it
says no, the caller runs `from_dict` for the precise message naming the field.
`builder(cls)` likewise builds the objects from checked data without checking
again.

The check is conservative: it never accepts data that `from_dict` refuses.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from functools import cache
from typing import TYPE_CHECKING, Any, Callable, TypeVar, get_args, get_origin

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Check = Callable[[Any], bool]
T = TypeVar("T", bound="DataclassInstance")

_MISSING = object()


@cache
def checker(cls: type) -> Check:
    """A function telling whether `from_dict(cls, data)` would succeed."""
    return _Compiler().dataclass(cls)


class _Compiler:
    """Writes one Python function per dataclass: a straight run of `type(...) is` tests."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {"_MISSING": _MISSING}
        self.counter = 0

    def name(self, value: Any, prefix: str) -> str:
        self.counter += 1
        key = f"_{prefix}{self.counter}"
        self.names[key] = value
        return key

    def dataclass(self, cls: type) -> Check:
        hints = typing.get_type_hints(cls)
        lines = ["def check(d):", "    if type(d) is not dict and not isinstance(d, dict): return False"]
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            lines.append(f"    v = d.get({f.name!r}, _MISSING)")
            lines.append("    if v is _MISSING:")
            lines.append("        return False" if required else "        pass")
            lines.append("    else:")
            lines += [f"        {line}" for line in self.value(hints[f.name], "v", 0)]
        lines.append("    return True")
        namespace = dict(self.names)
        exec("\n".join(lines), namespace)  # noqa: S102 - code built here from type hints only
        check: Check = namespace["check"]
        return check

    def value(self, tp: Any, var: str, depth: int) -> list[str]:
        """Statements that `return False` unless `var` has the type `tp`."""
        origin = get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = get_args(tp)
            optional = type(None) in args
            rest = [arg for arg in args if arg is not type(None)]
            if len(rest) == 1:
                inner = self.value(rest[0], var, depth)
                if not optional:
                    return inner
                return [f"if {var} is not None:", *(f"    {line}" for line in inner)]
            # Several alternatives: ask a compiled function for each.
            checks = [self.name(self.function(arg), "alt") for arg in rest]
            test = " or ".join(f"{check}({var})" for check in checks)
            if optional:
                test = f"{var} is None or " + test
            return [f"if not ({test}): return False"]
        if origin is list:
            (item,) = get_args(tp) or (Any,)
            loop = f"x{depth}"
            inner = self.value(item, loop, depth + 1)
            lines = [f"if type({var}) is not list and not isinstance({var}, list): return False"]
            if inner:
                lines += [f"for {loop} in {var}:", *(f"    {line}" for line in inner)]
            return lines
        if origin is dict:
            _, item = get_args(tp) or (str, Any)
            loop = f"x{depth}"
            inner = self.value(item, loop, depth + 1)
            lines = [f"if type({var}) is not dict and not isinstance({var}, dict): return False"]
            if inner:
                lines += [f"for {loop} in {var}.values():", *(f"    {line}" for line in inner)]
            return lines
        if tp is Any:
            return []
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return [f"if not {self.name(checker(tp), 'dc')}({var}): return False"]
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            words = self.name(frozenset(member.value for member in tp), "words")
            return [f"if type({var}) is not str or {var} not in {words}: return False"]
        if tp is bool:
            return [f"if {var} is not True and {var} is not False: return False"]
        if tp is float:
            # A number that is not a bool, and finite (inf - inf and nan - nan are nan).
            return [
                f"if type({var}) is float:",
                f"    if {var} - {var} != 0.0: return False",
                f"elif type({var}) is not int and (isinstance({var}, bool) or not isinstance({var}, (int, float))): return False",
                f"elif isinstance({var}, float) and {var} - {var} != 0.0: return False",
            ]
        if tp is int:
            return [f"if type({var}) is not int and (isinstance({var}, bool) or not isinstance({var}, int)): return False"]
        if tp is str:
            return [f"if type({var}) is not str and not isinstance({var}, str): return False"]
        if tp is dict:
            return [f"if not isinstance({var}, dict): return False"]
        if tp is list:
            return [f"if not isinstance({var}, list): return False"]
        # A type `serial` does not check either.
        return []

    def function(self, tp: Any) -> Check:
        body = self.value(tp, "v", 0)
        lines = ["def check(v):", *(f"    {line}" for line in body), "    return True"]
        namespace = dict(self.names)
        exec("\n".join(lines), namespace)  # noqa: S102
        check: Check = namespace["check"]
        return check


def builder(cls: type[T]) -> Callable[[Any], T]:
    """A function building `cls` from data that `checker(cls)` accepted, as `from_dict` would.

    It skips every check (the checker made them), so it must only be given
    checked data: `build(doc) if check(doc) else from_dict(cls, doc)`.
    """
    build: Callable[[Any], T] = _builder(cls)
    return build


@cache
def _builder(cls: type) -> Callable[[Any], Any]:
    return _Builder().dataclass(cls)


class _Builder(_Compiler):
    """Writes `cls(**fields)` with each field converted as `serial._convert` converts it."""

    def dataclass(self, cls: type) -> Callable[[Any], Any]:
        hints = typing.get_type_hints(cls)
        cls_name = self.name(cls, "cls")
        lines = ["def build(d):", "    kw = {}"]
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            lines.append(f"    v = d.get({f.name!r}, _MISSING)")
            lines.append("    if v is not _MISSING:")
            lines.append(f"        kw[{f.name!r}] = {self.expr(hints[f.name], 'v', 0)}")
        lines.append(f"    return {cls_name}(**kw)")
        namespace = dict(self.names)
        exec("\n".join(lines), namespace)  # noqa: S102 - code built here from type hints only
        build: Callable[[Any], Any] = namespace["build"]
        return build

    def expr(self, tp: Any, var: str, depth: int) -> str:
        """An expression converting `var`, already known to have the type `tp`."""
        origin = get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            rest = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(rest) == 1:
                inner = self.expr(rest[0], var, depth)
                return var if inner == var else f"(None if {var} is None else {inner})"
            # Several alternatives: `serial` takes the first that converts.
            convert = self.name(_first_of(rest), "union")
            return f"(None if {var} is None else {convert}({var}))"
        if origin is list:
            (item,) = get_args(tp) or (Any,)
            loop = f"x{depth}"
            return f"[{self.expr(item, loop, depth + 1)} for {loop} in {var}]"
        if origin is dict:
            _, item = get_args(tp) or (str, Any)
            key, loop = f"k{depth}", f"x{depth}"
            return f"{{str({key}): {self.expr(item, loop, depth + 1)} for {key}, {loop} in {var}.items()}}"
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return f"{self.name(builder(tp), 'build')}({var})"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return f"{self.name(tp, 'enum')}({var})"
        if tp is float:
            return f"float({var})"
        return var


def _first_of(options: list[Any]) -> Callable[[Any], Any]:
    from facilitate.serial import SchemaError, _convert

    def convert(value: Any) -> Any:
        for option in options:
            try:
                return _convert(option, value, "")
            except SchemaError:
                continue
        return value

    return convert
