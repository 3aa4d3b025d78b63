"""One meeting as a short Slack message (mrkdwn), ready for the group's channel.

mrkdwn has no tables and no headings, so the message is a few labelled lines:
the meeting, who came, the decisions, and the actions with their owners and
due dates. User text goes through `facilitate.export.escape.slack`: `&`, `<`
and `>` become entities as Slack requires (so `<!channel>` is text and
cannot ping anyone), and nothing a person typed can open bold, code or a
link. Only the labels are bold, never user text, so a stray `*` in a name
cannot close them early. Deterministic, like every exporter.
"""

from __future__ import annotations

from facilitate.clock import format_minutes
from facilitate.export.escape import slack
from facilitate.export.markdown import FOLLOW_UP_MARK, clock_time, follow_up_lines, meeting_start, title_parts, uk_date
from facilitate.models import ACTION, DECISION, DONE, DROPPED, Meeting

BULLET = "•"
DASH = "–"


def render(meeting: Meeting) -> str:
    """The meeting as a Slack message."""
    lines = []
    title, series, when = title_parts(meeting)
    lines.append("*Meeting:* " + " · ".join(part for part in (slack(title, "Untitled meeting"), slack(series), when) if part))

    details = []
    start, end = clock_time(meeting_start(meeting)), clock_time(meeting.finished_at)
    if start:
        details.append(f"{start} to {end}" if end else start)
    actual = sum(segment.elapsed for segment in meeting.segments)
    if actual > 0:
        details.append(format_minutes(actual))
    if facilitator := slack(meeting.facilitator):
        details.append("facilitated by " + facilitator)
    if details:
        lines.append(", ".join(details))

    people = meeting.attendees
    new = sum(1 for person in people if person.new)
    if people:
        names = []
        for person in people:
            name = slack(person.name, "someone")
            organisation = slack(person.organisation)
            if organisation:
                name += f" ({organisation})"
            if person.new:
                name += ", new"
            names.append(name)
        count = f"{len(people)} {'person' if len(people) == 1 else 'people'}, {new} new"
        lines.append(f"*Who came ({count}):* " + "; ".join(names))
    else:
        lines.append("*Who came:* nobody was recorded")

    decisions = [item for item in meeting.items if item.kind == DECISION]
    if decisions:
        lines.append("")
        lines.append(f"*Decisions ({len(decisions)}):*")
        lines.extend(f"{BULLET} {slack(item.text, '(no text)')}" for item in decisions)

    actions = sorted((item for item in meeting.items if item.kind == ACTION), key=lambda i: (i.due is None, i.due or ""))
    lines.append("")
    if actions:
        lines.append(f"*Actions ({len(actions)}):*")
        for item in actions:
            # As agreed at the meeting; what became of it since beneath, dated.
            line = f"{BULLET} {slack(item.owner, 'No owner')}: {slack(item.text, '(no text)')}"
            due = uk_date(item.due)
            line += f" (due {due})" if due else " (no due date)"
            if item.status in (DONE, DROPPED):
                line += f" ({item.status})"
            lines.append(line)
            lines.extend(f"    {FOLLOW_UP_MARK} {text}" for text in follow_up_lines(meeting, item, slack))
    else:
        lines.append("*Actions:* none")
    return "\n".join(lines) + "\n"
