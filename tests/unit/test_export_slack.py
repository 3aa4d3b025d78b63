"""The Slack message: short, no tables, nothing that pings or formats from user text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.export.slack import render
from facilitate.models import Meeting
from tests.fixtures import check_golden, rich_meeting
from tests.unit.test_export_escape import hostile_text
from tests.unit.test_export_markdown import replace_text


def test_golden_message():
    check_golden("rich_meeting.slack.txt", render(rich_meeting()))


def test_the_meeting_who_came_and_the_actions():
    text = render(rich_meeting())
    lines = text.splitlines()
    assert lines[0] == (
        "*Meeting:* November open meeting | &lt;script&gt;alert(1)&lt;/script&gt; · East ICB open meeting · Thu 26 Nov 2026"
    )
    assert lines[1] == "10:00 to 12:05, 2 h, facilitated by Sam [b]Facilitator[/]"
    assert lines[2].startswith(
        '*Who came (8 people, 3 new):* Asha Patel (Age UK); O\'Brien, "Mo" (Carers | Trust), new;'
    )
    actions = lines[lines.index("*Actions (5):*") + 1 :]
    # As agreed, soonest due first, with what happened since beneath, dated.
    assert actions[0] == "• &lt;!channel&gt;: Ask &lt;!channel&gt; about @\u2060here (due Fri 27 Nov 2026)"
    assert actions[1] == "    ↳ 10 Dec: done"
    assert actions[2] == "• Asha Patel: Send the map to [x](javascript:alert(1)) (due Fri 4 Dec 2026)"
    assert actions[3] == "    ↳ 13 Dec: given to Zoë Ångström, due Fri 18 Dec 2026"
    assert actions[-1] == "• No owner: Book the room (no due date) (done)"
    assert not any(line.startswith("|") for line in lines)  # mrkdwn has no tables


def test_nothing_pings_or_links():
    text = render(rich_meeting())
    assert "<" not in text and ">" not in text
    assert not re.search(r"@(channel|here|everyone)", text)


def test_an_empty_meeting():
    assert (
        render(Meeting(id="x", title=""))
        == "*Meeting:* Untitled meeting\n*Who came:* nobody was recorded\n\n*Actions:* none\n"
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_text_keeps_the_message_shape(data):
    fuzzed = rich_meeting()
    replace_text(fuzzed, lambda _: data.draw(hostile_text))
    text = render(fuzzed)
    assert "<" not in text and ">" not in text
    assert not re.search(r"@(channel|here|everyone)", text, re.IGNORECASE)
    # Newlines in names and actions never get through: one line per person list, decision, action.
    plain_twin = rich_meeting()
    replace_text(plain_twin, lambda _: "x")
    assert len(text.splitlines()) == len(render(plain_twin).splitlines())
    # The only formatting characters not defused are our own labels' asterisks.
    for line in text.splitlines():
        rest = re.sub(r"^\*[A-Z][a-z ]+(?: \([0-9a-z, ]+\))?:\*", "", line)
        assert not re.search(r"(?<!\u200b)[*_~`]", rest), line
