"""The facts of a plain translated pair (newsloc.check._plain_facts) decide the built-in gates
exactly: a check they skip yields nothing, and one they run without its gate has a gate that
passes.  Texts are drawn from the characters the facts look at (URL marks, digits, placeholder
letters, quotation marks, whitespace, end marks)."""

from __future__ import annotations

from pathlib import Path

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloc import check as checks
from newsloc.check import CHECKS, CheckContext

ALPHABET = st.sampled_from(list("aAbZQwW.:/ 0123456789\"'«»“”’?!…,;-()\u00a0\t\n⁇\x01\u0661яé")
                           + list("。」‘\u2003\x0b\x85\ufdd0\u202f")
                           + ["https://x.org", "www.", "ZQ1", "...", "  ", "Mr. ", "ZQ12"])
TEXT = st.lists(ALPHABET, max_size=30).map("".join)
LOCALES = ["en_GB", "ru", "de", "hy", "ja", "ar"]


def _plain(text: str) -> bool:
    return "<" not in text and "&" not in text


@settings(max_examples=3000, deadline=None)
@given(TEXT, TEXT, st.sampled_from(LOCALES), st.booleans())
def test_facts_decide_the_gates(source: str, translation: str, locale: str, fuzzy: bool) -> None:
    if not translation.strip() or source == translation or not (_plain(source) and _plain(translation)):
        return  # (the facts are for plain translated pairs only)
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"] if fuzzy else [])
    plan = checks._plan(list(CHECKS.values()), locale, "en", None, "x.po", Path("x.po"))
    facts = checks._plain_facts(source, translation, entry, plan)
    for func, gate, name, _ in plan.translated:
        if func not in checks._PLAIN_VERDICTS:
            continue
        verdict = checks._PLAIN_VERDICTS[func](facts)
        ctx = CheckContext(source, translation, entry, locale, "en", None, Path("x.po"))
        if verdict is False:
            assert not list(func(ctx)), (name, source, translation)
        elif verdict is True:
            assert gate is None or gate(ctx), (name, source, translation)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.booleans()), min_size=1, max_size=6), st.sampled_from(LOCALES))
def test_catalog_with_facts_finds_what_the_gates_find(pairs, locale: str) -> None:
    """check_catalog (plain pairs by their facts) against the same plan with every gate asked."""
    po = polib.POFile()
    for n, (source, translation, fuzzy) in enumerate(pairs):
        entry = polib.POEntry(msgid=source or "x", msgstr=translation, flags=["fuzzy"] if fuzzy else [],
                              msgctxt=str(n))
        entry.linenum = n + 1
        po.append(entry)
    found = checks.check_catalog(po, "x.po", locale, "en")
    plan = checks._plan(list(CHECKS.values()), locale, "en", None, "x.po", Path("x.po"))
    expected = []
    for entry in po:
        translation = entry.msgstr
        if not translation or translation.isspace():
            steps = plan.untranslated
        elif entry.msgid == translation:
            steps = plan.copied
        else:
            steps = plan.translated
        ctx = CheckContext(entry.msgid, translation, entry, locale, "en", None, Path("x.po"))
        for func, gate, name, severity in steps:
            if gate is None or gate(ctx):
                for message in func(ctx):
                    if (entry.linenum, name, severity, message) not in expected:  # (an entry's repeats)
                        expected.append((entry.linenum, name, severity, message))
    assert [(f.line, f.check, f.severity, f.message) for f in found] == expected


def test_non_ascii_digit_class_is_the_look_ahead_pattern() -> None:
    import re
    import sys

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert checks._NON_ASCII_DIGIT.findall(every) == re.compile(r"(?![0-9])\d").findall(every)


def test_url_hint_letters_match_only_their_own_case_pair() -> None:
    """_url_hint looks for "o:"/"O:" and "w."/"W.": under IGNORECASE no other character matches o or w."""
    import re
    import sys

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert re.findall("o", every, re.IGNORECASE) == ["O", "o"]
    assert re.findall("w", every, re.IGNORECASE) == ["W", "w"]
    assert re.findall("[:/.]", every, re.IGNORECASE) == [".", "/", ":"]
    for url in ("mailto:a@b.c", "MAILTO:x", "http://a", "FTP://b", "www.x", "WwW.y"):
        assert checks._BARE_URL.search(url) and checks._url_hint(url)
    assert not checks._url_hint("At 11:58 p.m. he said: yes")


def test_whitespace_is_every_space_character() -> None:
    import sys

    assert sorted(checks._WHITESPACE) == [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(list("a.…!?-—:;;。\"'”’»›“‘)]}」』 \t\n\u00a0\u2003") + ["..."]),
                max_size=12).map("".join))
def test_end_mark_reads_the_text_without_its_trailing_closers_and_whitespace(text: str) -> None:
    assert checks._end_mark(text) == checks._end_mark(text.rstrip(checks._END_SKIP))
