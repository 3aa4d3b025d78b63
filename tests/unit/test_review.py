"""The review core: history and search, actions, people and the group, on a known archive."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bench.generate import write_archive
from facilitate.actions import update_action
from facilitate.archive import Archive
from facilitate.review import (
    LATE,
    ON_TIME,
    STILL_OPEN,
    Review,
    fold,
    query_words,
    search_text,
)
from tests.data import HOSTILE, TODAY
from tests.unit.review_helpers import ASHA, BEN, BOB, DEV, ZOE, build


@pytest.fixture
def archive(tmp_path):
    archive = build(tmp_path / "archive.json")
    yield archive
    archive.close()


@pytest.fixture
def review(archive):
    review = Review()
    review.refresh(archive)
    return review


def ids(summaries) -> list[str]:
    return [s.id for s in summaries]


# -- history and search -----------------------------------------------------------------


def test_history_is_newest_first_and_filters_by_series(review):
    assert ids(review.history()) == ["m3", "n1", "m2", "m1"]
    assert ids(review.history(series="east icb")) == ["m3", "m2", "m1"]
    assert ids(review.history(series="North")) == ["n1"]
    assert review.history(series="Nowhere") == []
    assert review.series_names() == ["East ICB", "North"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("winter", ["m1"]),  # a note
        ("MONTHLY", ["m1"]),  # a decision, any case
        ("leaflet", ["m2"]),  # a note and an action
        ("referral form", ["m1"]),  # every word must be there
        ("referral leaflet", []),
        ("asha", ["m3", "m2", "m1"]),  # a person's name
        ("addenbrooke's", ["n1", "m2", "m1"]),  # an organisation
        ("zoe", ["m3", "m2"]),  # accents ignored
        ("ÅNGSTRÖM", ["m3", "m2"]),
        ("[b]bob[/]", ["m3"]),  # markup is text
        ("<script>", ["m3"]),
        ("minibus", ["m3"]),  # an open space session's report
        ("lunch clubs", ["m3"]),  # its title
        ("comms team", ["m2"]),  # an action's owner
        ("north huddle", ["n1"]),  # a title
        ("nothing like this", []),
    ],
)
def test_search_looks_everywhere_people_type(review, query, expected):
    assert ids(review.history(query=query)) == expected


def test_search_and_series_filter_combine(review):
    assert ids(review.history(series="East ICB", query="ben")) == ["m2", "m1"]


def test_an_empty_search_is_everything(review):
    assert ids(review.history(query="   ")) == ["m3", "n1", "m2", "m1"]


def test_search_does_not_match_across_two_fields(review):
    # "…5 beds short" is followed by the decision "We meet monthly…": no "short we".
    assert review.history(query="shortwe") == []
    assert review.history(query="short\nwe") == review.history(query="short we")


def test_fold_ignores_case_width_and_accents():
    assert fold("Zoë Ångström") == "zoe angstrom"
    assert fold("Ｆｕｌｌｗｉｄｔｈ") == "fullwidth"
    assert fold("STRASSE") == fold("straße")
    assert fold("مريم الحسن") == "مريم الحسن"


@pytest.mark.parametrize("text", HOSTILE)
def test_every_hostile_string_is_found_by_itself(text):
    doc = {"title": text, "items": [{"kind": "note", "text": "plain"}]}
    words = [fold(w) for w in text.split()]
    folded = search_text(doc)
    assert all(word in folded for word in words)


def test_search_text_survives_damaged_documents():
    assert search_text({"title": 5, "attendees": [None, "x", {"name": 3}], "items": "no", "segments": [{"open_space": []}]}) == ""


# -- actions ---------------------------------------------------------------------------------


def action_ids(rows) -> list[str]:
    return [r.item_id for r in rows]


def test_open_actions_soonest_due_first_undated_last(review):
    assert action_ids(review.actions("open")) == ["a3", "b1", "a5", "a4"]


def test_overdue_actions_are_open_and_past_their_date(review):
    assert action_ids(review.actions("overdue", today=TODAY)) == ["a3", "b1"]
    # The day it is due is not yet overdue.
    assert action_ids(review.actions("overdue", today=date(2026, 10, 8))) == []
    assert action_ids(review.actions("overdue", today=date(2026, 10, 9))) == ["a3"]


def test_done_actions_most_recently_closed_first(review):
    assert action_ids(review.actions("done")) == ["a2", "a1"]


def test_all_actions_open_first(review):
    rows = review.actions("all")
    assert action_ids(rows[:4]) == ["a3", "b1", "a5", "a4"]
    assert set(action_ids(rows[4:])) == {"a1", "a2", "a6"}


def test_actions_by_owner_and_series(review):
    assert action_ids(review.actions("all", owner="ben")) == ["b1", "a2"]
    assert action_ids(review.actions("all", owner="ODE")) == ["b1", "a2"]
    assert action_ids(review.actions("all", owner="zoe")) == ["a3"]  # accents ignored
    assert action_ids(review.actions("all", owner="ben", series="East ICB")) == ["a2"]
    assert action_ids(review.actions("open", series="north")) == ["b1"]
    assert action_ids(review.actions("all", owner="comms")) == ["a4"]
    assert review.actions("all", owner="nobody") == []


def test_an_action_knows_its_meeting(review):
    (row,) = review.actions("open", owner="bob")
    assert (row.meeting_id, row.meeting_title, row.meeting_date, row.series) == ("m3", "Open space: loneliness", "2026-11-05", "East ICB")
    assert row.owner == "[b]Bob[/]"


def test_timeliness(review):
    rows = {r.item_id: r for r in review.actions("all")}
    assert rows["a1"].timeliness == ON_TIME
    assert rows["a2"].timeliness == LATE
    assert rows["a3"].timeliness == STILL_OPEN
    assert rows["a6"].timeliness == "dropped"


def test_unknown_filters_are_refused(review):
    with pytest.raises(ValueError):
        review.actions("later")
    with pytest.raises(ValueError):
        review.actions("overdue")  # needs today


# -- people ---------------------------------------------------------------------------------------


def test_people_statistics(review, archive):
    people = {p.id: p for p in review.people(archive.people(), TODAY)}
    asha = people[ASHA]
    assert (asha.name, asha.organisation, asha.meetings, asha.first_seen, asha.last_seen) == (
        "Asha Patel", "Age UK", 3, "2026-09-03", "2026-11-05",
    )  # fmt: skip
    assert asha.open_actions == 0  # a1 done, a6 dropped
    ben = people[BEN]
    assert (ben.meetings, ben.first_seen, ben.last_seen, ben.open_actions, ben.overdue_actions) == (
        3, "2026-09-03", "2026-10-15", 1, 1,
    )  # fmt: skip
    assert ben.series == {"East ICB", "North"}
    assert (people[ZOE].open_actions, people[ZOE].overdue_actions) == (1, 1)
    assert (people[BOB].open_actions, people[BOB].overdue_actions) == (1, 0)
    assert people[DEV].meetings == 1


def test_people_are_sorted_by_name_so_duplicates_sit_together(review, archive):
    names = [p.name for p in review.people(archive.people())]
    # Brackets and accents do not decide the order: "[b]Bob[/]" sorts as "b bob".
    assert names == ["Asha Patel", "[b]Bob[/]", "Ben Ode", "Dev Shah", "Zoë Ångström"]


def test_someone_in_a_meeting_but_not_on_record_still_counts(review):
    people = {p.id: p for p in review.people([])}
    assert people[ZOE].name == "Zoë Ångström"
    assert people[ZOE].meetings == 2


# -- the group ------------------------------------------------------------------------------------------


def test_group_attendance_returning_and_new_to_the_series(review):
    stats = review.group("east icb", TODAY)
    assert stats.series == "East ICB"
    assert [(m.meeting_id, m.returning, m.new) for m in stats.meetings] == [("m1", 0, 2), ("m2", 2, 1), ("m3", 2, 1)]
    assert stats.people == 4
    assert stats.new_people == 4


def test_new_to_the_series_even_if_known_elsewhere(review):
    # Ben came to East ICB first; at North he is new to that group.
    stats = review.group("North", TODAY)
    assert [(m.returning, m.new) for m in stats.meetings] == [(0, 2)]


def test_group_organisations_over_time(review):
    stats = review.group("East ICB", TODAY)
    assert [(m.organisations, m.new_organisations) for m in stats.meetings] == [(2, 2), (3, 1), (3, 1)]
    orgs = {o.name: o for o in stats.organisations}
    assert (orgs["Age UK"].meetings, orgs["Age UK"].first_seen, orgs["Age UK"].last_seen) == (3, "2026-09-03", "2026-11-05")
    assert orgs["[red]Council"].meetings == 1
    assert stats.organisations[0].name == "Age UK"  # most meetings first


def test_group_actions_on_time_late_open(review):
    tally = review.group("East ICB", TODAY).actions
    assert (tally.on_time, tally.late, tally.open, tally.overdue, tally.dropped) == (1, 1, 3, 1, 1)
    assert tally.total == 6


def test_group_of_an_unknown_series_is_empty(review):
    stats = review.group("Nowhere")
    assert stats.meetings == [] and stats.people == 0 and stats.actions.total == 0


# -- keeping up with the archive ----------------------------------------------------------------------


def test_refresh_redistils_only_what_changed(archive, review):
    assert review.refresh(archive) == 0
    update_action(archive, "m2", "a3", status="done", now=datetime(2026, 11, 26, 10, tzinfo=timezone.utc))
    assert review.refresh(archive) == 1
    assert "a3" not in action_ids(review.actions("open"))
    assert action_ids(review.actions("done"))[0] == "a3"


def test_refresh_sees_new_meetings(archive, review):
    from tests.unit.review_helpers import attendee, meeting

    archive.save_meeting(meeting("m4", "East ICB", "2026-11-20", "Late November", [attendee(ASHA)], []))
    assert review.refresh(archive) == 1
    assert ids(review.history())[0] == "m4"
    assert ids(review.history(query="late november")) == ["m4"]


def test_refresh_reports_progress(tmp_path):
    path = tmp_path / "archive.json"
    write_archive(path, 30, seed=2)
    archive = Archive(path, read_only=True).open()
    seen = []
    Review().refresh(archive, progress=lambda done, total: seen.append((done, total)), every=10)
    assert seen == [(10, 30), (20, 30), (30, 30), (30, 30)]


def test_a_review_without_search_text_keeps_no_text(archive):
    review = Review(with_text=False)
    review.refresh(archive)
    assert all(f.text == "" for f in review.meetings)
    assert action_ids(review.actions("open")) == ["a3", "b1", "a5", "a4"]


# -- search, for any text -------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("[]/<>|*_`#@!'\" "),
    min_size=1,
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(note=typed_text, data=st.data())
def test_any_word_of_a_note_finds_its_meeting(note, data):
    words = note.split()
    if not words:
        return
    word = data.draw(st.sampled_from(words))
    doc = {"title": "t", "items": [{"kind": "note", "text": note}]}
    assert all(part in search_text(doc) for part in query_words(word))


@settings(max_examples=200, deadline=None)
@given(note=typed_text)
def test_the_search_text_never_joins_two_fields(note):
    # Whatever is typed, the fragments stay on their own lines: a search for
    # the end of one and the start of the next finds nothing.
    doc = {"title": "zzqq", "items": [{"kind": "note", "text": note}, {"kind": "note", "text": "qqzz"}]}
    text = search_text(doc)
    assert text.startswith("zzqq\n") and text.endswith("\nqqzz")
    assert text == "\n".join(["zzqq", fold(note), "qqzz"])


def test_meetings_visited_as_the_archive_opens_are_not_read_again(archive, monkeypatch):
    review = Review()
    for summary in archive.listings():
        review.visit(summary, archive.meeting_doc(summary.id))
    monkeypatch.setattr(archive, "meeting_doc", lambda meeting_id: pytest.fail("read again"))
    assert review.refresh(archive) == 0
    assert ids(review.history(query="winter")) == ["m1"]


def test_who_brought_whom_across_the_series(tmp_path):
    from facilitate.models import Attendee, Meeting

    def meeting(meeting_id: str, day: str, *people: tuple[str, str, str]) -> Meeting:
        return Meeting(
            id=meeting_id, title="Open meeting", series="East ICB", status="finished",
            started_at=f"{day}T10:00:00+00:00", finished_at=f"{day}T12:00:00+00:00",
            attendees=[Attendee(person_id=p, name=n, invited_by=by) for p, n, by in people],
        )  # fmt: skip

    archive = Archive(tmp_path / "archive.json").open()
    archive.save_meeting(meeting("m1", "2026-09-03", ("p1", "Tom Reed", ""), ("p2", "Asha Patel", "tom reed")))
    archive.save_meeting(meeting("m2", "2026-10-01", ("p1", "Tom Reed", ""), ("p2", "Asha Patel", "Someone else"),
                                ("p3", "Ben Ode", "Tom Reed"), ("p4", "Zoë Ångström", "Asha Patel")))  # fmt: skip
    archive.close()
    archive = Archive(tmp_path / "archive.json").open()
    review = Review()
    review.refresh(archive)
    archive.close()
    brought = review.group("East ICB", TODAY).brought
    # Asha is counted once, under whom she first named; "tom reed" is Tom Reed as the series knows him.
    assert [(b.name, b.people, b.first) for b in brought] == [
        ("Tom Reed", ["Asha Patel", "Ben Ode"], "2026-09-03"),
        ("Asha Patel", ["Zoë Ångström"], "2026-10-01"),
    ]
