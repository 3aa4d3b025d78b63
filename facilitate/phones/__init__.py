"""Phones: participants sign in, propose, vote and report from their own phones.

The facilitator's app is the journal's one writer, so the participants' server
runs inside it (`facilitate.web.phones`) and hands every request to a `Desk`,
which is this module: pure, no HTTP. It decides who may do what, keeps the
allowances, and turns each submission into a typed journal event recorded
through the session (`session.record` fsyncs before it returns), so a phone is
told "received" only once the contribution is on the disk.

Every submission carries an idempotency key made on the phone. The event
records it with the device (`Phones.keys`, rebuilt by replaying the journal),
so a retry after a timeout, a reload or the app's restart is answered from the
journal, never counted twice.

What a phone is shown is the room's screen (`facilitate.room.state`) plus its
own part (`phone_view`): their name and whether they are in, and the segment
kind's phone part (`Kind.phone`: what they may send now, their own
contributions). Never the archive, past meetings, or other people's
organisations.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from facilitate import kinds
from facilitate.events import Admitted, Declined, PhonesRotated, PhonesSet, SignedIn
from facilitate.kinds import Refusal, Submission, text_field
from facilitate.models import DECLINED, HERE, WAITING_NOD, Device, Meeting, new_id
from facilitate.people import SAME_NAME
from facilitate.storage.errors import StorageError

NAME_LIMIT = 80
"""The longest name, organisation or "who invited you?" a phone may send."""
KEY_LIMIT = 64
"""The longest idempotency key."""
UNSAVED = "Not saved yet: the facilitator's disk refused it. Your phone will send it again."

__all__ = ["Answer", "Desk", "NAME_LIMIT", "KEY_LIMIT", "Refusal", "phone_view", "secret_hash"]


def secret_hash(secret: str) -> str:
    """What the journal keeps of a device's session secret."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Answer:
    """What a submission made: its id, and whether it was recorded now or answered from the journal."""

    result: str
    replayed: bool = False


def check_key(key: Any) -> str:
    if not isinstance(key, str) or not 8 <= len(key) <= KEY_LIMIT or not key.isascii() or not key.isprintable():
        raise Refusal("Each submission needs its key (8 to 64 plain characters)", "invalid")
    return key


class Desk:
    """The phones' way into a running meeting; see the module's docstring.

    `session` is the facilitator's `MeetingSession`. Every method runs on the app's
    event loop, between two awaits, so checking a key and recording its event
    cannot interleave with another request."""

    def __init__(self, session: Any) -> None:
        self.session = session

    @property
    def meeting(self) -> Meeting:
        meeting: Meeting = self.session.meeting
        return meeting

    @property
    def open(self) -> bool:
        return self.meeting.status == "running"

    # -- devices -----------------------------------------------------------------------------

    def device(self, device_id: str, secret: str) -> Device | None:
        """The device a session cookie names, if it is signed in at this code's generation."""
        phones = self.meeting.phones
        device = phones.device(device_id)
        if device is None or device.generation != phones.generation or device.state == DECLINED:
            return None
        if not secrets.compare_digest(device.secret, secret_hash(secret)):
            return None
        return device

    def sign_in(self, device_id: str, secret: str, fields: dict[str, Any], key: str) -> Device:
        """Someone signs in: here at once, or waiting for the facilitator (the meeting's choice,
        or a name only alike someone known, which is offered, never merged silently)."""
        self._must_be_open()
        check_key(key)
        name = text_field(fields, "name", NAME_LIMIT)
        organisation = text_field(fields, "organisation", NAME_LIMIT, required=False)
        invited_by = text_field(fields, "invited_by", NAME_LIMIT, required=False)
        phones = self.meeting.phones
        plan = self.session.plan_arrival(name, organisation)
        person_id: str | None = None
        offered: str | None = None
        candidates: list[str] = []
        new = False
        if plan.kind in ("here", "back"):
            assert plan.attendee is not None
            person_id = plan.attendee.person_id
        elif plan.kind == "known":
            assert plan.known is not None
            person_id = plan.known.id
        elif plan.kind == "new":
            person_id, new = new_id(), True
        elif plan.kind == "ambiguous":
            # Several people are equally alike: the facilitator chooses which (or someone new).
            candidates = [known.id for known in plan.candidates]
        sure = plan.kind in ("here", "back", "known", "new") and plan.how == SAME_NAME
        if not sure or phones.nod:
            offered = person_id if not new else None
            person_id, new, state = None, False, WAITING_NOD
        else:
            state = HERE
        recorded_name = plan.name if state == HERE else name
        earlier = phones.answer(device_id, key)
        if earlier is not None:
            if not self.session.deferring:
                self._must_be_saved()
            device = phones.device(earlier)
            assert device is not None
            return device
        self._record(
            SignedIn(
                id=device_id, secret=secret_hash(secret), name=recorded_name, organisation=plan.organisation,
                invited_by=invited_by, state=state, person_id=person_id, new=new, offered=offered,
                candidates=candidates, generation=phones.generation, device=device_id, key=key,
            )
        )  # fmt: skip
        device = phones.device(device_id)
        assert device is not None
        return device

    def _record(self, event: Any) -> None:
        try:
            self.session.record(event)
        except StorageError:
            raise Refusal(UNSAVED, "unsaved") from None

    def waiting(self) -> list[Device]:
        """Sign-ins waiting for the facilitator, oldest first."""
        phones = self.meeting.phones
        return [d for d in phones.devices if d.state == WAITING_NOD and d.generation == phones.generation]

    def offers(self, device: Device) -> list[tuple[str, str, str]]:
        """Who a waiting sign-in may be, for the facilitator to choose: (person id, name,
        organisation) of the one person alike, or of each of several equally alike."""
        people = {p.id: (p.name, p.organisation) for p in self.session.directory.people}
        people.update({a.person_id: (a.name, a.organisation) for a in self.meeting.attendees})
        ids = device.candidates or ([device.offered] if device.offered else [])
        return [(pid, *people[pid]) for pid in dict.fromkeys(ids) if pid in people]

    def admit(self, device_id: str, *, as_offered: bool = True, person_id: str | None = None) -> None:
        """The facilitator's nod: as `person_id` (one of those offered), else as the one person
        offered (if there is just one), else as someone new. Never as anyone not offered."""
        device = self.meeting.phones.device(device_id)
        if device is None or device.state != WAITING_NOD:
            return
        offers = [pid for pid, _, _ in self.offers(device)]
        if person_id is not None:
            if person_id not in offers:
                return
            offered: str | None = person_id
        elif as_offered and len(offers) > 1:
            return  # several are alike: the facilitator says which, or someone new
        else:
            offered = offers[0] if as_offered and offers else None
        attendee = self.meeting.attendee(offered) if offered else None
        known = next((p for p in self.session.directory.people if p.id == offered), None) if offered else None
        organisation = device.organisation
        if attendee is not None:
            name, person_id, new = attendee.name, attendee.person_id, False
            organisation = organisation or attendee.organisation
        elif known is not None:
            name, person_id, new = known.name, known.id, False
            organisation = organisation or known.organisation  # as a typed arrival keeps theirs
        else:
            name, person_id, new = device.name, new_id(), True
        self.session.record(
            Admitted(id=device.id, person_id=person_id, name=name, organisation=organisation, new=new)
        )

    def decline(self, device_id: str) -> None:
        self.session.record(Declined(id=device_id))

    def set_nod(self, nod: bool) -> None:
        self.session.record(PhonesSet(nod=nod))

    def rotate(self) -> None:
        """A new join code: every phone signed in so far must join again."""
        self.session.record(PhonesRotated())

    # -- contributions --------------------------------------------------------------------------

    def submit(self, device: Device, what: str, fields: dict[str, Any], key: str) -> Answer:
        """A contribution from a signed-in phone, recorded once whatever the retries. Raises `Refusal`."""
        check_key(key)
        earlier = self.meeting.phones.answer(device.id, key)
        if earlier is not None:
            if not self.session.deferring:
                self._must_be_saved()
            return Answer(earlier, replayed=True)
        self._must_be_open()
        if device.state != HERE or device.person_id is None:
            raise Refusal("The facilitator has not let you in yet", "waiting")
        attendee = self.meeting.attendee(device.person_id)
        if attendee is None or not attendee.present:
            raise Refusal("You are not at the meeting now: sign in again", "waiting")
        segment = self.meeting.segment
        if segment is None:
            raise Refusal("Nothing is running now")
        if not isinstance(what, str) or len(what) > 20:
            raise Refusal("Unknown request", "invalid")
        submission = Submission(what, fields, attendee.person_id, attendee.name, device.id, key)
        try:
            return Answer(kinds.get(segment.kind).contribute(self.session, segment, submission))
        except StorageError:
            raise Refusal(UNSAVED, "unsaved") from None

    def _must_be_open(self) -> None:
        if not self.open:
            raise Refusal("The meeting has ended", "ended")

    def _must_be_saved(self) -> None:
        """A key the meeting knows is acknowledged only once its event is on the disk."""
        if self.session.unsaved and not self.session.retry_save():
            raise Refusal(UNSAVED, "unsaved")

    # -- what a phone sees ------------------------------------------------------------------------

    def view(self, device: Device | None) -> dict[str, Any]:
        return phone_view(self.meeting, device)


def phone_view(meeting: Meeting, device: Device | None) -> dict[str, Any]:
    """A phone's own part beside the room's screen: who they are here, and what they may send."""
    if device is None:
        return {"me": None, "segment": {}}
    person_id = device.person_id if device.state == HERE else None
    attendee = meeting.attendee(person_id) if person_id else None
    segment = meeting.segment
    part: dict[str, Any] = {}
    if segment is not None and meeting.status == "running":
        part = kinds.get(segment.kind).phone(meeting, segment, person_id)
        if not part and segment.round is not None:
            part = kinds.rounds().phone(meeting, segment, person_id)
    return {
        "me": {
            "name": attendee.name if attendee is not None else device.name,
            "state": device.state if meeting.status == "running" else "ended",
        },
        "segment": part,
    }
