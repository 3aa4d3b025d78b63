"""Format kinds on screen: each kind's board, dialogs and keys, found through this registry.

The interface half of a kind's unit (the core half is `facilitate.kinds`).
A module here has a `VIEW`, an instance of a `KindView` subclass, which says:

- its stage: the widget the run screen shows under the countdown while one of
  its segments runs (the open space's wall, the Lean Coffee board), mounted
  the first time it is needed. A stage handles the typed messages its boards
  post (`AgendaWall.SessionPlaced`, `LeanBoard.VotesSet`...) by calling the
  kind's operations (`session.open_space.place(...)`);
- its keys on the empty capture line (`LineKey`: → the next speaker, the
  next phase, thumbs on the topic...), shown in the footer when they apply;
- what F4 proposes, what the segment's title says it is doing, its fields in
  the segment editor and its blocks on the summary screen.

The run screen keeps the meeting's flow, its time and the capture line, and
asks the registry the rest. Modules are found by walking this package: a new
kind is a new module, named nowhere else. Rounds are a capability here too:
the round's speakers and keys serve any segment in a round phase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Protocol, cast

from textual.containers import Vertical, VerticalScroll

from facilitate.kinds import units
from facilitate.models import Segment
from facilitate.session import MeetingSession

if TYPE_CHECKING:
    from datetime import date

    from textual.app import App, ComposeResult
    from textual.notifications import SeverityLevel
    from textual.screen import ModalScreen

    from facilitate.summary import Summary


class Host(Protocol):
    """The run screen, as a kind's stage and keys use it."""

    session: MeetingSession

    @property
    def app(self) -> App: ...

    def do(self, call: Any, *args: Any, refresh: bool = True) -> Any:
        """Run a session operation; a disk or entry problem is shown, never raised; then redraw."""

    def refresh_all(self) -> None: ...

    def focus_entry(self) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


class Stage(Vertical):
    """What a kind shows under the countdown while one of its segments runs.

    It draws from the session it is given (`refresh_from`), handles its boards'
    messages by calling the kind's operations through the run screen (`host.do`),
    and gives its board the focus on ↓ (`focus_board`)."""

    DEFAULT_CSS = """
    Stage { height: auto; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session: MeetingSession | None = None

    @property
    def host(self) -> Host:
        return self.screen  # type: ignore[return-value]

    def refresh_from(self, session: MeetingSession) -> None:
        """Redraw for the session as it is now."""
        self.session = session

    def tick(self, session: MeetingSession) -> None:
        """The clock's tick: redraw what shows time (only when it changed)."""

    def focus_board(self) -> bool:
        """Give the focus to the board (↓ on the empty capture line); False if there is none."""
        return False


class LineKey:
    """A key on the empty capture line that drives the segment: → the next speaker, the next
    phase, thumbs on the topic; ↓ the board. The footer shows the one that applies."""

    key: ClassVar[str] = ""
    """The key, as Textual names it ("right")."""
    description: ClassVar[str] = ""
    """For the footer: one or two words."""
    key_display: ClassVar[str | None] = None
    show: ClassVar[bool] = True
    rank: ClassVar[int] = 10
    """Among keys on the same key: the lowest that applies wins. A round's keys come first
    (a round phase of any kind), then the segment's own, then the phases', then the board."""

    def applies(self, host: Host) -> bool:
        return False

    def run(self, host: Host) -> None:
        raise NotImplementedError


class KindView:
    """The interface of one kind. Every hook has a default that shows nothing."""

    kind: ClassVar[str] = ""
    """The core kind it shows (`facilitate.kinds`)."""
    position: ClassVar[int] = 100
    """Where its stage sits on the run screen among others shown at once (a round's speakers
    above a phased format's steps)."""
    capability: ClassVar[bool] = False
    """Its stage and keys serve every segment they apply to, not only its kind's."""
    line_keys: ClassVar[tuple[LineKey, ...]] = ()

    def applies(self, segment: Segment) -> bool:
        return segment.kind == self.kind

    # -- the run screen ---------------------------------------------------------------------

    def room_body(self, body: dict[str, Any]) -> Any:
        """How the room's view draws this kind's data (`Kind.room` in the core), or None for the
        countdown and prompt alone."""
        return None

    def stage(self) -> Stage | None:
        """A new stage widget for this kind, or None when it shows nothing of its own."""
        return None

    def shows(self, segment: Segment) -> bool:
        """Whether the stage is shown for the segment now."""
        return self.applies(segment)

    def has_board(self, segment: Segment) -> bool:
        """Whether ↓ on the empty capture line goes to a board of this kind now."""
        return False

    def prompt(self, session: MeetingSession, segment: Segment) -> str | None:
        """What the segment's title says it is doing now, instead of its prompt (a topic under
        discussion); None keeps the prompt."""
        return None

    def can_propose(self, segment: Segment) -> bool:
        """Whether F4 proposes something here (an open space session, a Lean Coffee topic)."""
        return False

    def propose(self, host: Host) -> None:
        """F4: a form for a proposal."""

    # -- planning ---------------------------------------------------------------------------

    def agenda_note(self, segment: Segment) -> str:
        """A few words beside the segment in the agenda being planned ("1:00 each")."""
        return ""

    def editor_fields(self, segment: Segment) -> ComposeResult:
        """The segment editor's fields for this kind's settings."""
        return iter(())

    def editor_check(self, editor: ModalScreen, segment: Segment) -> dict[str, Any] | None:
        """Check this kind's fields (the editor's `check` shows what is wrong under each):
        their values, or None if one is wrong. Nothing changes until every field is right."""
        return {}

    def editor_apply(self, segment: Segment, values: dict[str, Any], minutes: float | None) -> None:
        """Keep what `editor_check` returned; `minutes` is the editor's length (None when this
        kind's length follows from its settings)."""
        if minutes is None:
            return
        if segment.phases:
            segment.rescale_phases(minutes * 60)
        else:
            segment.planned = minutes * 60

    # -- after the meeting ------------------------------------------------------------------

    def summary_blocks(self, summary: Summary, today: date) -> Iterable[tuple[str, Any]]:
        """Blocks for the summary screen, each with the block it follows ("timing",
        "actions", "decisions")."""
        return ()


_REGISTRY: dict[str, KindView] | None = None


def registry() -> dict[str, KindView]:
    """Every kind's view, by kind, in their order on the stage."""
    global _REGISTRY
    if _REGISTRY is None:
        found = units(__name__, __path__, "VIEW", KindView)
        found.sort(key=lambda view: (view.position, view.kind))
        _REGISTRY = {view.kind: view for view in found}
    return _REGISTRY


def views() -> Iterable[KindView]:
    return registry().values()


_PLAIN = KindView()


def view(kind: str) -> KindView:
    """The view of a kind; one this facilitate does not know shows nothing of its own."""
    return registry().get(kind) or _PLAIN


def for_segment(segment: Segment) -> list[KindView]:
    """The views with a part in a segment now: the capabilities that apply (a round phase),
    then its own kind's."""
    own = view(segment.kind)
    found = [v for v in registry().values() if v.capability and v is not own and v.applies(segment)]
    return [*found, own]


KEY_ORDER = ("right", "down", "left", "space", "up")
"""The keys of the capture line, in the footer's order."""


def line_keys(extra: Iterable[LineKey] = ()) -> tuple[LineKey, ...]:
    """Every kind's keys (and `extra`, the run screen's own), grouped by key in the footer's
    order and, within a key, by rank."""
    every = [*(key for view in registry().values() for key in view.line_keys), *extra]
    ordered: list[LineKey] = []
    for name in KEY_ORDER:
        ordered += sorted((k for k in every if k.key == name), key=lambda k: k.rank)
    ordered += [k for k in every if k.key not in KEY_ORDER]
    return tuple(ordered)


class Stages(VerticalScroll):
    """Under the countdown: what the running segment's kinds show, and only that.

    Each kind's stage is mounted the first time a segment needs it, in the kinds'
    order, above what the screen put here itself (the guidance); later it is
    shown or hidden, never mounted again."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stages: dict[str, Stage] = {}

    def shown(self) -> list[Stage]:
        return [stage for stage in self._stages.values() if stage.display]

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        wanted = [v for v in for_segment(segment) if v.shows(segment)] if segment else []
        for kind_view in wanted:
            if kind_view.kind not in self._stages and (stage := kind_view.stage()) is not None:
                later = [s for k, s in self._stages.items() if view(k).position > kind_view.position]
                own = next((child for child in self.children if not isinstance(child, Stage)), None)
                self._stages[kind_view.kind] = stage
                self.mount(stage, before=later[0] if later else own)
        shown = {kind_view.kind for kind_view in wanted}
        for kind, stage in self._stages.items():
            show = kind in shown
            if show:
                stage.refresh_from(session)
            if stage.display != show:
                stage.display = show
                focused = self.screen.focused
                if not show and focused is not None and stage in focused.ancestors:
                    cast("Host", self.screen).focus_entry()

    def tick(self, session: MeetingSession) -> None:
        for stage in self.shown():
            stage.tick(session)

    def focus_board(self) -> bool:
        """↓ on the empty capture line: the first shown stage with a board takes the focus."""
        return any(stage.focus_board() for stage in self.shown())


__all__ = [
    "Host", "KEY_ORDER", "KindView", "LineKey", "Stage", "Stages", "for_segment", "line_keys", "registry", "view", "views",
]  # fmt: skip
