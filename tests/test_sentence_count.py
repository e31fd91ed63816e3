"""count_sentences (the sentence check's entry point) and the gates of sentences._adjust agree
with the general code.

1. ``count_sentences(text, lang) == len(split_spans(text, lang))`` on text in English,
   Russian, Armenian and mixed scripts, built from the characters the wrappers look at.
2. ``_adjust`` (the wrappers with their cheap gates and pre-scans) gives the cuts that the
   wrappers gave with the gates of commit 8701555 (``_reference_adjust`` and the wrappers it
   calls that changed since, kept verbatim below), for the library's own cuts and for
   arbitrary ones.
"""

from __future__ import annotations

import heapq
import re
from bisect import insort

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsloc import sentences as S
from newsloc.sentences import count_sentences, split_spans

from sentencex_panic import or_panic  # (tests/sentencex_panic.py)


_ANY_OPENER = re.compile("[" + re.escape("".join(sorted(S._OPENERS))) + "]")


def _reference_dangling_quotes(block: str, cuts: list[int]) -> list[int]:
    """sentences._dangling_quotes before its pre-scan of the cuts (commit 8701555)."""
    _OPENERS, _ONLY_OPENERS = S._OPENERS, S._ONLY_OPENERS
    prev = 0
    out = []
    for cut in cuts:
        j = cut
        while j > prev and block[j - 1].isspace():
            j -= 1
        k = j
        while k > prev and block[k - 1] in _OPENERS:
            k -= 1
        if (k < j and k > prev and block[k - 1].isspace()
                and (j == cut or all(ch in _ONLY_OPENERS for ch in block[k:j]))
                and cut < len(block) and not block[cut].isspace()
                and block[prev:k].strip()):
            cut = k
        out.append(cut)
        prev = cut
    return out


def _reference_lowercase_continuation(block: str, cuts: list[int]) -> list[int]:
    """sentences._lowercase_continuation before its pre-scan of the cuts (commit 8701555)."""
    out = []
    prev = 0
    for cut in cuts:
        c = block[cut]  # cuts are interior offsets
        if not c.islower() and not c.isspace():  # the next piece does not start in lowercase
            out.append(cut)
            prev = cut
            continue
        nxt = S._LOWER_NEXT.match(block, cut)
        if (nxt and nxt[1].islower() and S._TERMINAL_END.search(block, prev, cut)
                and not S._ENUM_WORD.match(block, nxt.start(1))):
            continue
        out.append(cut)
        prev = cut
    return out


def _reference_enumerations(block: str, cuts: list[int]) -> list[int]:
    """sentences._enumerations as it was before its wider inlined first test (commit 8701555)."""
    # sentence starts that are a marker; in most prose there are none
    starts: dict[int, re.Match[str]] = {}
    for pos in (0, *cuts):
        # (_marker_at's first test, inlined: most sentences start with a word, e.g. "Th",
        # that cannot start a marker, and a call per sentence costs more than the test)
        c = block[pos:pos + 1]
        if c.isalpha():
            after = block[pos + 1:pos + 2]
            if after not in S._AFTER_LETTER_MARKER and (after not in S._ROMAN_CHARS or c not in S._ROMAN_CHARS):
                continue
        m = S._marker_at(block, pos)
        if m:
            starts[m.start()] = m
    if not starts:
        return cuts
    changed = False
    # 1. inline lists: from every sentence start that is a marker, follow the sequence
    todo = sorted(starts)  # a heap of positions: visited in text order
    seen: set[int] = set()
    have = set(cuts)
    found_at: dict[str, tuple[int, int]] = {}  # marker -> (searched from, offset or -1)
    while todo:
        pos = heapq.heappop(todo)
        if pos in seen:
            continue
        seen.add(pos)
        m = starts[pos]
        for nxt in S._successors(m["value"]):
            marker = (m["bullet"] or "") + (m["open"] or "") + nxt + m["close"]
            # an earlier search from no later than here that found nothing, or found
            # an occurrence still ahead, gives the answer: keeps long texts linear
            since, p = found_at.get(marker, (len(block) + 1, -1))
            if since > m.end() or 0 <= p < m.end():
                p = S._find_marker(block, marker, m.end())
                found_at[marker] = (m.end(), p)
            found = S._ENUM_WORD.match(block, p) if p >= 0 else None
            if found is None:
                continue
            if len(nxt) == 1 and nxt.isupper() and S._prev_char(block, p) not in S._TERMINAL:
                continue
            if p not in have:
                insort(cuts, p)
                have.add(p)
                changed = True
            starts[p] = found
            heapq.heappush(todo, p)
            break
    # 2. marker-only pieces join the following piece
    out = []
    prev = 0
    last = len(block.rstrip())
    for cut in cuts:
        start = prev
        while start < cut and block[start].isspace():
            start += 1
        m = starts.get(start)
        if m is not None and cut < last and not block[m.end():cut].strip():
            changed = True
            continue  # drop the cut: the marker stays with its item
        out.append(cut)
        prev = cut
    return out if changed else cuts


def _reference_adjust(block: str, cuts: list[int], lang: str) -> list[int]:
    """sentences._adjust as it was before its gates and the wrappers' pre-scans (commit 8701555)."""
    sentencex_path = lang not in S._RAZDEL_LANGS
    if sentencex_path and (")" in block or "]" in block):
        cuts = S._closing_brackets(block, cuts)
    if "." in block:
        cuts = _reference_enumerations(block, cuts)
        if ". ." in block:
            cuts = S._spaced_ellipsis(block, cuts)
    if cuts and _ANY_OPENER.search(block):
        cuts = _reference_dangling_quotes(block, cuts)
    if cuts and sentencex_path:
        cuts = _reference_lowercase_continuation(block, cuts)
    if not sentencex_path and "”" in block:
        cuts = S._same_glyph_openers(block, cuts)
    if cuts and ("”" in block or (not sentencex_path and "«" in block)):
        cuts = S._inside_quotations(block, cuts, guillemets=not sentencex_path)
    if cuts and lang in S._HEAD_ABBR:
        quick = S._HEAD_ABBR_QUICK.get(lang)
        if quick is None or quick.search(block):
            cuts = S._head_abbreviations(block, cuts, S._HEAD_ABBR[lang])
    return cuts


WORDS = ["Word", "word", "The", "the", "Ms", "Mx", "Amb", "Ft", "U.S.", "a.m.", "Jan.", "e.g.", "Mr",
         "Мир", "мир", "Он", "сказал", "пгт", "мкр", "р-н", "т. е.", "Пгт",
         "Բարեւ", "բարեւ", "Պարոն", "մեկ",
         "中文", "مرحبا", "Ελλάδα", "I", "A", "b", "x"]
MARKS = [".", ". ", "!", "?", "?!", "…", "...", " . . . ", ". . . .", "։", ":", ";", "՜", "。",
         '"', "'", "“", "”", "‘", "’", "«", "»", "„", "(", ")", "[", "]", "?)", ".)", "!]", '.")',
         "1.", "2.", "3.", "a.", "b.", "A.", "B.", "ii.", "iii.", "IV.", "V.", "1)", "2)", "(a)", "(b)", "(1)",
         "(2)", "§2.", "§3.", "8.1.", "8.2.", "•", "⁃9.", "*", "-", "—", ",", ":(", "3.5", "example.com", "1"]
SPACES = [" ", " ", " ", "  ", "\u00a0", "\n", "\n\n", "\t"]
# inline lists ("a. first b. second", "i) one ii) two"), the markers consecutive or not
SEQUENCES = [["1", "2", "3"], ["a", "b", "c"], ["A", "B", "C"], ["i", "ii", "iii"], ["IV", "V", "VI"], ["§2", "§3"],
             ["8.1", "8.2"], ["(1", "(2"], ["(a", "(b"], ["•a", "•b"], ["b", "a"]]
LISTS = st.builds(
    lambda lead, seq, close, items: lead + " ".join(f"{m}{close} {item}" for m, item in zip(seq, items)),
    st.sampled_from(["", "", " ", "Word: ", "«", "“"]), st.sampled_from(SEQUENCES), st.sampled_from([".", ")", ".)", "]"]),
    st.lists(st.lists(st.sampled_from(WORDS + MARKS[:8]), min_size=1, max_size=4).map(" ".join), min_size=1, max_size=3))
TEXTS = st.one_of(
    LISTS,
    st.lists(st.sampled_from(WORDS + MARKS + SPACES), max_size=18).map("".join),
    st.lists(st.sampled_from(WORDS + SPACES * 2), max_size=10).map("".join),  # mostly one sentence
    st.text(max_size=40),
)
LANGS = ["en", "en_GB", "ru", "hy", "de", "el", "ja", "qq"]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(LANGS))
@example("He met U.S. officials on Jan. 5. They talked.", "en")
@example("", "qq_QQ")
@example("   ", "en")
@example("One.\n\nTwo.\n\n", "en")
@example("a) first b) second.", "en")
@example("(How about this?) Then.", "en")
@example("1. Первое. 2. Второе.", "ru")
@example("Он сказал. ”Да.” Затем ушёл.", "ru")
@example("Պարոն Սմիթը եկավ։ Հետո գնաց։", "hy")
@example("Ms. Smith met Amb. Jones. Then “We left.”", "en")
def test_count_is_the_number_of_spans(text, lang):
    assert or_panic(count_sentences, text, lang) == len(split_spans(text, lang))


def _library_cuts(text: str, lang: str) -> list[int]:
    return or_panic(S._library_cuts, text, S._base_lang(lang))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(LANGS))
@example("Ms. Smith. Amb. Jones said. “Yes.”", "en")
@example("a. first b. second", "en")
@example("i. one ii. two", "ru")
@example("a) first b) second", "hy")
@example("Он живёт в пгт. Брагиновка. «Да.» Нет.", "ru")
def test_adjust_agrees_with_the_reference_on_library_cuts(text, lang):
    base = S._base_lang(lang)
    cuts = _library_cuts(text, lang)
    assert S._adjust(text, list(cuts), base) == _reference_adjust(text, list(cuts), base)


def _near_marks(text: str) -> list[int]:
    """Interior offsets where the wrappers look: after or before whitespace, after a
    terminator or a quote mark or bracket."""
    return [i for i in range(1, len(text)) if text[i - 1].isspace() or text[i].isspace()
            or text[i - 1] in ".!?…։" or text[i - 1] in S._OPENERS]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), TEXTS, st.sampled_from(LANGS))
@example(None, 'He said. "We will." And', "en")
@example(None, "He said. ”We will.” And", "en")
@example(None, "He said. 'We will.' And", "en")
@example(None, "It ended. the undef. abbreviation. Then", "en")
@example(None, "“Why?” she asked. Then", "en")
def test_adjust_agrees_with_the_reference_on_any_cuts(data, text, lang):
    """Cuts inside the text (sorted, unique, interior, as the library's), most where the wrappers look."""
    if data is None:  # the examples: every cut near a mark
        cuts = _near_marks(text)
    elif len(text) < 2:
        cuts = []
    else:
        near = _near_marks(text)
        anywhere = st.sets(st.integers(1, len(text) - 1), max_size=6)
        cuts = sorted(data.draw(st.sets(st.sampled_from(near), max_size=6) if near and data.draw(st.booleans())
                                else anywhere))
    base = S._base_lang(lang)
    assert S._adjust(text, list(cuts), base) == _reference_adjust(text, list(cuts), base)
