"""Who the archive knows: recognising them when they come back, correcting and merging their records.

People are typed in a hurry as they arrive: "Tom Reed" for the "Dr Tom
Reed" of last month, "Zoe Angstrom" for "Zoë Ångström", "T Reed", "Reed
Tom". `compare_names` says how alike two names are:

- `SAME_NAME`: the same name, give or take case and spacing;
- `SAME_WORDS`: the same words once titles (Dr, Prof, Cllr, Mr, Mrs, Ms,
  Sir, Rev...), accents, punctuation and word order are set aside;
- `SIMILAR`: the same first name and surname where one is written as an
  initial ("T Reed", "Tom R") or a familiar form ("Tommy", "Thomas"), or
  one has a middle name the other leaves out ("Tom J Reed").

Anything else is a different person. Two names must share a surname to be
alike (or give it as an initial against a first name written out in full):
"Tom Reed" and "Anna Reed" are never alike, nor are "Tom Reed" and "Tom
Smith", nor a lone "Tom" and "Tom Reed".

`PeopleDirectory.recognise` picks out who an arrival is: the one known
person whose name is most alike, an organisation typed choosing between
namesakes. A same-name match needs no question; a near one is offered (the
capture line says who, and Enter confirms); several equally near ones are
listed, never guessed between. Nothing here decides on its own: the meeting
acts on what the facilitator confirms.

The second half keeps the records right afterwards, from the people screen:
`edit_person` corrects someone's name and organisation in every meeting they
appear in, and `merge_people` makes two records of one person one, keeping all
their history. The pure rules beneath them (`references`, `rename_person`,
`merge_person`) change one meeting at a time.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from facilitate.models import PASSED, SPOKE, WAITING, Attendee, Meeting, Person, Proposal, RoundState
from facilitate.records import proposal_records, records
from facilitate.text import clean_line, name_key

if TYPE_CHECKING:
    from facilitate.archive import Archive

SAME_NAME, SAME_WORDS, SIMILAR, DIFFERENT = 3, 2, 1, 0

TITLES = frozenset(
    """
    dr doctor prof professor cllr councillor mr mrs ms miss mx sir dame lord lady
    rev revd reverend fr father sister canon rabbi imam
    """.split()
)
"""Words before a name that say what someone is, not who: left out when names are compared."""

POST_NOMINALS = frozenset("mbe obe cbe dbe kbe phd md frcp frcgp mrcgp frcs rgn rmn rn kc qc jp mp".split())
"""Letters after a name (honours, qualifications): left out too."""

_NICKNAMES = [
    "tom tommy thomas", "bob bobby rob robbie robert bert", "bill billy will willy william liam",
    "liz lizzie beth betty eliza elizabeth", "kate katie kath cath cathy catherine katherine kathryn kat",
    "jim jimmy james jamie", "mike mick mikey michael", "dave davy david", "dan danny daniel",
    "sam sammy samuel samantha", "alex alexander alexandra", "chris christopher christine christina",
    "nick nicky nicholas", "nicky nikki nicola", "jo joanne joanna josephine", "joe joey joseph",
    "steve stephen steven", "andy andrew", "tony anthony", "pete peter", "matt matthew", "ben benjamin",
    "ed eddie edward ted ned", "jen jenny jennifer", "sue susie susan suzanne", "pat patricia patrick",
    "maggie meg peggy margaret", "rick ricky rich richard dick", "harry henry hal", "charlie charles chas",
    "fred freddie frederick", "gill gillian jill", "ollie oliver", "abi abby abigail", "becky becca rebecca",
    "debbie deb deborah", "jess jessie jessica", "vicky vicki victoria", "jon jonathan", "tim timothy",
    "greg gregory", "ken kenneth", "ray raymond", "phil philip phillip", "di diana", "val valerie",
    "mandy amanda", "mo maureen", "sandy sandra", "lou louise louisa", "em emma emily", "geoff geoffrey",
    "jeff jeffrey", "len leonard", "les leslie lesley", "terry terence", "barb barbara", "jack jackie",
    "andie andrea", "fran frances francesca", "frank francis", "nat natalie natasha", "caz caroline carol",
]
_FAMILY: dict[str, set[str]] = {}
for _group in _NICKNAMES:
    _names = set(_group.split())
    for _name in _names:
        _FAMILY.setdefault(_name, set()).update(_names)

_FOLD = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})
_APOSTROPHES = re.compile(r"['’‘`´]")
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1 << 16)
def _form(name: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    """A name as compared, worked out once: its key, its words, its words without titles, folded."""
    return name_key(name), tuple(name_words(name)), tuple(core_words(name)), fold(name).strip()


def fold(text: str) -> str:
    """Text as names compare: case, accents and ligatures set aside (`Zoë Ångström` is `zoe angstrom`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)


def name_words(name: str) -> list[str]:
    """A name's words, folded, without punctuation: `O'Brien-Smith, T.` is `obrien smith t`."""
    return _WORD.findall(_APOSTROPHES.sub("", fold(name)))


def core_words(name: str) -> list[str]:
    """A name's words without the titles before it and the letters after it (`Dr Tom Reed MBE`: tom reed).

    A name that is nothing but such words keeps them (someone may be called `Rabbi`)."""
    words = name_words(name)
    start = 0
    while start < len(words) - 1 and words[start] in TITLES:
        start += 1
    end = len(words)
    # Letters after a name only where two words of it stay (`Aa Mp` may be someone's name).
    while end > start + 2 and words[end - 1] in POST_NOMINALS:
        end -= 1
    return words[start:end]


EXACT, FAMILIAR, INITIAL = 2, 1, 0


def _words_alike(a: str, b: str) -> int | None:
    """How two words of a name correspond: the same, a familiar form, an initial; or not at all."""
    if a == b:
        return EXACT
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else None
    if b in _FAMILY.get(a, ()):
        return FAMILIAR
    return None


def _similar(short: list[str], long: list[str]) -> bool:
    """`short` is `long` written more briefly: each word in order against a word of `long`, the
    first against the first; the surname (the last word of `short`) written out or as an initial;
    and at least one word of two letters or more the same in both."""
    if len(short) < 2 or len(long) < len(short):
        return False

    def place(i: int, j: int, exact: bool) -> bool:
        if i == len(short):
            return exact
        for k in range(j, len(long)):
            if i == 0 and k != 0:
                break
            how = _words_alike(short[i], long[k])
            if how is None or (i == len(short) - 1 and how == FAMILIAR):
                continue
            if place(i + 1, k + 1, exact or (how == EXACT and len(short[i]) > 1)):
                return True
        return False

    return place(0, 0, False)


def compare_names(a: str, b: str) -> int:
    """How alike two names are: `SAME_NAME`, `SAME_WORDS`, `SIMILAR` or `DIFFERENT` (see the module)."""
    key_a, _, core_a, _ = _form(a)
    key_b, _, core_b, _ = _form(b)
    if key_a == key_b and key_a:
        return SAME_NAME
    wa, wb = list(core_a), list(core_b)
    if not wa or not wb:
        return DIFFERENT
    if wa == wb or (len(wa) > 1 and sorted(wa) == sorted(wb)):
        return SAME_WORDS
    if len(wa) <= len(wb):
        alike = _similar(wa, wb)
    else:
        alike = _similar(wb, wa)
    return SIMILAR if alike else DIFFERENT


def words_start(typed: str, name: str) -> bool:
    """Every word typed starts a different word of the name, in any order ("reed", "tom r", "zoe")."""
    typed_words = _form(typed)[1]
    if not typed_words:
        return False
    words = list(_form(name)[1])
    for word in typed_words:
        for index, candidate in enumerate(words):
            if candidate.startswith(word):
                del words[index]
                break
        else:
            return False
    return True


@dataclass
class Known:
    """A person as the directory offers them."""

    id: str
    name: str
    organisation: str = ""
    meetings: int = 0
    last_seen: str = ""


@dataclass(frozen=True)
class Recognition:
    """Who an arrival may be, among the people known."""

    person: Known | None = None
    """Who Enter takes them for; None when nobody is alike, or several are equally."""
    how: int = DIFFERENT
    """How alike the names are (`SAME_NAME`: no question to ask)."""
    candidates: tuple[Known, ...] = ()
    """Everyone equally alike when there is no one `person` (an organisation chooses)."""

    @property
    def near(self) -> bool:
        """Someone known whose name is alike but not the same: to confirm."""
        return self.person is not None and self.how != SAME_NAME

    @property
    def ambiguous(self) -> bool:
        return self.person is None and len(self.candidates) > 1


def recognise(
    name: str, organisation: str, people: Iterable[Known], exclude: set[str] | frozenset[str] = frozenset()
) -> Recognition:
    """Who among `people` an arrival called `name` (of `organisation`) is, if anyone; see the module."""
    best, found = DIFFERENT, []
    for person in people:
        if person.id in exclude:
            continue
        how = compare_names(name, person.name)
        if how > best:
            best, found = how, [person]
        elif how == best and how != DIFFERENT:
            found.append(person)
    if not found:
        return Recognition()
    org = name_key(organisation)
    if org and len(found) > 1:
        same_org = [p for p in found if name_key(p.organisation) == org]
        if same_org:
            found = same_org
    # Two records alike in name and organisation are one person recorded twice: the regular one.
    distinct = {(name_key(p.name), name_key(p.organisation)) for p in found}
    if len(distinct) == 1:
        return Recognition(max(found, key=lambda p: (p.meetings, p.last_seen)), best)
    found.sort(key=lambda p: (-p.meetings, name_key(p.name)))
    return Recognition(None, best, tuple(found))


@dataclass
class PeopleDirectory:
    """Known people, looked up by name as the facilitator types."""

    people: list[Known] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key: dict[str, list[Known]] = {}
        self._by_word: dict[str, list[Known]] = {}
        for person in self.people:
            self._index(person)
        # Made now, with the directory, rather than on the first key typed.
        self._build_words()

    _words: list[tuple[str, int]] | None = None

    def _build_words(self) -> None:
        self._words = sorted((w, index) for index, p in enumerate(self.people) for w in set(_form(p.name)[1]))

    def _index(self, person: Known) -> None:
        self._words = None
        self._by_key.setdefault(name_key(person.name), []).append(person)
        # Alike names share a word of two letters or more (a surname, a first name):
        # only the people sharing one are compared with what is typed.
        for word in set(_form(person.name)[2]):
            if len(word) > 1:
                self._by_word.setdefault(word, []).append(person)

    def add(self, person: Known) -> None:
        self.people.append(person)
        self._index(person)

    def exact(self, name: str, organisation: str = "") -> Known | None:
        """The known person with this name; with namesakes, the one from `organisation`, else the most regular."""
        matches = self._by_key.get(name_key(name), [])
        if not matches:
            return None
        if organisation:
            org = name_key(organisation)
            for person in matches:
                if name_key(person.organisation) == org:
                    return person
        return max(matches, key=lambda p: (p.meetings, p.last_seen))

    def recognise(self, name: str, organisation: str = "", exclude: set[str] | None = None) -> Recognition:
        """Who an arrival is among the people known (see `recognise`)."""
        candidates: dict[int, Known] = {id(p): p for p in self._by_key.get(name_key(name), [])}
        for word in set(_form(name)[2]):
            for person in self._by_word.get(word, ()):
                candidates[id(person)] = person
        return recognise(name, organisation, candidates.values(), frozenset(exclude or ()))

    def suggest(self, prefix: str, limit: int = 6, exclude: set[str] | None = None) -> list[Known]:
        """People whose name matches what was typed, each word typed starting a word of the name
        ("tom", "reed", "t ree", "zoe"); names that start with it first, then regulars."""
        typed = _form(prefix)[1]
        if not typed:
            return []
        key = _form(prefix)[3]
        exclude = exclude or set()
        scored = []
        for person in self._starting(max(typed, key=len)):
            if person.id in exclude or not words_start(prefix, person.name):
                continue
            full = _form(person.name)[3]
            rank = 0 if full.startswith(key) else 1
            scored.append((rank, -person.meetings, full, person))
        scored.sort(key=lambda entry: entry[:3])
        return [entry[3] for entry in scored[:limit]]

    def _starting(self, word: str) -> list[Known]:
        """The people with a word of their name starting with `word` (from a sorted index of
        every word: a bisection, not a pass over everyone, as each key is typed)."""
        if self._words is None:
            self._build_words()
        assert self._words is not None
        start = bisect_left(self._words, (word,))
        found: dict[int, Known] = {}
        for entry_word, index in self._words[start:]:
            if not entry_word.startswith(word):
                break
            found[index] = self.people[index]
        return [found[index] for index in sorted(found)]


# -- correcting and merging records ---------------------------------------------------------


def edit_person(archive: Archive, person_id: str, name: str, organisation: str) -> int:
    """Correct someone's name and organisation, everywhere they appear; one write.

    Their attendee records, the actions they own and the sessions they
    convened take the new name. An attendee record's organisation changes
    where it was the one being corrected; an earlier, different one stays
    in the history. Returns how many meetings changed. Raises `ValueError`
    (no name), `KeyError` (nobody with that id), `ArchiveError` or `StorageError`.
    """
    name, organisation = clean_line(name), clean_line(organisation)
    if not name:
        raise ValueError("A person needs a name")
    with archive.lock:
        archive.check_writable()
        old_org = archive.person(person_id).organisation
        changed: list[Meeting] = []
        for doc in archive.meeting_docs_mentioning(person_id):
            if references(doc, {person_id}):
                meeting = archive.typed_meeting(doc)
                if rename_person(meeting, person_id, name, old_org, organisation):
                    changed.append(meeting)
        with archive.transaction():
            archive.update_person(person_id, name=name, organisation=organisation)
            archive.replace_meetings(changed)
        return len(changed)


def merge_people(archive: Archive, keep_id: str, other_id: str) -> int:
    """Two records of the same person become one (`keep_id`), keeping all their history; one write.

    Every link to `other_id` in every meeting (attendees, owners, speakers,
    round turns, conveners and participants, matters arising) becomes
    `keep_id`; if both came to the same meeting, their attendee records and
    turns become one. The merged person is new only at their first meeting.
    The other record is removed. Returns how many meetings changed.
    """
    if keep_id == other_id:
        raise ValueError("Pick two different people to merge")
    with archive.lock:
        archive.check_writable()
        keep = archive.person(keep_id)
        other_recorded = archive.has_person(other_id)
        if other_recorded:
            other = archive.person(other_id)
            keep.organisation = keep.organisation or other.organisation
            if other.note and other.note not in keep.note:
                keep.note = f"{keep.note}\n{other.note}".strip()
        changed: dict[str, Meeting] = {}
        attended: list[tuple[str, str, dict[str, Any]]] = []
        was_new = False
        for doc in archive.meeting_docs_mentioning(keep_id, other_id):
            if references(doc, {other_id}):
                meeting = archive.typed_meeting(doc)
                merge_person(meeting, keep, other_id)
                changed[meeting.id] = meeting
            for attendee in doc.get("attendees") or ():
                if isinstance(attendee, dict) and attendee.get("person_id") in (keep_id, other_id):
                    was_new = was_new or attendee.get("new") is True
                    attended.append((str(doc.get("started_at") or doc.get("planned_start") or ""), str(doc.get("id")), doc))
                    break
        if not other_recorded and not changed:
            raise KeyError(f"nobody with the id {other_id}")
        attended.sort(key=lambda entry: entry[0])
        for index, (_, meeting_id, doc) in enumerate(attended):
            meeting = changed.get(meeting_id) or archive.typed_meeting(doc)
            if set_new_flag(meeting, keep_id, was_new and index == 0):
                changed[meeting_id] = meeting
        if attended and attended[0][0]:
            keep.first_seen = attended[0][0][:10]
        with archive.transaction():
            archive.update_person(keep_id, organisation=keep.organisation, note=keep.note, first_seen=keep.first_seen)
            if other_recorded:
                archive.remove_person(other_id)
            archive.replace_meetings(changed.values())
        return len(changed)


def references(doc: dict[str, Any], person_ids: set[str]) -> bool:
    """Whether a meeting document mentions any of these people anywhere a person is linked."""
    for attendee in records(doc.get("attendees")):
        if attendee.get("person_id") in person_ids:
            return True
    for item in records(doc.get("items")):
        if item.get("owner_id") in person_ids or item.get("speaker_id") in person_ids:
            return True
        if any(entry.get("owner_id") in person_ids for entry in records(item.get("log"))):
            return True
    for segment in records(doc.get("segments")):
        state = segment.get("round")
        if isinstance(state, dict):
            for turn in records(state.get("turns")):
                if turn.get("person_id") in person_ids:
                    return True
        for proposal in proposal_records(segment):
            if proposal.get("by_id") in person_ids:
                return True
            participants = proposal.get("participants")
            if isinstance(participants, list) and any(p in person_ids for p in participants):
                return True
        for matter in records(segment.get("matters")):
            if matter.get("owner_id") in person_ids or matter.get("new_owner_id") in person_ids:
                return True
    return False


def _all_proposals(meeting: Meeting) -> Iterable[Proposal]:
    for segment in meeting.segments:
        if segment.open_space is not None:
            yield from segment.open_space.proposals
        if segment.lean_coffee is not None:
            yield from segment.lean_coffee.topics


def rename_person(meeting: Meeting, person_id: str, name: str, old_org: str, new_org: str) -> bool:
    """Show a person under a new name in a meeting; returns whether anything changed.

    Their organisation at this meeting changes only where it was the one being
    corrected (`old_org`): an organisation they had before stays in the history.
    """
    changed = False
    for attendee in meeting.attendees:
        if attendee.person_id == person_id:
            if attendee.name != name:
                attendee.name, changed = name, True
            if old_org != new_org and attendee.organisation == old_org:
                attendee.organisation, changed = new_org, True
    for item in meeting.items:
        if item.owner_id == person_id and item.owner != name:
            item.owner, changed = name, True
        for follow_up in item.log:
            if follow_up.owner_id == person_id and follow_up.owner != name:
                follow_up.owner, changed = name, True
    for proposal in _all_proposals(meeting):
        if proposal.by_id == person_id and proposal.by != name:
            proposal.by, changed = name, True
    for segment in meeting.segments:
        for matter in segment.matters:
            if matter.owner_id == person_id and matter.owner != name:
                matter.owner, changed = name, True
            if matter.new_owner_id == person_id and matter.new_owner != name:
                matter.new_owner, changed = name, True
    return changed


def _merge_attendees(first: Attendee, second: Attendee) -> Attendee:
    """One record for someone recorded twice at a meeting: earliest arrival, latest leaving."""
    early, late = sorted((first, second), key=lambda a: a.arrived_at or "\uffff")
    if first.left_at is None or second.left_at is None:
        left = None
    else:
        left = max(first.left_at, second.left_at)
    return Attendee(
        person_id=first.person_id,
        name=first.name,
        organisation=first.organisation or second.organisation,
        new=first.new or second.new,
        arrived_at=early.arrived_at,
        left_at=left,
        segment_id=early.segment_id,
    )


def merge_person(meeting: Meeting, keep: Person, other_id: str) -> None:
    """Every link to `other_id` in a meeting becomes `keep`; two records of them at once become one."""
    keep_id = keep.id
    mine = meeting.attendee(keep_id)
    theirs = meeting.attendee(other_id)
    if theirs is not None:
        if mine is not None:
            merged = _merge_attendees(mine, theirs)
            first = min(meeting.attendees.index(mine), meeting.attendees.index(theirs))
            meeting.attendees = [a for a in meeting.attendees if a is not mine and a is not theirs]
            meeting.attendees.insert(first, merged)
        else:
            theirs.person_id = keep_id
            theirs.name = keep.name
            theirs.organisation = theirs.organisation or keep.organisation
    for item in meeting.items:
        if item.owner_id == other_id:
            item.owner_id, item.owner = keep_id, keep.name
        for follow_up in item.log:
            if follow_up.owner_id == other_id:
                follow_up.owner_id, follow_up.owner = keep_id, keep.name
        if item.speaker_id == other_id:
            item.speaker_id = keep_id
    for segment in meeting.segments:
        if segment.round is not None:
            _merge_turns(segment.round, keep_id, other_id)
        for matter in segment.matters:
            if matter.owner_id == other_id:
                matter.owner_id, matter.owner = keep_id, keep.name
            if matter.new_owner_id == other_id:
                matter.new_owner_id, matter.new_owner = keep_id, keep.name
    for proposal in _all_proposals(meeting):
        if proposal.by_id == other_id:
            proposal.by_id, proposal.by = keep_id, keep.name
        if other_id in proposal.participants:
            merged_ids: list[str] = []
            for person_id in proposal.participants:
                person_id = keep_id if person_id == other_id else person_id
                if person_id not in merged_ids:
                    merged_ids.append(person_id)
            proposal.participants = merged_ids


def _merge_turns(state: RoundState, keep_id: str, other_id: str) -> None:
    mine = state.turn_for(keep_id)
    theirs = state.turn_for(other_id)
    if theirs is None:
        return
    if mine is None:
        theirs.person_id = keep_id
        return
    speaking = state.speaker
    keep_first = state.turns.index(mine) < state.turns.index(theirs)
    survivor, gone = (mine, theirs) if keep_first else (theirs, mine)
    survivor.person_id = keep_id
    survivor.spoke = mine.spoke + theirs.spoke
    states = {mine.state, theirs.state}
    if SPOKE in states or survivor.spoke > 0:
        survivor.state = SPOKE
    elif PASSED in states:
        survivor.state = PASSED
    elif states - {WAITING}:
        survivor.state = next(iter(states - {WAITING}))
    state.turns = [t for t in state.turns if t is not gone]
    if speaking is gone:
        speaking = survivor
    state.current = state.turns.index(speaking) if speaking is not None else state.current
    if state.current is not None and state.current >= len(state.turns):
        state.current = None


def set_new_flag(meeting: Meeting, person_id: str, new: bool) -> bool:
    attendee = meeting.attendee(person_id)
    if attendee is None or attendee.new == new:
        return False
    attendee.new = new
    return True

