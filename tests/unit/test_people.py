"""Recognising people when they come back: titles, initials, accents, word order; and never
taking two different people for one."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from facilitate import people
from facilitate.people import (
    DIFFERENT,
    SAME_NAME,
    SAME_WORDS,
    SIMILAR,
    TITLES,
    Known,
    PeopleDirectory,
    compare_names,
    core_words,
    recognise,
    words_start,
)

TOM = Known("p-tom", "Dr Tom Reed", "Ely GP surgery", meetings=3)
ANNA = Known("p-anna", "Anna Reed", "County council", meetings=2)
TOM_SMITH = Known("p-toms", "Tom Smith", "Addenbrooke's", meetings=1)
ZOE = Known("p-zoe", "Zoë Ångström", "Carers Trust", meetings=4)
MO = Known("p-mo", "O'Brien, \"Mo\"", "Carers | Trust")


@pytest.mark.parametrize(
    ("typed", "known", "how"),
    [
        ("Dr Tom Reed", "Dr Tom Reed", SAME_NAME),
        ("dr  TOM reed", "Dr Tom Reed", SAME_NAME),
        ("Tom Reed", "Dr Tom Reed", SAME_WORDS),
        ("Prof. Tom Reed", "Dr Tom Reed", SAME_WORDS),
        ("Cllr Anna Reed", "Anna Reed", SAME_WORDS),
        ("Tom Reed MBE", "Dr Tom Reed", SAME_WORDS),
        ("Zoe Angstrom", "Zoë Ångström", SAME_WORDS),
        ("Reed Tom", "Dr Tom Reed", SAME_WORDS),
        ("Mo O'Brien", 'O\'Brien, "Mo"', SAME_WORDS),
        ("mo obrien", 'O\'Brien, "Mo"', SAME_WORDS),
        ("T Reed", "Dr Tom Reed", SIMILAR),
        ("T. Reed", "Dr Tom Reed", SIMILAR),
        ("Tom R", "Dr Tom Reed", SIMILAR),
        ("Thomas Reed", "Dr Tom Reed", SIMILAR),
        ("Tom J Reed", "Dr Tom Reed", SIMILAR),
        ("Tom Reed", "Tom James Reed", SIMILAR),
        # Different people, or too little to tell.
        ("Anna Reed", "Dr Tom Reed", DIFFERENT),
        ("A Reed", "Dr Tom Reed", DIFFERENT),
        ("Tom Smith", "Dr Tom Reed", DIFFERENT),
        ("Tom", "Dr Tom Reed", DIFFERENT),
        ("Reed", "Dr Tom Reed", DIFFERENT),
        ("Dr Reed", "Dr Tom Reed", DIFFERENT),
        ("T R", "Dr Tom Reed", DIFFERENT),
        ("Ann Reed", "Anna Reed", DIFFERENT),
        ("Mary Ann Smith", "Ann Smith", DIFFERENT),
        ("Tom Reed", "Tom Reeds", DIFFERENT),
        ("", "Dr Tom Reed", DIFFERENT),
    ],
)
def test_how_alike_two_names_are(typed, known, how):
    assert compare_names(typed, known) == how
    assert compare_names(known, typed) == how, "alike both ways"


def test_titles_and_letters_after_a_name_are_set_aside():
    assert core_words("Dr Tom Reed MBE") == ["tom", "reed"]
    assert core_words("The Revd Canon Jo Bloggs") == ["the", "revd", "canon", "jo", "bloggs"], "only leading titles"
    assert core_words("Rev Canon Jo Bloggs") == ["jo", "bloggs"]
    assert core_words("Rabbi") == ["rabbi"], "a name that is all title keeps it"


def test_a_near_match_is_offered_for_the_arrival():
    found = recognise("Tom Reed", "", [TOM, ANNA, TOM_SMITH])
    assert found.person is TOM and found.how == SAME_WORDS and found.near


def test_a_same_name_needs_no_question():
    found = recognise("dr tom reed", "", [TOM, ANNA])
    assert found.person is TOM and found.how == SAME_NAME and not found.near


def test_nobody_alike_is_someone_new():
    assert recognise("Ollie Grant", "", [TOM, ANNA, TOM_SMITH]).person is None
    assert not recognise("Reed", "", [TOM, ANNA]).ambiguous


def test_equally_near_people_are_listed_never_guessed():
    tim = Known("p-tim", "Tim Reed", "Council")
    found = recognise("T Reed", "", [TOM, tim, ANNA])
    assert found.person is None and found.ambiguous
    assert {p.id for p in found.candidates} == {TOM.id, tim.id}


def test_an_organisation_chooses_between_namesakes():
    other = Known("p-tom2", "Tom Reed", "County council", meetings=9)
    assert recognise("Tom Reed", "", [TOM, other]).person is other, "the same name beats a title's difference"
    same = Known("p-tom3", "Tom Reed", "Ely GP surgery", meetings=1)
    found = recognise("Tom Reed", "", [other, same])
    assert found.ambiguous
    assert recognise("Tom Reed", "ely gp SURGERY", [other, same]).person is same


def test_one_person_recorded_twice_is_not_a_question():
    twice = Known("p-tom4", "Dr Tom Reed", "Ely GP surgery", meetings=1)
    assert recognise("Tom Reed", "", [TOM, twice]).person is TOM, "the regular record of the two"


def test_people_already_here_are_left_out():
    assert recognise("Tom Reed", "", [TOM], exclude={TOM.id}).person is None


def test_completion_matches_any_word_of_a_name():
    directory = PeopleDirectory([TOM, ANNA, TOM_SMITH, ZOE, MO])
    assert [p.id for p in directory.suggest("reed")] == ["p-tom", "p-anna"]
    assert [p.id for p in directory.suggest("tom")] == ["p-toms", "p-tom"], "a name starting with it first"
    assert [p.id for p in directory.suggest("t ree")] == ["p-tom"]
    assert [p.id for p in directory.suggest("zoe")] == ["p-zoe"]
    assert [p.id for p in directory.suggest("angs")] == ["p-zoe"]
    assert [p.id for p in directory.suggest("obri")] == ["p-mo"]
    assert directory.suggest("  ") == [] and directory.suggest("reed", exclude={"p-tom", "p-anna"}) == []


def test_words_start():
    assert words_start("tom r", "Dr Tom Reed") and words_start("reed tom", "Dr Tom Reed")
    assert not words_start("tom tom", "Dr Tom Reed"), "each word typed needs a word of its own"
    assert not words_start("", "Dr Tom Reed")


# -- properties -------------------------------------------------------------------------------------

letters = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=9)
names = st.tuples(letters, letters).filter(lambda pair: pair[0] not in TITLES and pair[1] not in TITLES)
ACCENTED = str.maketrans("aeiouc", "áéîöüç")


@given(names, st.sampled_from(sorted(TITLES)), st.booleans(), st.booleans(), st.booleans())
def test_a_returning_person_is_recognised_however_they_are_typed(name, title, titled, accented, upper):
    first, last = name
    known = Known("p1", f"{first.title()} {last.title()}")
    typed = f"{first} {last}"
    if titled:
        typed = f"{title.title()} {typed}"
    if accented:
        typed = typed.translate(ACCENTED)
    if upper:
        typed = typed.upper()
    assert compare_names(typed, known.name) >= SAME_WORDS
    assert recognise(typed, "", [known]).person is known


@given(names)
def test_reordered_or_initialled_names_are_offered(name):
    first, last = name
    assume(first != last)
    known = f"{first.title()} {last.title()}"
    assert compare_names(f"{last} {first}", known) == SAME_WORDS
    assert compare_names(f"{first[0]} {last}", known) >= SIMILAR
    assert compare_names(f"{first} {last[0]}.", known) >= SIMILAR


@given(letters, letters, letters)
def test_people_who_share_a_surname_are_never_taken_for_one_another(first, other, last):
    # Any two different first names that are not one another's familiar forms (Tom, Thomas).
    assume(len({first, other, last}) == 3 and other not in people._FAMILY.get(first, ()))
    assume(not {first, other, last} & TITLES)
    a, b = f"{first.title()} {last.title()}", f"{other.title()} {last.title()}"
    assert compare_names(a, b) == DIFFERENT
    assert recognise(a, "", [Known("p-b", b)]).person is None


@given(letters, letters, letters)
def test_people_who_share_a_first_name_are_never_taken_for_one_another(first, last, other):
    assume(len({first, other, last}) == 3)
    assume(not {first, other, last} & TITLES)
    a, b = f"{first.title()} {last.title()}", f"{first.title()} {other.title()}"
    assert compare_names(a, b) == DIFFERENT
    assert compare_names(first, b) == DIFFERENT, "a first name alone is too little to tell"
