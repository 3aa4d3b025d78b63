from datetime import datetime, timezone

import pytest

from facilitate.models import PlanItem, SeriesPlan
from facilitate.planning import (
    PlanError,
    agenda_from_plan,
    default_agenda,
    new_meeting,
    parse_start,
    plan_from_agenda,
    totals,
)

NOW = datetime(2026, 11, 26, 9, 41, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("now", NOW.replace(microsecond=0)),
        ("", NOW.replace(microsecond=0)),
        ("10:30", NOW.replace(hour=10, minute=30, second=0)),
        ("2pm", NOW.replace(hour=14, minute=0, second=0)),
        ("10.15", NOW.replace(hour=10, minute=15, second=0)),
        ("27/11 10:00", datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)),
        ("2026-12-03 09:30", datetime(2026, 12, 3, 9, 30, tzinfo=timezone.utc)),
    ],
)
def test_start_times(text, expected):
    assert parse_start(text, NOW) == expected


@pytest.mark.parametrize("text", ["25:00", "half past", "tomorrowish"])
def test_bad_start_times_name_the_field(text):
    with pytest.raises(PlanError) as raised:
        parse_start(text, NOW)
    assert raised.value.field == "start"


def test_default_agenda_and_totals(library):
    agenda = default_agenda(library)
    result = totals(agenda, NOW)
    assert result.segments == len(agenda) >= 4
    assert result.end == NOW + (result.end - NOW)
    assert result.planned == sum(s.planned for s in agenda)


def test_plan_round_trip_keeps_edits(library):
    agenda = default_agenda(library)
    agenda[0].planned = 20 * 60
    agenda[0].per_person = 45
    agenda[0].prompt = "One word?"
    plan = plan_from_agenda("East ICB", agenda, "Sam")
    rebuilt, missing = agenda_from_plan(plan, library)
    assert missing == []
    assert [(s.format_id, s.planned, s.per_person, s.prompt) for s in rebuilt][0] == ("check-in", 1200, 45, "One word?")


def test_plan_with_a_format_that_is_gone(library):
    plan = SeriesPlan("X", [PlanItem("vanished", "Old thing", 60), PlanItem("break", "Break", 600)])
    agenda, missing = agenda_from_plan(plan, library)
    assert [s.format_id for s in agenda] == ["break"] and missing == ["Old thing"]


def test_a_meeting_needs_a_title_or_series_and_an_agenda(library):
    with pytest.raises(PlanError) as raised:
        new_meeting(title=" ", series="", facilitator="", start=NOW, agenda=default_agenda(library))
    assert raised.value.field == "title"
    with pytest.raises(PlanError) as raised:
        new_meeting(title="T", series="", facilitator="", start=NOW, agenda=[])
    assert raised.value.field == "agenda"
    meeting = new_meeting(title="", series="East ICB", facilitator="", start=NOW, agenda=default_agenda(library))
    assert meeting.title == "East ICB, 26 Nov 2026"


def test_every_setting_of_every_segment_is_carried_to_the_next_meeting(library):
    from facilitate.kinds.open_space import resize_wall
    from facilitate.serial import to_dict

    space = library["open-space"].segment()
    resize_wall(space, slots=2, slot_minutes=20, spaces=["Seminar room", "Boardroom", "Café"], theme="Winter?")
    lean = library["lean-coffee"].segment(minutes=40)
    lean.lean_coffee.timebox_minutes, lean.lean_coffee.votes_per_person = 6.0, 4
    check_in = library["check-in"].segment(per_person=45)
    phased = library["1-2-4-all"].segment(minutes=24)
    agenda = [check_in, space, lean, phased]
    rebuilt, _ = agenda_from_plan(plan_from_agenda("East ICB", agenda), library)

    def settings(segment):
        shape = {k: v for k, v in to_dict(segment).items() if k not in ("id",)}
        for phase in shape["phases"]:
            phase.pop("elapsed")
        return shape

    assert [settings(s) for s in rebuilt] == [settings(s) for s in agenda]
    assert rebuilt[1].open_space.spaces == ["Seminar room", "Boardroom", "Café"] and rebuilt[1].planned == 95 * 60
    assert (rebuilt[2].lean_coffee.timebox_minutes, rebuilt[2].lean_coffee.votes_per_person) == (6.0, 4)


def test_a_saved_setting_the_format_no_longer_takes_is_left_out(library):
    plan = SeriesPlan("X", [PlanItem("lean-coffee", "Lean Coffee", 3600, options={"votes_per_person": "lots", "x": 1})])
    [segment], _ = agenda_from_plan(plan, library)
    assert segment.lean_coffee.votes_per_person == 3
