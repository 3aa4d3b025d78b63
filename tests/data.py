"""Shared test data: awkward names, hostile text and date phrases.

The core, export and app tests all draw from here, so a new nasty string
added once is tried everywhere.
"""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 26)
"""A Thursday."""

MARKUP = ["[b]Bob[/]", "[/", "[red]x[/red]", "[0]", "[link=https://x]click[/link]", "[@click=app.quit]q[/]", "[/]"]
CONTROL = ["\x1b[31mred\x1b[0m", "bell\x07", "nul\x00byte", "tab\there", "\x1b]0;title\x07", "del\x7f"]
UNICODE = [
    "Zoë Ångström",
    "👩🏽‍⚕️ Nurse",
    "👨‍👩‍👧‍👦",
    "مريم الحسن",
    "שרה כהן",
    "e\u0301\u0301\u0301",
    "Ｆｕｌｌｗｉｄｔｈ",
]
NAMES_WITH_PUNCTUATION = ['O\'Brien, "Mo"', "Smith, John", 'He said "hi"', "Anne-Marie d'Arc"]
INJECTION = [
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "[x](javascript:alert(1))",
    "| a | b |",
    "# heading",
    "1. list",
    "- item",
    "*stars* _under_ `tick`",
    "<!channel>",
    "@here",
]
LONG = "word " * 2000  # 10,000 characters

# More of each kind, added for the robustness tests (issue 6). Kept apart from the
# lists above, which the exporters' golden files are built from; they join HOSTILE.
MORE_MARKUP = ["[bold red]alarm", "[", "]", "[[/]]", "\\[b]escaped[/b]", "[link=file:///etc/passwd]x[/link]"]
MORE_CONTROL = [
    "\x1b[2J\x1b[Hcleared",
    "\x9b31mC1 CSI",
    "carriage\rreturn",
    "\x1bP+q544e\x1b\\dcs",
    "zero\u200bwidth",
    "\ufeffbyte order mark",
    "soft\u00adhyphen",
    "\udc80 lone surrogate",
]
MORE_UNICODE = [
    "👍🏿 👩🏻‍🦰 🏳️‍🌈 🇬🇧",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "\u202eevil.exe\u202c",
    "abc \u2067مرحبا\u2069 def",
    "नमस्ते",
    "𝕳𝖊𝖑𝖑𝖔",
]
MORE_NAMES = ["Smith, Jr., John", 'Ann "Nan" Lee', "O'Neil; DROP TABLE people;--", "  spaced   out  "]
MORE_INJECTION = [
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${jndi:ldap://x} %s %n",
    "[[Wiki link]] <!-- comment -->",
    "```\ncode\n```",
    "[^1]: footnote",
    "@everyone <@U123>",
    "=HYPERLINK(\"http://x\")",
]
HUGE = ("a long note, " * 7693)[:100_000]
"""100,000 characters: a paste of a whole document into a note."""
NUL = "before\x00after"

HOSTILE = MARKUP + CONTROL + UNICODE + NAMES_WITH_PUNCTUATION + INJECTION
HOSTILE_MORE = MORE_MARKUP + MORE_CONTROL + MORE_UNICODE + MORE_NAMES + MORE_INJECTION + [NUL]
"""Tried by the robustness tests; the other tests take them up as their code is ready."""

VALID_DATES = {
    "today": date(2026, 11, 26),
    "tomorrow": date(2026, 11, 27),
    "fri": date(2026, 11, 27),
    "friday": date(2026, 11, 27),
    "thu": date(2026, 12, 3),
    "next tuesday": date(2026, 12, 1),
    "next fri": date(2026, 12, 4),
    "in 3 days": date(2026, 11, 29),
    "in 2 weeks": date(2026, 12, 10),
    "in a week": date(2026, 12, 3),
    "end of month": date(2026, 11, 30),
    "3 Dec": date(2026, 12, 3),
    "3rd December": date(2026, 12, 3),
    "Dec 3": date(2026, 12, 3),
    "3/12": date(2026, 12, 3),
    "3/12/2026": date(2026, 12, 3),
    "3/12/26": date(2026, 12, 3),
    "2026-12-03": date(2026, 12, 3),
    "2027-01-02": date(2027, 1, 2),
    "12/3": date(2027, 3, 12),
    "1 jan": date(2027, 1, 1),
    "Fri 4 Dec": date(2026, 12, 4),
    "29/2": date(2028, 2, 29),
}
AMBIGUOUS_DATES = {
    "1/2": date(2027, 2, 1),  # day first: 1 February, never 2 January
    "2/1": date(2027, 1, 2),
    "01/12": date(2026, 12, 1),
    "26/11": date(2026, 11, 26),  # today
    "12/3": date(2027, 3, 12),  # already past this year: next year's
    "thu": date(2026, 12, 3),  # on a Thursday, "thu" is next week's
}
INVALID_DATES = ["fir", "soon", "31/2", "2026-02-30", "13/13", "5", "march", "2pm", "next blue", "Thu 4 Dec", "", "   "]
