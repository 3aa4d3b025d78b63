"""Who the archive knows, and recognising them when they come back.

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
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from facilitate.text import name_key

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
