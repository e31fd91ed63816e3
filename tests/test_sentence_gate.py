"""may_split, the sentence-count pre-test (newsloc.sentences), and check_sentences that uses it.

1. The character sets baked into newsloc.sentences are derived again by probing the
   installed libraries over every Unicode code point, so a library version that ends
   sentences somewhere else fails here instead of making the pre-test wrong.
2. Exactness: whenever may_split says "no", split_spans finds at most one sentence
   (hypothesis, on text built from the characters that matter).  A run by hand with
   more examples: NEWSLOC_GATE_EXAMPLES=100000 pytest tests/test_sentence_gate.py
3. check_sentences reports exactly what counting split_spans reports.
"""

from __future__ import annotations

import functools
import os
import unicodedata

import pytest
import razdel
import sentencex
from babel.localedata import locale_identifiers
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsloc import sentences
from newsloc.check import CheckContext, check_sentences
from newsloc.sentences import may_split, split_spans

from sentencex_panic import or_panic  # (tests/sentencex_panic.py)

CODE_POINTS = [chr(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000]  # (no lone surrogates)
# the languages the pre-test is proven on: newsloc's own, some large ones, the three whose
# sentencex terminators differ, and an unknown code (sentencex falls back to English)
SENTENCEX_LANGS = ["en", "hy", "de", "fr", "ar", "ja", "zh", "el", "my", "xx"]
EXAMPLES = int(os.environ.get("NEWSLOC_GATE_EXAMPLES", "300"))


def _sentencex_cuts(lang: str, template: str) -> set[str]:
    """The code points c for which sentencex returns more pieces for template(c) than for template("x")."""
    before, _, after = template.partition("{c}")
    if "{c}" in after:
        middle, _, end = after.partition("{c}")
        texts = [before + c + middle + c + end for c in CODE_POINTS]
    else:
        texts = [before + c + after for c in CODE_POINTS]
    segment = functools.partial(sentencex.segment, lang)
    base = len(segment(template.replace("{c}", "x")))
    found = set()
    for c, text, pieces in zip(CODE_POINTS, texts, map(segment, texts)):
        if len(pieces) != base:
            found.add(c)
            assert may_split(text, lang), (lang, text)  # where the library cuts, the pre-test says "maybe"
    return found


def _terminators(lang: str) -> frozenset[str]:
    return sentences._SENTENCEX_TERMINATORS.get(lang, sentences._SENTENCEX_DEFAULT)


# ------------------------------------------------------- 1. the sets, probed again


@pytest.mark.parametrize("lang", SENTENCEX_LANGS)
def test_sentencex_terminators_probed(lang):
    """The characters after which sentencex ends "Aaa bbb{c} Ccc ddd" are the baked terminators."""
    assert _sentencex_cuts(lang, "Aaa bbb{c} Ccc ddd") == _terminators(lang)


def test_sentencex_other_cuts_probed():
    """Without a space after it, in CJK text, doubled inline, and as a line or paragraph break:
    a character at which sentencex cuts is a terminator, a list bullet or "\\n"."""
    terminators = _terminators("en")
    assert _sentencex_cuts("en", "Aaa bbb{c}Ccc ddd") == terminators
    assert _sentencex_cuts("en", "日本語{c}日本語") == terminators
    assert _sentencex_cuts("en", "Aaa bbb {c} Ccc ddd {c} Eee fff") == terminators | sentences._SENTENCEX_BULLETS
    assert _sentencex_cuts("en", "Aaa bbb{c}- Ccc ddd{c}- Eee fff") == terminators | {"\n"}
    assert _sentencex_cuts("en", "Aaa bbb{c}{c}Ccc ddd") == terminators | {"\n"}
    # the one sequence of non-terminators found by probing pairs by hand: a spaced "… …"
    assert _sentencex_cuts("en", "Aaa {c} {c}Word ccc") == terminators | {"…"}


@pytest.mark.parametrize("lang", SENTENCEX_LANGS)
def test_sentencex_pairs_probed(lang):
    """Two punctuation marks or symbols, spaced or not, end a sentence only if one is a
    terminator, ")" or "]", or they are "… …" (a sample of the pairs probed by hand)."""
    marks = [chr(i) for i in range(33, 127) if not chr(i).isalnum()] + list("…«»“”„‘’‹›—–•·¡¿،؛。、「」《》（）։՜")
    segment = functools.partial(sentencex.segment, lang)
    for a in marks:
        for b in marks:
            for text in (f"Aaa {a} {b}Word ccc", f"Aaa {a}{b} Ccc ddd", f"Aaa bbb{a} {b}Ccc"):
                if len(segment(text)) > 1:
                    assert may_split(text, lang), (lang, text)


def test_every_locale_language_probed():
    """Every base language of a Babel locale (newsloc's locales) is in the probed set, and in
    each the punctuation marks and spaces at which sentencex cuts are its baked terminators."""
    bases = {code.split("_")[0] for code in locale_identifiers()}
    assert bases <= sentences._SENTENCEX_PROBED
    punctuation = [c for c in CODE_POINTS if unicodedata.category(c)[0] in "PZ"]
    punctuation = sorted(set(punctuation) | sentences._SENTENCEX_DEFAULT | {":", ";", "\u055c", "\u104f"})
    for lang in sorted(sentences._SENTENCEX_PROBED - sentences._RAZDEL_LANGS):
        segment = functools.partial(sentencex.segment, lang)
        cuts = {c for c in punctuation if len(segment(f"Aaa bbb{c} Ccc ddd")) > 1}
        assert cuts == _terminators(lang) & set(punctuation), lang


@pytest.mark.parametrize("lang", SENTENCEX_LANGS)
def test_sentencex_continuation_and_final_run(lang):
    """A lone terminator followed by [0-9a-z] never ends a sentence; a run of them ending the text never cuts."""
    terminators = sorted(_terminators(lang))
    segment = functools.partial(sentencex.segment, lang)
    for t in terminators:
        for x in "0123456789abcdefghijklmnopqrstuvwxyz":
            for text in (f"Aaa bbb{t}{x}cc Ddd eee", f"Aaa bbb {t}{x} Ddd", f"{t}{x}Ddd eee",
                         f"Aaa “bbb{t}{x}cc” Ddd", f"Aaa (bbb{t}{x}cc) Ddd"):
                assert len(segment(text)) == 1, (lang, text)
        for end in ("", " ", "\u00a0"):
            assert len(segment(f"Aaa bbb{t}{end}")) == 1
        for t2 in terminators:
            assert len(segment(f"Aaa bbb{t}{t2}")) == 1, (lang, t, t2)


MARKERS = ["1)", "12)", "(1)", "(12)", "(123)", "a)", "A)", "(a)", "(A)", "ii)", "IV)", "(ii)", "(IV)", "1.)", "a.)",
           "ii.)", "1.", "12.", "a.", "A.", "ii.", "IV.", "§2.", "-", "*", "+", "•", "(x", "x)", "(UN)", "(2020)",
           "2020)"]


@pytest.mark.parametrize("lang", SENTENCEX_LANGS)
def test_sentencex_list_items_probed(lang):
    """Where sentencex starts a list item, the pre-test says "maybe": markers of every shape,
    inline and at the start, alone and in pairs."""
    segment = functools.partial(sentencex.segment, lang)
    for m1 in MARKERS:
        for m2 in MARKERS:
            for text in (f"Aaa {m1} Bbb ccc {m2} Ddd eee", f"{m1} Aaa bbb {m2} Ccc ddd", f"Aaa bbb {m1} Ccc ddd {m2}",
                         f"  {m1} Aaa bbb, ccc {m2} Ddd", f"Aaa {m1}{m2} Bbb ccc"):
                if len(segment(text)) > 1:
                    assert may_split(text, lang), (lang, text)


def _razdel_pieces(text: str) -> int:
    return len(list(razdel.sentenize(text)))


def test_razdel_cuts_probed():
    """razdel ends "Aaa bbb{c} Ccc ddd" only after . ? ! … ; never without a space after, and
    after ":" only the smileys ":(" and ":)"; every ASCII pair or smiley-shaped triple of
    punctuation it cuts after is found by the pre-test's pattern."""
    def cuts(template: str) -> set[str]:
        before, _, after = template.partition("{c}")
        texts = [before + c + after for c in CODE_POINTS]
        found = set()
        for c, text, pieces in zip(CODE_POINTS, texts, map(razdel.sentenize, texts)):
            if len(list(pieces)) > 1:
                found.add(c)
                assert may_split(text, "ru"), text
        return found

    endings = set(sentences._RAZDEL_ENDINGS)
    assert cuts("Aaa bbb{c} Ccc ddd") == endings
    assert cuts("Aaa bbb{c}Ccc ddd") == set()
    assert cuts("Aaa bbb :{c} Ccc ddd") == endings | {"(", ")"}
    punctuation = [chr(i) for i in range(33, 127) if not chr(i).isalnum()] + ["…", "»", "”", "’", "„"]
    for a in punctuation:
        for b in punctuation:
            for mark in (a + b, a + "-" + b):
                text = f"Aaa bbb{mark} Ccc ddd"
                if _razdel_pieces(text) > 1:
                    assert sentences._RAZDEL_CUT.search(text), text
    for t in endings:  # followed by a word character, a delimiter never cuts
        for x in ["a", "Z", "5", "_", "я", "Я", "ա", "中", "٣"]:
            assert _razdel_pieces(f"Aaa bbb{t}{x} Ccc ddd") == 1


# ------------------------------------------------------- 2. exactness

SCRIPTS = ["Word", "word", "Мир", "мир", "Բարեւ", "բարեւ", "مرحبا", "中文", "日本語", "Ελλάδα", "မြန်မာ", "x", "I", "A"]
RISKY = [
    # terminators of some language, alone and in runs
    ".", "!", "?", "…", "...", "?!", "!!", "։", "՜", ":", ";", "。", "｡", "．", "！", "？", "؟", "۔", "।", "။", "၏",
    "\U00011047", "\u203c",
    # quotes, brackets, dashes
    '"', "'", "`", "“", "”", "‘", "’", "«", "»", "„", "‹", "›", "「", "」", "(", ")", "[", "]", "{", "}", "<", ">",
    "（", "）", "—", "–", "-", "*", "+", "•", "◦", "⁃", "§", "@", "%", ",",
    # whitespace of every kind
    " ", "  ", "\t", "\n", "\n\n", "\u00a0", "\u3000", "\x1f", "\u2028", "\u200b",
    # digits, numbers, abbreviations, markers, smileys, ellipses
    "1", "25", "3.5", "1,000", "7.1%", "Mr.", "Ms.", "U.S.", "a.m.", "e.g.", "Jan. 5", "т. е.", "пгт.", "example.com",
    "1.", "2.", "a.", "b.", "ii.", "IV.", "1)", "2)", "(a)", "(b)", "(1)", "b.)", "§2.", "[1]", ":(", ":)", ";-)",
    "(UN)", "(2020)", "+", "* ", "- ", "1) ", " 2) ", "(ii) ",
    " . . . ", ". . . .", "… !", "… …", "😀",
]
# pieces that hold no character at which a library could cut, wherever they stand (for
# en: lone terminators followed by a digit or lowercase ASCII letter), so that most texts
# built from them alone pass the pre-test, and the few risky pieces decide
QUIET = SCRIPTS + ["3.5", "example.com", "e.g", "1,000", "a.m", " ", ",", "-", "—", "(", "«", "„", "“", "'", '"', ":",
                   "1", "25", "\u00a0", "%", "@", "<", "{", "`", "😀", "(UN)", "(a) ", " 2) ", "[sic]"]
ENDINGS = ["", ".", "!", "?", "?!", "!.", "...", "。", "։", ". ", ".\u00a0", "’", ".”", "»", ".»", ")", ".)", "…", " !."]


def texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=14).map("".join)


MIXED = texts(SCRIPTS + RISKY + [" "] * 8)
NEAR_MISS = st.builds(lambda body, risky, at, end: body[:at] + risky + body[at:] + end,
                      texts(QUIET), st.sampled_from([""] * 4 + RISKY), st.integers(0, 40), st.sampled_from(ENDINGS))
TEXTS = st.one_of(MIXED, NEAR_MISS, st.text(max_size=30))
LANGS = SENTENCEX_LANGS + ["ru", "en_GB", "pt-BR", "qq"]


def assert_exact(text: str, lang: str) -> None:
    if not may_split(text, lang):
        spans = or_panic(split_spans, text, lang)
        assert len(spans) <= 1, (text, lang, spans)
        assert len(spans) == (0 if text.isspace() or not text else 1)  # as check_sentences counts


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(LANGS))
@example("He met U.S. officials on Jan. 5. They talked.", "en")
@example("Growth was 3.5%, officials said.", "en")
@example("«Мы не отступим», — сказал он.", "ru")
@example("Он сказал: «Привет.» Затем ушёл", "ru")
@example("1. Առաջին 2. Երկրորդ", "hy")
@example("a) first b) second.", "en")
@example("Aaa (1) Bbb ccc (2) Ddd.", "de")
@example("Aaa • Bbb ccc • Ddd.", "fr")
@example("He said hi.…", "en")
@example("… …Word", "en")
@example("Wait … !.", "en")
@example("Aaa … …", "hy")
@example("Wow!! Yes", "ja")
@example("   ", "en")
@example("", "ru")
def test_no_cut_when_may_split_says_no(text, lang):
    assert_exact(text, lang)


@pytest.mark.parametrize("lang", ["en", "ru", "hy", "ar", "xx"])
def test_plain_sentences_skip_the_segmenter(lang):
    """The pre-test is worth having: one sentence without inner punctuation is a "no"."""
    assert not may_split("Prices rose by 3.5% at example.com, officials said.", lang)
    assert not may_split("The United Nations (UN) said so [sic].", lang)
    assert not may_split("Really?!  ", lang)
    assert not may_split("", lang)
    assert may_split("One.\n\nTwo.", lang)


def test_unknown_language_is_always_maybe():
    assert "qq" not in sentences._SENTENCEX_PROBED
    assert may_split("Hello world", "qq")
    assert may_split("", "qq_QQ")


def test_terminators_per_language():
    """Armenian has no "." terminator in sentencex: an English abbreviation is no cut there."""
    assert may_split("Mr. Smith", "en")
    assert not may_split("Mr. Smith", "hy")
    assert may_split("Պարոն Սմիթը եկավ։ Հետո գնաց։", "hy")
    assert may_split("Τι; Ναι.", "el") and not may_split("Τι; Ναι.", "en")


# ------------------------------------------------------- 3. check_sentences


def _counted(ctx: CheckContext) -> list[str]:
    """What check_sentences reported before the pre-test: split both, compare the counts."""
    src = len(split_spans(ctx.source_text, ctx.source_lang))
    tr = len(split_spans(ctx.translation_text, ctx.locale))
    return [] if src == tr else [f"the source has {src} sentence{'s' if src != 1 else ''}, the translation {tr}"]


def _outcome(func, *args):
    """func(*args), or the type of the error it raised (the same error before and after)."""
    try:
        return func(*args)
    except Exception as exc:  # e.g. html.parser's AssertionError on "<![A:" (the markup, not the count)
        return type(exc)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, TEXTS, st.sampled_from(["ru", "hy", "en_GB", "de", "ar", "qq"]), st.sampled_from(["en", "ru", "hy"]))
@example("One. Two.", "Один.", "ru", "en")
@example("One <b>two</b>. Three.", "Раз <b>два</b>. Три.", "ru", "en")
@example("Line one<br><br>Line two", "Строка", "ru", "en")
@example("A &amp; B. C.", "Ա և Բ։ Գ։", "hy", "en")
@example("", "… !.", "en_GB", "en")
@example("", "<![A:", "ru", "en")
def test_check_sentences_counts_as_before(source, translation, locale, source_lang):
    expected = or_panic(_outcome, _counted, CheckContext(source, translation, None, locale, source_lang))
    ctx = CheckContext(source, translation, None, locale, source_lang)
    assert _outcome(lambda: list(check_sentences(ctx))) == expected
