"""How a group grows: attendance (returning and new), organisations, actions.

For one series at a time: a bar per meeting, returning people at the
bottom and people new to the group stacked on top, as many of the latest
meetings as the width allows (drawn with Rich block characters: it reads at
80x24 and needs no plotting library); the number of organisations at each
meeting on the line below, aligned with the bars; how the actions went (done
on time, late, still open, dropped); and every organisation that has come.
"""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Select, Static
from textual.worker import get_current_worker

from facilitate.review import GroupMeeting, GroupStats, Review
from facilitate.text import clean_line, plural
from screens.base import SteadyFooter
from screens.review_common import ReviewScreen, status_line

RETURNING, NEW, ORGS = "#5f87d7", "#87d75f", "#d7af5f"
ON_TIME, LATE, OPEN, OVERDUE, DROPPED = "#5faf5f", "#d7af00", "#5f87d7", "#d75f5f", "#808080"
BLOCKS = " ▁▂▃▄▅▆▇█"
CHART_HEIGHT = 8


def _day(iso: str) -> str:
    try:
        when = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{when.day} {when:%b %Y}"


def chart_layout(meetings: list[GroupMeeting], width: int) -> tuple[int, list[GroupMeeting], int, int]:
    """The scale's width, the meetings that fit, and each bar's width and the gap after it.

    Bars are as wide as three cells when there are few meetings, one cell
    with no gap when there are many; the latest meetings are the ones shown.
    """
    top = max((m.people for m in meetings), default=0)
    gutter = max(len(str(top)), 4) + 1
    room = max(width - gutter - 1, 1)
    shown = meetings[-room:]
    per = room // max(len(shown), 1)
    if per >= 3:
        bar, gap = min(per - 1, 3), 1
    elif per == 2:
        bar, gap = 1, 1
    else:
        bar, gap = 1, 0
    return gutter, shown, bar, gap


def attendance_chart(meetings: list[GroupMeeting], width: int, height: int = CHART_HEIGHT) -> Text:
    """Stacked bars, one per meeting (the latest that fit), with a scale, dates and organisations."""
    if not meetings:
        return Text("No meetings in this series yet.", style="italic")
    gutter, shown, bar, gap = chart_layout(meetings, width)
    top = max(m.people for m in shown) or 1
    scale = height * 8 / top
    lines = []
    for level in range(height - 1, -1, -1):
        label = str(top) if level == height - 1 else ("0" if level == 0 else "")
        line = Text(f"{label:>{gutter - 1}} ", style="dim")
        line.append("┤" if label else "│", style="dim")
        base = level * 8
        for m in shown:
            total = round(m.people * scale)
            returning = min(round(m.returning * scale), total - (1 if m.new else 0))
            fill_total = min(max(total - base, 0), 8)
            fill_returning = min(max(returning - base, 0), 8)
            if fill_total == 0:
                line.append(" " * bar)
            elif fill_returning == 8:
                line.append("█" * bar, style=RETURNING)
            elif fill_returning == 0:
                line.append(BLOCKS[fill_total] * bar, style=NEW)
            else:
                # The top of the returning people with the new ones above, in one cell.
                line.append(BLOCKS[fill_returning] * bar, style=f"{RETURNING} on {NEW}")
            line.append(" " * gap)
        lines.append(line)
    span = len(shown) * (bar + gap)
    axis = Text(" " * gutter + "└" + "─" * span, style="dim")
    first, last = _day(shown[0].date), _day(shown[-1].date)
    if len(first) + len(last) + 2 <= span:
        dates = Text(" " * (gutter + 1) + first + " " * (span - len(first) - len(last)) + last, style="dim")
    else:
        dates = Text(" " * (gutter + 1) + f"{first} to {last}", style="dim")
    most_orgs = max(m.organisations for m in shown) or 1
    orgs = Text(f"{'orgs':>{gutter - 1}}  ", style="dim")
    for m in shown:
        cell = BLOCKS[max(1, round(m.organisations * 8 / most_orgs))] if m.organisations else " "
        orgs.append(cell * bar, style=ORGS).append(" " * gap)
    return Text("\n").join([*lines, axis, dates, orgs])


def legend(stats: GroupStats, shown: int) -> Text:
    text = Text()
    text.append("■", style=RETURNING).append(" returning  ")
    text.append("■", style=NEW).append(" new to the group  ")
    text.append("■", style=ORGS).append(" organisations")
    if shown < len(stats.meetings):
        text.append(f"   the last {shown} of {plural(len(stats.meetings), 'meeting')}", style="dim")
    return text


def growth(stats: GroupStats, recent: int = 10) -> Text:
    """The group in a sentence or two."""
    meetings = stats.meetings
    if not meetings:
        return Text("")
    last = meetings[-recent:]
    average = sum(m.people for m in last) / len(last)
    new = sum(m.new for m in last)
    text = Text()
    come = " has come to " if stats.people == 1 else " have come to "
    text.append(plural(stats.people, "person", "people"), style="bold").append(come + plural(len(meetings), "meeting") + ". ")
    last_words = "The last one: " if len(last) == 1 else f"The last {len(last)}: "
    people_each = "1 person" if round(average) == 1 else f"{average:.0f} people"
    text.append(last_words).append(people_each, style="bold").append(" a meeting, and ")
    text.append(f"{new} new to the group", style=f"bold {NEW}").append(" among them. ")
    text.append(plural(len(stats.organisations), "organisation"), style="bold")
    text.append(f" in all, {meetings[-1].organisations} at the last meeting.")
    return text


def actions_bar(stats: GroupStats, width: int = 30) -> Text:
    tally = stats.actions
    text = Text("Actions  ", style="bold")
    if not tally.total:
        return text.append("none yet", style="italic")
    parts = [
        (tally.on_time, ON_TIME, "done on time"),
        (tally.late, LATE, "done late"),
        (tally.open - tally.overdue, OPEN, "open"),
        (tally.overdue, OVERDUE, "overdue"),
        (tally.dropped, DROPPED, "dropped"),
    ]
    drawn = 0
    for index, (count, colour, _) in enumerate(parts):
        cells = round(count * width / tally.total) if index < len(parts) - 1 else width - drawn
        cells = max(0, min(cells, width - drawn))
        text.append("█" * cells, style=colour)
        drawn += cells
    text.append("\n")
    for count, colour, label in parts:
        if count:
            text.append("■ ", style=colour).append(f"{count} {label}  ")
    return text


def organisations_table(stats: GroupStats) -> Table:
    table = Table(title="Organisations", title_justify="left", title_style="bold", box=None, expand=True)
    table.add_column("Organisation", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("Meetings", justify="right")
    table.add_column("People", justify="right")
    table.add_column("First", no_wrap=True)
    table.add_column("Last", no_wrap=True)
    for org in stats.organisations:
        table.add_row(Text(clean_line(org.name)), str(org.meetings), str(org.people), org.first_seen, org.last_seen)
    return table


def brought_table(stats: GroupStats) -> Table:
    """Who brought whom to the series (as people said signing in from their phones)."""
    table = Table(title="Who brought whom", title_justify="left", title_style="bold", box=None, expand=True)
    table.add_column("Brought by", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("People", justify="right")
    table.add_column("Who", ratio=2, overflow="fold")
    table.add_column("First", no_wrap=True)
    for entry in stats.brought:
        who = ", ".join(clean_line(name) for name in entry.people)
        table.add_row(Text(clean_line(entry.name)), str(len(entry.people)), Text(who), entry.first)
    return table


class AttendanceChart(Static):
    """The chart, drawn for the width it has."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stats: GroupStats | None = None

    def refresh_from(self, stats: GroupStats) -> None:
        self.stats = stats
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.stats is None:
            return Text("")
        return attendance_chart(self.stats.meetings, self.size.width or 78)

    def get_content_height(self, container, viewport, width: int) -> int:
        return CHART_HEIGHT + 3 if self.stats and self.stats.meetings else 1


class GroupScreen(ReviewScreen):
    CSS_PATH = "group.tcss"
    BINDINGS = [
        Binding("s", "series", "Series"),
        Binding("left_square_bracket", "step(-1)", "Previous", key_display="["),
        Binding("right_square_bracket", "step(1)", "Next", key_display="]"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, series: str = "") -> None:
        super().__init__()
        self.series = series
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            with Horizontal(classes="filters", id="group-top"):
                yield Static(Content.from_markup("[b]The group[/b]"), classes="review-title", id="group-title")
                yield Label("Series", classes="filter-label")
                yield Select([], prompt="Choose a series", id="series", compact=True)
            with VerticalScroll(id="group"):
                yield Static(id="legend")
                yield AttendanceChart(id="chart")
                yield Static(id="growth")
                yield Static(id="actions-bar")
                yield Static(id="organisations")
                yield Static(id="brought")  # shown once someone has said who brought them
            yield status_line()
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#brought", Static).display = False
        self.query_one("#group", VerticalScroll).focus()
        super().on_mount()

    def show_review(self) -> None:
        if not self.review_ready:
            return
        review = self.review
        self.names = review.series_names()
        if not self.names:
            self.set_status("No meetings in a series yet.")
            return
        if self.series not in self.names:
            latest = next((f.listing.series for f in review.meetings if f.listing.series), self.names[0])
            self.series = latest
        select = self.query_one("#series", Select)
        with self.prevent(Select.Changed):
            select.set_options([(Content(clean_line(name)), name) for name in self.names])
            select.value = self.series
        self._gather(review, self.series)

    @work(thread=True, exclusive=True, group="group-query")
    def _gather(self, review: Review, series: str) -> None:
        stats = review.group(series, self.clock.today())
        if not get_current_worker().is_cancelled:
            self.post(self._show, stats)

    def _show(self, stats: GroupStats) -> None:
        chart = self.query_one(AttendanceChart)
        chart.refresh_from(stats)
        _, shown, _, _ = chart_layout(stats.meetings, chart.size.width or 78)
        self.query_one("#legend", Static).update(legend(stats, len(shown)) if stats.meetings else "")
        self.query_one("#growth", Static).update(growth(stats))
        self.query_one("#actions-bar", Static).update(actions_bar(stats))
        self.query_one("#organisations", Static).update(organisations_table(stats) if stats.organisations else "")
        brought = self.query_one("#brought", Static)
        brought.display = bool(stats.brought)
        brought.update(brought_table(stats) if stats.brought else "")
        count = len(self.names)
        self.set_status(f"{clean_line(stats.series)} · series {self.names.index(self.series) + 1} of {count}")

    @on(Select.Changed, "#series")
    def _chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and self.review_ready:
            self.series = event.value
            self._gather(self.review, self.series)

    def action_series(self) -> None:
        select = self.query_one("#series", Select)
        select.focus()
        select.action_show_overlay()

    def action_step(self, offset: int) -> None:
        if not self.names:
            return
        index = (self.names.index(self.series) + offset) % len(self.names) if self.series in self.names else 0
        self.query_one("#series", Select).value = self.names[index]

    def action_back(self) -> None:
        if isinstance(self.focused, Select):
            self.query_one("#group", VerticalScroll).focus()
            return
        super().action_back()
