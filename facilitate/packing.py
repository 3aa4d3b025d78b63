"""A meeting as the archive stores it (schema 3): what belongs to the meeting, once.

`Meeting.to_dict()` spells out every field of every record: each segment
repeats its format's name, prompt and guidance, each turn of a round its
person's id, each capture the time of day in full. The archive keeps the same
meeting in about a quarter of the space (`pack`), and gives the same dict back
(`unpack`) before anything reads it:

- **Defaults are left out**, at every level: a field missing is its default
  (as `serial.from_dict` reads it).
- **Segment settings** that come from the format (`format_id`, `name`,
  `kind`, `prompt`, `guidance`, `order`, `per_person`) are kept once per
  archive, in its `formats` table, under a key made from their content; a
  segment names its settings with `"t": key`. They are the segment's own
  settings as the meeting ran, not the format's file: a format edited or
  removed later changes nothing here.
- **Records that come by the dozen are rows**, not objects: a segment, an
  attendee, a capture and a follow-up are lists of their fields in a fixed
  order (`SEGMENT`, `ATTENDEE`, `ITEM`, `FOLLOW_UP`), without the defaults at
  the end; a round is three lists (who, the seconds each spoke, the turns not
  "spoke" by state).
- **References are positions**: a segment id is the segment's index, a
  person's id (a turn's, a capture's speaker or owner) the index of the
  attendee with that id, an organisation an earlier attendee's; a moment in
  the meeting (a segment's start and end, an arrival, a capture) is seconds
  after the meeting started, a due date days after its day.

docs/archive.md describes the result field by field.

Every one of these is only used when it gives back exactly what it replaces,
and `pack` checks its result by unpacking it: a meeting it could not make
smaller is stored whole, which is also valid (`unpack` takes any mixture of
the long and short forms). So an archive of version 2, whose meetings are all
long, reads as version 3 unchanged; the migration packs them to save space.

`unpack` is tolerant: whatever it does not recognise it passes on as it is,
for `serial` to name the damage.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Callable

import msgspec

from facilitate.models import SPOKE, Attendee, FollowUp, Item, Meeting, Segment, SegmentState, Turn, UnreadEvent
from facilitate.serial import Finite, SchemaError, from_dict, mirror

FORMATS = "formats"
"""The archive's table of segment settings, one record per distinct set: {"key": ..., fields...}."""

SETTINGS = ("format_id", "name", "kind", "prompt", "guidance", "order", "per_person")
"""A segment's fields that come from its format, kept in the `formats` table."""

_REQUIRED = object()


# -- defaults ------------------------------------------------------------------------------------


@cache
def _defaults(cls: type) -> dict[str, Any]:
    """Each field's default (a fresh value for a factory), or `_REQUIRED`."""
    result = {}
    for each in dataclasses.fields(cls):
        if each.default is not dataclasses.MISSING:
            result[each.name] = each.default
        elif each.default_factory is not dataclasses.MISSING:
            result[each.name] = each.default_factory()
        else:
            result[each.name] = _REQUIRED
    return result


@cache
def _nested(cls: type) -> dict[str, tuple[Any, bool]]:
    """The fields holding dataclasses: name to (class, held in a list)."""
    result: dict[str, tuple[Any, bool]] = {}
    for name, tp in typing.get_type_hints(cls).items():
        inner = tp
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            inner = next(a for a in typing.get_args(tp) if a is not type(None))
        many = typing.get_origin(inner) is list
        if many:
            inner = typing.get_args(inner)[0]
        if dataclasses.is_dataclass(inner):
            result[name] = (inner, many)
    return result


@dataclass(frozen=True, eq=False)
class Row:
    """How a record is stored as a row: its fields in order, and each one's default in the row
    (left out at the end of a row; the model's own default unless given). `refs` says which
    fields are stored as references: a "moment" or a "time" (seconds after the start; a time
    is one nothing needs while the archive opens), a "day", a "segment", a "person", an
    "organisation", or "follow-ups" (rows themselves)."""

    model: type
    names: tuple[str, ...]
    refs: dict[str, str] = field(default_factory=dict)
    row_defaults: dict[str, Any] = field(default_factory=dict)

    defaults: tuple[Any, ...] = field(init=False, repr=False)
    positions: tuple[tuple[int, str, str], ...] = field(init=False, repr=False)
    """The references: (position, field, kind), in order."""
    filled: tuple[tuple[str, Any], ...] = field(init=False, repr=False)
    """Row defaults that differ from the model's: filled in when a row leaves them out."""

    def __post_init__(self) -> None:
        model = _defaults(self.model)
        defaults = tuple(self.row_defaults.get(name, model.get(name, _REQUIRED)) for name in self.names)
        filled = tuple((k, v) for k, v in self.row_defaults.items() if k in model and model[k] != v)
        object.__setattr__(self, "defaults", defaults)
        positions = tuple((index, name, self.refs[name]) for index, name in enumerate(self.names) if name in self.refs)
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "filled", filled)


SEGMENT = Row(Segment, ("id", "t", "started_at", "ended_at", "planned", "elapsed", "state", "more"),
              refs={"started_at": "time", "ended_at": "time"}, row_defaults={"state": SegmentState.DONE, "t": None, "more": {}})
"""A segment: its settings' key ("t"), then how it went; "more" holds its other fields that are not
defaults. Most segments of an archived meeting are done: the row's default state."""
ATTENDEE = Row(Attendee, ("person_id", "name", "organisation", "arrived_at", "new", "segment_id", "left_at"),
               refs={"organisation": "organisation", "arrived_at": "time", "segment_id": "segment", "left_at": "time"})
FOLLOW_UP = Row(FollowUp, ("at", "outcome", "meeting", "owner", "owner_id", "due", "due_text", "note"),
                refs={"at": "moment", "due": "day"})
ITEM = Row(
    Item,
    ("id", "kind", "text", "created_at", "segment_id", "speaker_id", "owner", "owner_id",
     "due", "due_text", "log", "status", "closed_at", "context"),
    refs={"created_at": "time", "segment_id": "segment", "speaker_id": "person", "owner_id": "person",
          "due": "day", "log": "follow-ups", "closed_at": "moment"},
)  # fmt: skip

TIMES = {Segment: ("started_at", "ended_at"), Attendee: ("arrived_at", "left_at"), Item: ("created_at",),
         Meeting: ("finished_at", "planned_start")}  # fmt: skip
"""The moments `unpack(..., moments=False)` leaves as seconds."""
_Round = msgspec.defstruct(
    "RoundShape",
    [("turns", list[mirror(Turn)], msgspec.field(default_factory=list)), ("current", int | None, None),  # type: ignore[misc]
     ("spoke", list[Finite], msgspec.field(default_factory=list)), ("who", list[str | int], msgspec.field(default_factory=list)),
     ("states", dict[str, list[int]], msgspec.field(default_factory=dict))],
    gc=False,
)  # fmt: skip
"""A round as `unpack(..., moments=False)` leaves it: long, or short (its lists already found to agree)."""

LENIENT = (
    *((cls, name, typing.get_type_hints(cls)[name] | int | Finite) for cls, names in TIMES.items() for name in names),
    (Segment, "round", _Round | None),
)
"""For `serial.check`: the fields that may hold seconds instead of text, and the round kept short."""

STORED_STATUS = "finished"
"""A packed meeting's status when it has none: the archive holds finished meetings."""


@cache
def _floats(cls: type) -> frozenset[str]:
    """The fields typed float (or float | None): a whole number there is stored as an int."""
    names = set()
    for name, tp in typing.get_type_hints(cls).items():
        if tp is float or (typing.get_origin(tp) in (typing.Union, types.UnionType) and float in typing.get_args(tp)):
            names.add(name)
    return frozenset(names)


def _whole(value: Any) -> Any:
    """A float that is a whole number as an int (`serial` reads it back as the float)."""
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _is_default(value: Any, default: Any) -> bool:
    return default is not _REQUIRED and type(value) is type(default) and value == default


def strip(cls: type, doc: dict[str, Any]) -> dict[str, Any]:
    """A record without the fields that equal their defaults, nested records likewise."""
    defaults = _defaults(cls)
    nested = _nested(cls)
    floats = _floats(cls)
    out = {}
    for name, value in doc.items():
        if name in defaults and _is_default(value, defaults[name]):
            continue
        if name in nested and value is not None:
            inner, many = nested[name]
            value = [strip(inner, v) for v in value] if many else strip(inner, value)
        elif name in floats:
            value = _whole(value)
        out[name] = value
    return out


# -- moments --------------------------------------------------------------------------------------


def _moment(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def has_start(doc: dict[str, Any]) -> bool:
    """Whether the meeting's moments can be seconds after its start (`started_at` is a moment)."""
    return _moment(doc.get("started_at")) is not None


class _Clock:
    """A meeting's moments as seconds after its start, written as `datetime.isoformat` writes them.
    A moment on the start's day (almost every one) is written with arithmetic, twice as quick as
    through a datetime; `pack` checks every moment it stores against this."""

    __slots__ = ("start", "day", "micros", "zone")

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.day = start.date().isoformat() + "T"
        self.micros = ((start.hour * 60 + start.minute) * 60 + start.second) * 1_000_000 + start.microsecond
        text = start.isoformat()
        self.zone = text[26:] if start.microsecond else text[19:]

    def after(self, seconds: int | float) -> str:
        """The moment `seconds` after the start. Raises `OverflowError` or `ValueError` past the calendar."""
        offset = seconds * 1_000_000 if type(seconds) is int else round(seconds * 1_000_000)
        micros = self.micros + offset
        if not 0 <= micros < 86_400_000_000:
            return (self.start + timedelta(microseconds=offset)).isoformat()
        whole, fraction = divmod(micros, 1_000_000)
        if fraction:
            return "%s%02d:%02d:%02d.%06d%s" % (self.day, whole // 3600, whole // 60 % 60, whole % 60, fraction, self.zone)
        return "%s%02d:%02d:%02d%s" % (self.day, whole // 3600, whole // 60 % 60, whole % 60, self.zone)


# -- packing ----------------------------------------------------------------------------------------


class _Packer:
    """Packs one meeting's records, knowing its start, segments and attendees."""

    def __init__(self, doc: dict[str, Any], settings: dict[str, dict[str, Any]]) -> None:
        self.start = _moment(doc.get("started_at"))
        self.clock = _Clock(self.start) if self.start is not None else None
        self.settings = settings
        self.segments: dict[str, int] = {}
        for index, segment in enumerate(doc["segments"]):
            self.segments.setdefault(segment["id"], index)
        self.people: dict[str, int] = {}
        for index, attendee in enumerate(doc["attendees"]):
            self.people.setdefault(attendee["person_id"], index)
        self.names = [attendee["name"] for attendee in doc["attendees"]]
        self.organisations: dict[str, int] = {}
        self.index = 0
        """The attendee being packed (an organisation refers only to earlier attendees)."""

    def moment(self, text: Any) -> Any:
        if self.clock is None or not isinstance(text, str):
            return text
        moment = _moment(text)
        if moment is None:
            return text
        assert self.start is not None  # a clock is made only with a start
        micros = (moment - self.start) // timedelta(microseconds=1)
        seconds: int | float = micros // 1_000_000 if micros % 1_000_000 == 0 else micros / 1_000_000
        return seconds if self.clock.after(seconds) == text else text

    def day(self, text: Any) -> Any:
        """An ISO date as days after the meeting's day."""
        if self.start is None or not isinstance(text, str):
            return text
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return text
        return (day - self.start.date()).days if day.isoformat() == text else text

    def ref(self, kind: str, value: Any) -> Any:
        if kind in ("moment", "time"):
            return self.moment(value)
        if kind == "day":
            return self.day(value)
        if kind == "follow-ups":
            return [self.row(FOLLOW_UP, entry) for entry in value]
        if not isinstance(value, str):
            return value
        if kind == "segment":
            return self.segments.get(value, value)
        if kind == "person":
            return self.people.get(value, value)
        # An organisation: the index of the first attendee from it, when there is an earlier one.
        earlier = self.organisations.setdefault(value, self.index) if value else self.index
        return earlier if earlier < self.index else value

    def row(self, row: Row, record: dict[str, Any]) -> list[Any]:
        refs = row.refs
        floats = _floats(row.model)
        values = [
            self.ref(refs[name], record[name]) if name in refs else _whole(record[name]) if name in floats else record[name]
            for name in row.names
        ]
        defaults = row.defaults
        end = len(values)
        while end > 1 and _is_default(values[end - 1], defaults[end - 1]):
            end -= 1
        return values[:end]

    def segment(self, segment: dict[str, Any]) -> list[Any]:
        settings = strip(Segment, {k: segment[k] for k in SETTINGS})
        key = settings_key(settings)
        while self.settings.get(key, settings) != settings:  # pragma: no cover - a clash of 48 bits
            key += "x"
        self.settings[key] = settings
        shown = set(SEGMENT.names)
        more = strip(Segment, {k: v for k, v in segment.items() if k not in SETTINGS and k not in shown and k != "round"})
        round_ = segment["round"]
        if round_ is not None:
            more["round"] = self.round(round_)
        return self.row(SEGMENT, {**segment, "t": key, "more": more})

    def round(self, round_: dict[str, Any]) -> dict[str, Any]:
        """A round as lists: who (attendee indexes; left out when the turns follow the attendees),
        the seconds each spoke, and which turns are in a state other than "spoke" (by state)."""
        turns = round_["turns"]
        who = [self.ref("person", turn["person_id"]) for turn in turns]
        out: dict[str, Any] = {"spoke": [_whole(turn["spoke"]) for turn in turns]}
        if who != list(range(len(turns))):
            out["who"] = who
        states: dict[str, list[int]] = {}
        for index, turn in enumerate(turns):
            if turn["state"] != SPOKE:
                states.setdefault(turn["state"], []).append(index)
        if states:
            out["states"] = states
        if round_["current"] is not None:
            out["current"] = round_["current"]
        return out

    def item(self, item: dict[str, Any]) -> list[Any]:
        values = self.row(ITEM, item)
        # An owner who came: the name is the attendee's, left out (null).
        owner = item["owner_id"]
        if len(values) > 7 and owner in self.people and item["owner"] == self.names[self.people[owner]]:
            values[6] = None
        return values

    def attendee(self, index: int, attendee: dict[str, Any]) -> list[Any]:
        self.index = index
        return self.row(ATTENDEE, attendee)


def settings_of(table: Any) -> dict[str, dict[str, Any]]:
    """The archive's `formats` table (TinyDB records {"key": ..., fields...}) by key; records
    that are not such are left out (a segment naming one then reads as damaged)."""
    result: dict[str, dict[str, Any]] = {}
    if isinstance(table, dict):
        for record in table.values():
            if isinstance(record, dict) and isinstance(record.get("key"), str):
                result[record["key"]] = {k: v for k, v in record.items() if k != "key"}
    return result


def settings_key(settings: dict[str, Any]) -> str:
    """The key of a set of segment settings: from their content, so the same settings share one record."""
    text = json.dumps(settings, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:12]


def pack(doc: dict[str, Any], settings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A meeting's full document (`Meeting.to_dict()`) as the archive stores it.

    `settings` is the archive's `formats` table by key; settings this meeting
    needs that it lacks are added to it. The result is checked: if unpacking
    it would not give the same meeting back, the full document is returned."""
    added: dict[str, dict[str, Any]] = {}
    try:
        out = _pack(doc, _Packer(doc, added))
        if any(settings.get(key, value) != value for key, value in added.items()):  # pragma: no cover
            return doc
        same = from_dict(Meeting, unpack(out, {**settings, **added})) == from_dict(Meeting, doc)
    except (KeyError, TypeError, ValueError, SchemaError):
        return doc
    if not same:
        return doc
    settings.update(added)
    return out


def _packed(doc: dict[str, Any]) -> bool:
    """Of version 3 on, where a meeting with no status is finished."""
    version = doc.get("v")
    return type(version) is int and version >= 3


def _pack(doc: dict[str, Any], packer: _Packer) -> dict[str, Any]:
    defaults = _defaults(Meeting)
    out: dict[str, Any] = {}
    for name, value in doc.items():
        if name == "v":
            out[name] = value
        elif name == "status":
            if value != STORED_STATUS or not _packed(doc):
                out[name] = value  # "planned" too: a missing status is "finished" here
        elif name in defaults and _is_default(value, defaults[name]):
            continue
        elif name in ("finished_at", "planned_start"):
            out[name] = packer.moment(value)
        elif name == "segments":
            out[name] = [packer.segment(s) for s in value]
        elif name == "attendees":
            out[name] = [packer.attendee(index, a) for index, a in enumerate(value)]
        elif name == "items":
            out[name] = [packer.item(i) for i in value]
        elif name == "unread":
            out[name] = [strip(UnreadEvent, u) for u in value]
        else:
            out[name] = value
    return out


# -- unpacking -------------------------------------------------------------------------------------


class _Unpacker:
    def __init__(self, doc: dict[str, Any], settings: dict[str, dict[str, Any]], moments: bool = True) -> None:
        self.settings = settings
        self.start = _moment(doc.get("started_at"))
        self.clock = _Clock(self.start) if self.start is not None else None
        self.lazy = not moments and self.start is not None
        segments = doc.get("segments")
        self.segment_ids = [s.get("id") if isinstance(s, dict) else s[0] if isinstance(s, list) and s else None
                            for s in segments] if isinstance(segments, list) else []  # fmt: skip
        attendees = doc.get("attendees")
        self.person_ids = [a.get("person_id") if isinstance(a, dict) else a[0] if isinstance(a, list) and a else None
                           for a in attendees] if isinstance(attendees, list) else []  # fmt: skip
        self.names = [a.get("name") if isinstance(a, dict) else a[1] if isinstance(a, list) and len(a) > 1 else None
                      for a in attendees] if isinstance(attendees, list) else []  # fmt: skip
        self.organisations: list[Any] = []
        """Each attendee's organisation as unpacked so far."""

        self.segment_ref = _reference(self.segment_ids)
        self.person_ref = _reference(self.person_ids)
        self.convert: dict[str, Callable[[Any], Any] | None] = {
            "moment": self.moment, "time": self.moment if moments or self.start is None else None, "day": self.day,
            "follow-ups": self.follow_ups, "segment": self.segment_ref, "person": self.person_ref,
            "organisation": self.organisation_ref,
        }  # fmt: skip
        """Each kind of reference's conversion; None for moments left as seconds."""
        self.plans = {
            row: tuple((index, name, convert) for index, name, kind in row.positions
                       if (convert := self.convert[kind]) is not None)
            for row in (SEGMENT, ATTENDEE, ITEM, FOLLOW_UP)
        }  # fmt: skip
        """The conversions each kind of row needs here: (position, field, conversion)."""

    def moment(self, value: Any) -> Any:
        clock = self.clock
        if clock is not None and (type(value) is int or type(value) is float):
            try:
                return clock.after(value)
            except (OverflowError, ValueError):
                return value
        return value

    def day(self, value: Any) -> Any:
        start = self.start
        if start is not None and type(value) is int:
            try:
                return (start.date() + timedelta(days=value)).isoformat()
            except (OverflowError, ValueError):
                return value
        return value

    def follow_ups(self, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [self.row(FOLLOW_UP, entry) if isinstance(entry, list) else entry for entry in value]

    def organisation_ref(self, value: Any) -> Any:
        table = self.organisations  # growing: only earlier attendees are referred to
        if type(value) is int and 0 <= value < len(table) and type(table[value]) is str:
            return table[value]
        return value

    def row(self, row: Row, values: list[Any]) -> dict[str, Any] | list[Any]:
        count = len(values)
        names = row.names
        if not count or count > len(names):
            return values  # not a row facilitate wrote: `serial` names it
        record = dict(zip(names, values))
        for index, name, convert in self.plans[row]:
            if index >= count:
                break
            record[name] = convert(values[index])
        if row.filled:
            for name, value in row.filled:
                if name not in record:
                    record[name] = value
        return record

    def segment(self, segment: Any) -> Any:
        """A segment in full; in lazy mode (moments=False) a short round stays short once its lists agree."""
        if isinstance(segment, list):
            record = self.row(SEGMENT, segment)
            if isinstance(record, list):
                return record
            more = record.pop("more", {})
            key = record.pop("t", None)
            if isinstance(key, str) and key in self.settings and isinstance(more, dict):
                segment = {**self.settings[key], **record, **more}
            else:
                segment = {**record, "more": more, "t": key}  # damaged: `serial` names what is missing
        if isinstance(segment, dict):
            round_ = segment.get("round")
            if isinstance(round_, dict) and "turns" not in round_ and isinstance(round_.get("spoke"), list):
                segment = {**segment, "round": self.round(round_)}
            elif isinstance(round_, dict) and "turns" not in round_ and "spoke" in round_ and not self.lazy:
                segment = {**segment, "round": {**round_, "turns": round_}}  # `serial` names it
        return segment

    def round(self, round_: dict[str, Any]) -> dict[str, Any]:
        spoke = round_["spoke"]
        who = round_.get("who", range(len(spoke)))
        states = round_.get("states", {})
        damaged = {**round_, "turns": round_}  # `serial` names it: the turns are not a list
        if not isinstance(who, (list, range)) or len(who) != len(spoke) or not isinstance(states, dict):
            return damaged
        state_of = {}
        for state, indexes in states.items():
            if not isinstance(indexes, list):
                return damaged
            for index in indexes:
                if type(index) is not int or not 0 <= index < len(spoke):
                    return damaged
                state_of[index] = state
        if self.lazy:
            return round_  # nothing reads a round's turns while the archive opens: `_Round` checks it
        ref = self.person_ref
        turns = [
            {"person_id": ref(person), "spoke": seconds, "state": state_of.get(index, SPOKE) if state_of else SPOKE}
            for index, (person, seconds) in enumerate(zip(who, spoke))
        ]
        out = {"turns": turns}
        if "current" in round_:
            out["current"] = round_["current"]
        return out

    def item(self, values: Any) -> Any:
        if not isinstance(values, list):
            return values
        item = self.row(ITEM, values)
        if isinstance(item, dict) and len(values) > 7 and values[6] is None and type(values[7]) is int:
            # An owner who came: the name is the attendee's.
            index = values[7]
            if 0 <= index < len(self.names) and isinstance(self.names[index], str):
                item["owner"] = self.names[index]
        return item

    def attendee(self, attendee: Any) -> Any:
        if isinstance(attendee, list):
            attendee = self.row(ATTENDEE, attendee)
        self.organisations.append(attendee.get("organisation") if isinstance(attendee, dict) else None)
        return attendee


def _reference(table: list[Any]) -> Callable[[Any], Any]:
    """Turns an index into `table` into what it holds there (text); anything else is left."""
    size = len(table)

    def resolve(value: Any) -> Any:
        if type(value) is int and 0 <= value < size:
            found = table[value]
            if type(found) is str:
                return found
        return value

    return resolve


def unpack(doc: Any, settings: dict[str, dict[str, Any]], *, moments: bool = True) -> Any:
    """A stored meeting document as its full document (defaults may be left out), whatever mixture
    of the long and short forms it is in. Never raises: what it does not recognise it leaves.

    With `moments=False`, the moments nothing needs while the archive opens (a segment's start
    and end, an arrival, a departure, a capture's time: `TIMES`) stay seconds after the start,
    when the meeting has one; `LENIENT` lets `serial.check` accept them so."""
    if not isinstance(doc, dict):
        return doc
    out = dict(doc)
    u = _Unpacker(doc, settings, moments)
    for name in ("finished_at", "planned_start"):
        if name in out:
            out[name] = u.moment(out[name]) if moments else out[name]
    defaults = _defaults(Meeting)
    for name in ("series", "facilitator", "current", "running"):
        out.setdefault(name, defaults[name])
    out.setdefault("status", STORED_STATUS if _packed(doc) else defaults["status"])
    segments = doc.get("segments")
    if isinstance(segments, list):
        out["segments"] = [u.segment(s) for s in segments]
    attendees = doc.get("attendees")
    if isinstance(attendees, list):
        out["attendees"] = [u.attendee(a) for a in attendees]
    items = doc.get("items")
    if isinstance(items, list):
        out["items"] = [u.item(i) for i in items]
    return out


__all__ = [
    "ATTENDEE", "FOLLOW_UP", "FORMATS", "ITEM", "SEGMENT", "SETTINGS", "STORED_STATUS",
    "LENIENT", "TIMES", "has_start", "pack", "settings_key", "settings_of", "strip", "unpack",
]  # fmt: skip
