"""Due dates in the words people use in a meeting.

`parse_due("fri", today)` and friends turn what the facilitator typed into a
date. UK conventions: day first (`3/12` is 3 December), and `next tuesday`
is the Tuesday of next week. ISO dates (`2026-12-03`) are never flipped.

python-dateutil does the calendar work; the phrases it would misread are
handled here first: its fuzzy mode reads "in 2 weeks" as the 2nd of the
month, and `dayfirst=True` flips ISO dates into March.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

WEEKDAYS = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

EXAMPLES = "today, tomorrow, fri, next tue, in 3 days, in 2 weeks, end of month, 3 Dec, 3/12, 2026-12-03"

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_IN = re.compile(r"^in\s+(\w+)\s+(day|days|week|weeks|wk|wks|month|months|fortnight|fortnights)$")
_WEEKDAY = re.compile(r"^(?:(this|next|on)\s+)?([a-z]+)$")
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b")
_MONTH_WORDS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
)  # fmt: skip
_SENTINEL_A = datetime(2000, 1, 1)
_SENTINEL_B = datetime(2004, 2, 2)  # both sentinels leap years: 29/2 parses
# Dates without a year further in the past than this are read as next year's.
_PAST_GRACE_DAYS = 61


class DueDateError(ValueError):
    """What the facilitator typed is not a date we can read."""

    def __init__(self, text: str, reason: str = "") -> None:
        self.text = text
        self.reason = reason
        message = f"Can't read {text!r} as a date"
        if reason:
            message += f": {reason}"
        super().__init__(message + f". Try: {EXAMPLES}.")


@dataclass(frozen=True)
class DueDate:
    """A date and the words it was read from."""

    date: date
    text: str

    def describe(self, today: dt.date) -> str:
        return describe_date(self.date, today)


def _normalise(text: str) -> str:
    text = " ".join(text.strip().lower().replace(",", " ").split())
    return text.rstrip(".")


def _weekday_after(today: date, weekday: int, *, next_week: bool) -> date:
    if next_week:
        # "next tuesday": the Tuesday of next week (weeks run Monday to Sunday).
        monday_next = today + relativedelta(days=7 - today.weekday())
        return monday_next + relativedelta(days=weekday)
    # "tue": the first Tuesday after today; on a Tuesday, a week today.
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + relativedelta(days=ahead)


def _amount(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _relative(text: str, today: date) -> date | None:
    if text in ("today", "tonight", "eod", "end of day"):
        return today
    if text in ("tomorrow", "tmrw", "tmw"):
        return today + relativedelta(days=1)
    if text in ("end of week", "end of the week", "eow"):
        ahead = (4 - today.weekday()) % 7
        return today + relativedelta(days=ahead)
    if text in ("next week",):
        return today + relativedelta(days=7 - today.weekday())
    if text in ("end of month", "end of the month", "eom"):
        return today + relativedelta(day=31)
    if text in ("end of next month",):
        return today + relativedelta(months=1, day=31)
    if text in ("next month",):
        return today + relativedelta(months=1, day=1)
    if text in ("a fortnight", "in a fortnight", "fortnight"):
        return today + relativedelta(weeks=2)
    if match := _IN.match(text):
        amount = _amount(match.group(1))
        if amount is None:
            raise DueDateError(text, f"{match.group(1)!r} is not a number")
        if amount > 520:
            raise DueDateError(text, "that is more than ten years away")
        unit = match.group(2)
        if unit.startswith("day"):
            return today + relativedelta(days=amount)
        if unit.startswith("w"):
            return today + relativedelta(weeks=amount)
        if unit.startswith("fortnight"):
            return today + relativedelta(weeks=2 * amount)
        return today + relativedelta(months=amount)
    if match := _WEEKDAY.match(text):
        qualifier, word = match.groups()
        if word in WEEKDAYS:
            return _weekday_after(today, WEEKDAYS[word], next_week=qualifier == "next")
        if qualifier == "next" and word not in _MONTH_WORDS:
            raise DueDateError(text, f"{word!r} is not a day of the week")
    return None


def _in_year(year: int, month: int, day: int) -> date:
    """The date in `year`, or for 29 February the next leap year's."""
    for candidate in range(year, year + 8):
        try:
            return date(candidate, month, day)
        except ValueError:
            continue
    raise ValueError(f"no {day}/{month} after {year}")  # pragma: no cover


def _absolute(original: str, text: str, today: date) -> date:
    if match := _ISO.match(text):
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError as error:
            raise DueDateError(original, str(error)) from None
    cleaned = _ORDINAL.sub(r"\1", text)
    words = cleaned.replace("/", " ").replace("-", " ").replace(".", " ").split()
    stated_weekday = None
    if words and words[0] in WEEKDAYS:
        stated_weekday = WEEKDAYS[words[0]]
        cleaned = cleaned.split(None, 1)[1] if " " in cleaned else ""
    if not any(ch.isdigit() for ch in cleaned):
        raise DueDateError(original)
    # Imported here: dateutil's parser (and the time zones it brings) costs more to import
    # than every other phrase costs to read, and only a written-out date needs it.
    from dateutil import parser as du_parser

    try:
        first = du_parser.parse(cleaned, dayfirst=True, default=_SENTINEL_A)
        second = du_parser.parse(cleaned, dayfirst=True, default=_SENTINEL_B)
    except (du_parser.ParserError, ValueError, OverflowError) as error:
        reason = str(error).split(":")[0] if "out of range" in str(error) else ""
        raise DueDateError(original, reason) from None
    if first.month != second.month or first.day != second.day:
        raise DueDateError(original, "give a day and a month")
    if (first.hour, first.minute) != (0, 0) or first.second:
        raise DueDateError(original, "give a date, not a time")
    if first.year == second.year:
        result = first.date()
    else:
        result = _in_year(today.year, first.month, first.day)
        if (today - result).days > _PAST_GRACE_DAYS:
            result = _in_year(result.year + 1, first.month, first.day)
    if stated_weekday is not None and result.weekday() != stated_weekday:
        raise DueDateError(
            original,
            f"{result:%-d %b %Y} is a {WEEKDAY_NAMES[result.weekday()]}, not a {WEEKDAY_NAMES[stated_weekday]}",
        )
    return result


def parse_due(text: str, today: date) -> DueDate:
    """Read a due date, relative to `today`. Raises `DueDateError`."""
    original = text.strip()
    if not original:
        raise DueDateError(text, "it is empty")
    if len(original) > 60:
        raise DueDateError(original[:60] + "…", "that is too long for a date")
    normal = _normalise(original)
    if normal.startswith("by "):
        normal = normal[3:]
    relative = _relative(normal, today)
    if relative is not None:
        return DueDate(relative, original)
    return DueDate(_absolute(original, normal, today), original)


def short_date(iso: str | None, today: date, *, weekday: bool = True) -> str:
    """A stored ISO date for a table: `Fri 4 Dec` (or `4 Dec` without the weekday), and
    `4 Dec 2025` when it is not this year's; `–` for none; what cannot be read, as it is."""
    if not iso:
        return "–"
    try:
        when = date.fromisoformat(iso)
    except ValueError:
        from facilitate.text import clean_line

        return clean_line(iso)
    if when.year != today.year:
        return f"{when.day} {when:%b} {when.year}"
    return f"{when:%a} {when.day} {when:%b}" if weekday else f"{when.day} {when:%b}"


def describe_date(when: date, today: date) -> str:
    """`Fri 27 Nov`, with the year when it is not this year's, and a word for nearby days."""
    label = f"{when:%a} {when.day} {when:%b}"
    if when.year != today.year:
        label += f" {when.year}"
    delta = (when - today).days
    if delta == 0:
        return f"today ({label})"
    if delta == 1:
        return f"tomorrow ({label})"
    if delta < 0:
        return f"{label} (past)"
    return label
