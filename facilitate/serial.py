"""Dataclasses to and from plain JSON-able dicts, with type checks.

The archive and the live meeting file are JSON. Reading them back checks
every field against the dataclass's annotations, so a hand-edited or damaged
file gives a clear `SchemaError` naming the field instead of an exception deep
inside the app. Unknown fields are ignored (a newer minor version may add
some); missing fields take their defaults.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_origin

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


class SchemaError(ValueError):
    """Data that does not have the shape facilitate expects."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(arg, value, path)
            except SchemaError as error:
                errors.append(error)
        raise errors[0] if errors else SchemaError(path, "unexpected null")
    if origin is list:
        if not isinstance(value, list):
            raise SchemaError(path, f"expected a list, found {_type_name(value)}")
        (item_type,) = get_args(tp) or (Any,)
        return [_convert(item_type, item, f"{path}[{index}]") for index, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise SchemaError(path, f"expected an object, found {_type_name(value)}")
        key_type, value_type = get_args(tp) or (str, Any)
        return {str(k): _convert(value_type, v, f"{path}.{k}") for k, v in value.items()}
    if tp is Any:
        return value
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_dict(tp, value, path)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        if isinstance(value, str):
            for member in tp:
                if member.value == value:
                    return member
        words = ", ".join(repr(member.value) for member in tp)
        raise SchemaError(path, f"expected one of {words}, found {value!r}" if isinstance(value, str) else
                          f"expected one of {words}, found {_type_name(value)}")  # fmt: skip
    if tp is bool:
        if not isinstance(value, bool):
            raise SchemaError(path, f"expected true/false, found {_type_name(value)}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SchemaError(path, f"expected a number, found {_type_name(value)}")
        if value != value or value in (float("inf"), float("-inf")):
            raise SchemaError(path, "expected a finite number")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(path, f"expected a whole number, found {_type_name(value)}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise SchemaError(path, f"expected text, found {_type_name(value)}")
        return value
    if tp is dict:
        if not isinstance(value, dict):
            raise SchemaError(path, f"expected an object, found {_type_name(value)}")
        return value
    if tp is list:
        if not isinstance(value, list):
            raise SchemaError(path, f"expected a list, found {_type_name(value)}")
        return value
    return value  # pragma: no cover - a type this module does not know


def from_dict(cls: type[T], data: Any, path: str = "") -> T:
    """Build `cls` from `data`, checking each field's type."""
    if not isinstance(data, dict):
        raise SchemaError(path, f"expected an object, found {_type_name(data)}")
    hints = _hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        if field.name in data:
            kwargs[field.name] = _convert(
                hints[field.name], data[field.name], f"{path}.{field.name}" if path else field.name
            )
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise SchemaError(path, f"the field {field.name!r} is missing")
    return cls(**kwargs)


def to_dict(obj: Any) -> Any:
    """A dataclass as plain dicts and lists, ready for `json.dumps`."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {field.name: to_dict(getattr(obj, field.name)) for field in dataclasses.fields(obj)}
    if isinstance(obj, list):
        return [to_dict(item) for item in obj]
    if isinstance(obj, dict):
        return {key: to_dict(value) for key, value in obj.items()}
    return obj
