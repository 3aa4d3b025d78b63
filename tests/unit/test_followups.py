"""Minutes as agreed: an action keeps what its meeting agreed; follow-ups say what became of it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facilitate.export.markdown import uk_date
from facilitate.followups import current, current_of_doc, describe, record
from facilitate.models import ACTION, FollowUp, Item
from facilitate.serial import to_dict


def action(**fields) -> Item:
    base = {"id": "a1", "kind": ACTION, "text": "chase the estates team", "owner": "Mark Lee", "owner_id": "p-mark",
            "due": "2026-12-01", "due_text": "tue"}  # fmt: skip
    return Item(**(base | fields))


def test_without_follow_ups_an_action_stands_as_agreed():
    state = current(action())
    assert (state.owner, state.owner_id, state.due, state.status, state.closed_at) == (
        "Mark Lee", "p-mark", "2026-12-01", "open", None,
    )  # fmt: skip


def test_follow_ups_apply_in_order_and_leave_the_action_as_agreed():
    item = action()
    record(item, FollowUp(at="2026-12-13T10:20:00+00:00", outcome="reowned", meeting="m2",
                          owner="Ollie Grant", owner_id="p-ollie", due="2026-12-18"))  # fmt: skip
    record(item, FollowUp(at="2026-12-17T09:00:00+00:00", outcome="done"))
    assert (item.owner, item.due, item.status) == ("Mark Lee", "2026-12-01", "open")
    state = current(item)
    assert (state.owner, state.owner_id, state.due, state.status) == ("Ollie Grant", "p-ollie", "2026-12-18", "done")
    assert state.closed_at == "2026-12-17T09:00:00+00:00"
    record(item, FollowUp(at="2026-12-20T09:00:00+00:00", outcome="reopened"))
    assert (current(item).status, current(item).closed_at) == ("open", None)


def test_a_meeting_deciding_again_replaces_its_own_follow_up():
    item = action()
    first = FollowUp(at="2026-12-13T10:20:00+00:00", outcome="carried", meeting="m2", due="2026-12-18")
    assert record(item, first)
    assert not record(item, FollowUp(**vars(first))), "saved again: nothing changes"
    assert record(item, FollowUp(at="2026-12-13T10:25:00+00:00", outcome="done", meeting="m2"))
    assert [entry.outcome for entry in item.log] == ["done"]
    assert current(item).due == "2026-12-01"


def test_describe_says_what_happened_and_when():
    def said(**fields) -> str:
        return describe(FollowUp(**fields), year=2026, date_words=uk_date)

    assert said(at="2026-12-13T10:20:00+00:00", outcome="reowned", owner="Ollie Grant", due="2026-12-18") == (
        "13 Dec: given to Ollie Grant, due Fri 18 Dec 2026"
    )
    assert said(at="2026-12-10T16:00:00+00:00", outcome="done") == "10 Dec: done"
    assert said(at="2026-12-10T16:00:00+00:00", outcome="dropped", note="no longer needed") == (
        "10 Dec: dropped (no longer needed)"
    )
    assert said(at="2027-01-04T16:00:00+00:00", outcome="carried", due="2027-01-15") == (
        "4 Jan 2027: carried forward, due Fri 15 Jan 2027"
    )
    assert said(at="2026-12-04T16:00:00+00:00", outcome="carried") == "4 Dec: carried forward"
    assert said(at="2026-12-04T16:00:00+00:00", outcome="redated", due="2026-12-11") == (
        "4 Dec: new due date Fri 11 Dec 2026"
    )
    assert said(at="2026-12-04T16:00:00+00:00", outcome="reowned", owner="") == "4 Dec: no owner now"
    assert said(at="2026-12-04T16:00:00+00:00", outcome="reopened") == "4 Dec: reopened"


follow_ups = st.builds(
    FollowUp,
    at=st.sampled_from(["2026-12-01T10:00:00+00:00", "2026-12-09T10:00:00+00:00", "garbage"]),
    outcome=st.sampled_from(["done", "dropped", "reopened", "carried", "reowned", "redated"]),
    meeting=st.sampled_from(["", "m2", "m3"]),
    owner=st.one_of(st.none(), st.sampled_from(["", "Ollie Grant", "[b]x[/]"])),
    owner_id=st.one_of(st.none(), st.just("p-ollie")),
    due=st.one_of(st.none(), st.sampled_from(["2026-12-18", "2027-01-08"])),
)


@given(st.lists(follow_ups, max_size=6))
def test_the_stored_and_the_typed_action_stand_alike(entries):
    item = action(log=entries)
    assert current_of_doc(to_dict(item)) == current(item)
    assert (item.owner, item.due, item.status) == ("Mark Lee", "2026-12-01", "open")
