"""Format kinds: each kind of meeting format is one unit, found through this registry.

A format's TOML names its kind (`kind = "open-space"`). Everything that kind
means to the core lives in its module here: the journal events it adds and
how each changes the meeting, its operations (composed into the running
session as `session.<attribute>`), how it builds a segment from a format's
`[options]`, what a capture belongs to inside it, what a `*proposal` does,
its section of the markdown record, and what finishing a meeting changes
elsewhere (an earlier meeting's actions, the series' plan). The screens have
the same unit on their side (`screens/kinds/`).

Modules are found by walking this package, so a new kind is a new module
with a `KIND` (an instance of a `Kind` subclass): nothing here or elsewhere
names it. Nothing outside this package imports a kind module; it asks the
registry (`get`, `for_segment`, `all_kinds`). Kinds do not import each other
either (an import contract in pyproject.toml), except `round`: speaking in
turn is also a capability of other kinds (open space's closing circle).

Rounds and phases are capabilities as well as kinds: their hooks run for any
segment that speaks in turn or has phases (`capability = True`), then the
segment's own kind's hooks run.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Protocol, TypeVar

from facilitate.models import PHASES, ROUND, Meeting, Proposal, Segment, SeriesPlan

if TYPE_CHECKING:
    from facilitate.export.markdown import Page, RecordContext
    from facilitate.kinds.phases import Phases
    from facilitate.kinds.round import Round
    from facilitate.quickentry import ProposalEntry
    from facilitate.session import MeetingSession


class FormatPhase(Protocol):
    """A phase as a format file gives it (`formats.schema.PhaseSpec`), for `Kind.check_format`."""

    @property
    def name(self) -> str: ...
    @property
    def minutes(self) -> float: ...


@dataclass(frozen=True)
class Option:
    """A setting a kind's formats may give in `[options]`: its check, and what it must be."""

    check: Callable[[Any], bool]
    what: str


def number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def whole(low: int, high: int) -> Option:
    return Option(
        lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high,
        f"a whole number from {low} to {high}",
    )


def minutes(high: float) -> Option:
    return Option(lambda v: number(v) and 0 < v <= high, "minutes above 0")


class FormatProblem(ValueError):
    """A format file that a kind cannot run as it is: the message, and the setting at fault."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class Refusal(ValueError):
    """A phone's submission this kind does not take now, and why: "closed" (not in this phase),
    "allowance" (the person's dots or proposals are used up), "invalid" (a field missing, too
    long, or naming nothing here). Nothing is recorded."""

    def __init__(self, message: str, why: str = "closed") -> None:
        super().__init__(message)
        self.why = why


@dataclass(frozen=True)
class Submission:
    """What a signed-in person sent from their phone (`Kind.contribute`)."""

    what: str
    """What they do: "propose", "dot", "thumb", "report", "took_part"..."""
    fields: dict[str, Any]
    """The form's fields, as sent (strings, checked by the kind)."""
    person_id: str
    name: str
    device: str
    key: str


def text_field(fields: dict[str, Any], name: str, limit: int, *, required: bool = True, block: bool = False) -> str:
    """A field of a submission, cleaned as typed text is, within `limit` characters."""
    from facilitate.text import clean_block, clean_line

    value = fields.get(name, "")
    if not isinstance(value, str):
        raise Refusal(f"{name} must be text", "invalid")
    if len(value) > limit:
        raise Refusal(f"{name} is longer than {limit} characters", "invalid")
    value = clean_block(value) if block else clean_line(value)
    if required and not value:
        raise Refusal(f"{name} is needed", "invalid")
    return value


class Repository(Protocol):
    """What finishing a meeting may change elsewhere in the archive (see `Kind.finish`)."""

    def meeting(self, meeting_id: str) -> Meeting | None:
        """An earlier meeting; None when there is none, or when its record is damaged (a
        damaged record is left as it is, and this meeting is still saved)."""

    def put_meeting(self, meeting: Meeting) -> None: ...

    def plan(self, series: str) -> SeriesPlan | None: ...

    def put_plan(self, plan: SeriesPlan) -> None: ...


class SeriesArchive(Protocol):
    """What a running meeting may look up about its series (matters arising's open actions,
    Lean Coffee's topics carried over)."""

    def series_docs(self, series: str) -> list[dict[str, Any]]:
        """The series' meetings, as the archive stores them."""

    def plan(self, series: str) -> SeriesPlan | None: ...


def finish_effects(meeting: Meeting, repository: Repository) -> None:
    """What saving a finished meeting changes elsewhere: each kind's `finish`, in listing order."""
    for kind in all_kinds():
        kind.finish(meeting, repository)


class Operations:
    """A kind's operations, composed into the running session as `session.<attribute>`.

    Each operation records one event (or a few) through the session; queries read the
    meeting and the session's clock."""

    attribute: ClassVar[str] = ""

    def __init__(self, session: MeetingSession) -> None:
        self.session = session

    @property
    def segment(self) -> Segment | None:
        return self.session.meeting.segment


class Kind:
    """One kind of format. Every hook has a default that does nothing, so a kind says only
    what is particular to it."""

    name: ClassVar[str] = ""
    """As formats name it (`kind = "lean-coffee"`)."""
    position: ClassVar[int] = 100
    """Where it comes in lists (the format schema's message, the docs)."""
    description: ClassVar[str] = ""
    """One line saying what a format of this kind does (the format picker, docs/journal.md)."""
    """One line about it, for the docs."""
    capability: ClassVar[bool] = False
    """Its hooks run for every segment (rounds and phases), not only its own."""
    events: ClassVar[tuple[type, ...]] = ()
    """The journal events it adds (`facilitate.events.Event` subclasses)."""
    operations: ClassVar[type[Operations] | None] = None
    options: ClassVar[dict[str, Option]] = {}
    """The `[options]` its formats may set."""
    length_from_options: ClassVar[bool] = False
    """Its length follows from its options (an open space's slots), not from its minutes."""

    # -- the format and planning ------------------------------------------------------

    def default_minutes(self, data: dict[str, Any]) -> float | None:
        """Minutes for a format file that gives none; None when they are required."""
        return None

    def check_format(
        self, *, minutes: float, per_person: float | None, phases: tuple[FormatPhase, ...], options: dict[str, Any]
    ) -> None:
        """Raise `FormatProblem` when a format of this kind cannot run as written."""

    def format_minutes(self, minutes: float, options: dict[str, Any]) -> float:
        """A format's length, when its options decide it."""
        return minutes

    def setup(self, segment: Segment, options: dict[str, Any]) -> None:
        """Finish a new segment of this kind from its format's (and series') options."""

    def settings(self, segment: Segment) -> dict[str, Any]:
        """The segment's settings as `[options]` says them, for the series' next meeting."""
        return {}

    def resize(self, segment: Segment, seconds: float) -> str | None:
        """Make a planned segment this long; None when done, else why not ("" says nothing)."""
        if segment.phases:
            segment.rescale_phases(seconds)
        else:
            segment.planned = seconds
        return None

    def series_note(self, plan: SeriesPlan, agenda: list[Segment], open_actions: int) -> str:
        """What planning the series' next meeting should know (topics waiting, actions open)."""
        return ""

    # -- the meeting, replayed from the journal ---------------------------------------------

    def applies(self, segment: Segment) -> bool:
        """A capability's: whether it has a part in this segment now."""
        return segment.kind == self.name

    def credit(self, segment: Segment, seconds: float) -> None:
        """Running time: what of this kind has the clock (a speaker, a phase, a topic)."""

    def enter(self, meeting: Meeting, segment: Segment) -> None:
        """The segment has become the current one."""

    def leave(self, meeting: Meeting, segment: Segment, *, forward: bool) -> None:
        """The meeting moves away from the segment (forward: it is over)."""

    def arrived(self, meeting: Meeting, person_id: str) -> None:
        """Someone arrived, or came back, during the running meeting."""

    def departed(self, meeting: Meeting, person_id: str) -> None:
        """Someone left the running meeting."""

    def removed(self, meeting: Meeting, person_id: str) -> None:
        """Someone registered by mistake was taken out of the meeting."""

    # -- the running session -------------------------------------------------------------

    def started(self, session: MeetingSession) -> None:
        """The segment has started: what it needs from the archive, a shuffled order."""

    def context(self, session: MeetingSession) -> dict[str, str]:
        """What a capture made now belongs to inside the segment (a session, a topic, a phase)."""
        return {}

    def propose(self, session: MeetingSession, entry: ProposalEntry) -> str | None:
        """A `*proposal` typed in this segment: record it and say what it did; None if this
        kind takes no proposals."""
        return None

    def countdown(self, session: MeetingSession) -> float | None:
        """What the big countdown shows instead of the segment's time left (a topic's, a phase's)."""
        return None

    def time_up(self, session: MeetingSession) -> str | None:
        """Once, when a timebox of this kind runs out: what to say. None leaves it to the next
        kind and then the segment; "" says the time is this kind's and nothing is up yet."""
        return None

    # -- the room's screen -----------------------------------------------------------------

    def room(self, meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
        """This kind's part of what the room sees (`facilitate.room.state.RoomState.body`), as
        plain JSON-able data: never the facilitator's guidance or notes, nor people's
        organisations. `pending` is the running time not yet credited to the meeting. A plain
        timebox has nothing beyond the countdown and the prompt."""
        return {}

    # -- phones ----------------------------------------------------------------------------------

    def phone(self, meeting: Meeting, segment: Segment, person_id: str | None) -> dict[str, Any]:
        """What a signed-in person's phone shows of this segment beyond the room's screen, and what
        they may send now: plain JSON-able data (`facilitate.phones`). Only what the room sees,
        plus this person's own contributions (`person_id`; None while waiting for a nod)."""
        return {}

    def contribute(self, session: MeetingSession, segment: Segment, submission: Submission) -> str:
        """Record what a person sent from their phone (the submission's device and key go into the
        event, so that the journal answers a retry); return the id of what it made. Raises
        `Refusal` when this kind takes no such thing now, recording nothing."""
        raise Refusal("Nothing to send in this part of the meeting")

    # -- the record -------------------------------------------------------------------------

    def item_home(self, segment: Segment, key: str) -> Proposal | None:
        """The session or topic an item captured with this context key belongs to."""
        return None

    def has_record(self, segment: Segment) -> bool:
        """Whether the segment has something of its own for the record."""
        return False

    def record(self, page: Page, context: RecordContext) -> None:
        """The segment's section of the markdown record (after its heading)."""
        context.prompt_and_round(page)

    # -- finishing -----------------------------------------------------------------------

    def finish(self, meeting: Meeting, repository: Repository) -> None:
        """What saving the finished meeting changes elsewhere (earlier meetings, the series)."""


class Timerless(Kind):
    """What an unknown kind (from a newer facilitate, say) behaves as: a plain timebox."""


_REGISTRY: dict[str, Kind] | None = None


U = TypeVar("U")


def units(package: str, path: Iterable[str], attribute: str, cls: type[U]) -> list[U]:
    """What each module of a package holds as `attribute`, where it is a `cls`: how the kinds'
    units are found, here (`KIND`) and in the screens (`VIEW`), without a list to keep."""
    found: list[U] = []
    for module_info in pkgutil.iter_modules(path):
        unit = getattr(importlib.import_module(f"{package}.{module_info.name}"), attribute, None)
        if isinstance(unit, cls):
            found.append(unit)
    return found


def _discover() -> dict[str, Kind]:
    found = units(__name__, __path__, "KIND", Kind)
    found.sort(key=lambda kind: (kind.position, kind.name))
    return {kind.name: kind for kind in found}


def registry() -> dict[str, Kind]:
    """Every kind, by name, in their listing order."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _discover()
    return _REGISTRY


def all_kinds() -> Iterable[Kind]:
    return registry().values()


def names() -> tuple[str, ...]:
    return tuple(registry())


def get(name: str) -> Kind:
    """The kind of that name; an unknown one behaves as a plain timer."""
    return registry().get(name) or _UNKNOWN


_UNKNOWN = Timerless()


def rounds() -> Round:
    """The round kind, whose speaking order is also a capability of every other kind."""
    return registry()[ROUND]  # type: ignore[return-value]


def phases() -> Phases:
    """The phases kind, whose steps are also a capability of other kinds (open space, Lean Coffee)."""
    return registry()[PHASES]  # type: ignore[return-value]


def for_segment(segment: Segment) -> list[Kind]:
    """The kinds with a part in a segment now: its own kind first, then the capabilities
    that apply (a round phase, phases)."""
    own = get(segment.kind)
    result = [own]
    for kind in registry().values():
        if kind.capability and kind is not own and kind.applies(segment):
            result.append(kind)
    return result


def of_meeting(meeting: Meeting) -> list[Kind]:
    """Every kind a meeting's segments are of, once each, in listing order."""
    present = {segment.kind for segment in meeting.segments}
    return [kind for kind in registry().values() if kind.name in present]


def operation_types() -> list[type[Operations]]:
    return [kind.operations for kind in registry().values() if kind.operations is not None]


__all__ = [
    "Refusal",
    "Submission",
    "text_field",
    "Operations",
    "FormatProblem",
    "Kind",
    "Option",
    "Repository",
    "SeriesArchive",
    "finish_effects",
    "all_kinds",
    "for_segment",
    "get",
    "minutes",
    "names",
    "number",
    "of_meeting",
    "phases",
    "registry",
    "rounds",
    "whole",
]
