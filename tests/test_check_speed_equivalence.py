"""The fast check runner (per-catalog plan, pre-test gates, shared per-entry facts) finds exactly
what running every check function on every entry finds, in the same order.

The reference below is the straightforward loop newsloc.check used before the gates: every
selected check on every translated pair (``untranslated`` on all), duplicates dropped by a
linear scan.  The gates' own assumptions (what a bare URL, a digit, a placeholder, a
whitespace run need) get property tests.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloc import check as checks
from newsloc.check import CHECKS, CheckContext, Finding, check_catalog, check_entry
from newsloc.glossary import load_glossary
from newsloc.pinning import PREFIXES, leftover_placeholders
from newsloc.sentences import split_spans

REPO = Path(__file__).resolve().parent.parent
LOCALES = ["ru", "hy", "de", "fr", "ar", "en_GB", "ja"]


def reference(entry: polib.POEntry, locale: str, source_lang: str = "en", glossary=None,
              po_path: str = "x.po", names: list[str] | None = None) -> list[Finding]:
    selected = list(CHECKS.values()) if names is None else [CHECKS[n] for n in names]
    pairs = [(entry.msgid, entry.msgstr)]
    if entry.msgid_plural:
        forms = entry.msgstr_plural or {}
        pairs = [(entry.msgid if int(i) == 0 else entry.msgid_plural, forms[i]) for i in sorted(forms)] or [
            (entry.msgid, "")]
    findings: list[Finding] = []
    for source, translation in pairs:
        ctx = CheckContext(source, translation, entry, locale, source_lang, glossary, Path(po_path))
        translated = bool(translation.strip())
        for registered in selected:
            if registered.needs_translation and not translated:
                continue
            for message in registered.func(ctx):
                finding = Finding(po_path, entry.linenum, entry.msgid, registered.name, registered.severity,
                                  message, entry.msgctxt)
                if finding not in findings:
                    findings.append(finding)
    return findings


def variants(msgid: str, s: str, rnd: random.Random) -> list[tuple[str, dict]]:
    """Translations that make each check fire, or come close to it."""
    out = [
        (s, {}), (msgid, {}), ("", {}), ("  ", {}),
        (re.sub(r"\d+", lambda m: str(int(m.group()) + 1), s), {}), (re.sub(r"\d+", "", s), {}),
        (s + " 12 345,6 и 7.1% и 1,000,000", {}), (s + " 10\u00a0000 и 2\u202f500,25 29.11.2026", {}),
        (re.sub(r"\d", lambda m: "٠١٢٣٤٥٦٧٨٩"[int(m.group())], s), {}), (s.replace("2020", "2020 300"), {}),
        (s + " ۱۲٫۵ ۱٬۰۰۰", {}),
        (re.sub(r"<[^>]*>", "", s), {}), ("<em>" + s + "</em>", {}), ("<em>" + s, {}), (s + "</b> a < b", {}),
        ("<em>a <strong>b</em></strong> " + s, {}), (s.replace(", ", ",<br>", 1), {}),
        (s.replace(", ", ".<br><br>", 1), {}), (s.replace("https://", "http://"), {}),
        (s.replace('<a href=', '<a  href=').replace("<em>", "<EM >"), {}),
        (re.sub(r"(<[^/][^>]*>)(.*?)(</[^>]+>)", r"\3\2\1", s, count=1), {}),
        (s + " https://example.org/path_(x)). См. www.example.com.", {}), ("mailto:a@b.c " + s, {}),
        (s + " См. WwW.Example.com.", {}),
        (s.replace("«", "“").replace("»", "”"), {}), (s.replace("«", '"').replace("»", '"'), {}),
        (s + " 'x' O’Brien’s ‹y› 「z」", {}), (s.replace(" ", " ZQ1 ", 1) + " ZQ12 ZQ3 ⁇", {}),
        (s + " Ещё одно предложение. Правда? Да!", {}), (s.replace(", ", ". ", 1), {}),
        (s.rstrip(".!?…։"), {}), (s.rstrip(".") + "?", {}), (s.rstrip(".") + "՞։", {}),
        (s.rstrip(".") + "...", {}), (s.rstrip(".") + "。", {}), ("1. Первое. 2. Второе. " + s, {}),
        ("(a) Пункт. (b) Другой. " + s + " (Как насчёт этого?) Далее.", {}), ("”Кто?” — спросил он. " + s, {}),
        (" " + s, {}), (s + " ", {}), (s.replace(" ", "  ", 2), {}), (s.replace(" ", "\u2003\t", 1), {}),
        (s.replace(" ", "\n", 1), {}), (s[:5], {}), (s + " " + s + " " + s, {}), (s.upper(), {}),
        ("Բարեւ ձեզ, սա հայերեն նախադասություն է։", {}), ("これは日本語の文です。二つ目の文。", {}),
        ("هذه جملة عربية. وهذه أخرى؟", {}),
        (s.replace(" ", " &amp; ", 1) + " &#8212; &nbsp;x &bogus;", {}), ("<!-- note -->" + s, {}),
        (s, {"flags": ["fuzzy"], "tcomment": "newsloc-mt: argos translate-en_ru 1.9"}),
        (s, {"flags": ["fuzzy"], "previous_msgid": "Old."}), ("", {"flags": ["fuzzy"]}), (s, {"msgctxt": "h"}),
    ]
    for _ in range(6):  # splices of two variants
        (a, extra), (b, _) = rnd.choice(out), rnd.choice(out)
        out.append((a[:rnd.randrange(len(a) + 1)] + b[rnd.randrange(len(b) + 1):], extra))
    return out


SYNTHETIC = [
    ('He said <em>no</em> to <a href="https://example.org/x">the plan</a> in 2020.',
     'В 2020 году он сказал <em>нет</em> <a href="https://example.org/x">плану</a>.'),
    ('He <em>said</em> <strong>no</strong> to <a href="https://a.org/1" title="A">a</a> and '
     '<a href="https://b.org/2">b</a>.',
     'Он <em>сказал</em> <strong>нет</strong> <a href="https://a.org/1" title="Б">а</a> и '
     '<a href="https://b.org/2">б</a>.'),
    ("Prices rose by 7.1% in 2011, to $1,234.50 (see www.example.com).",
     "Цены выросли на 7,1 % в 2011 году, до 1234,50 $ (см. www.example.com)."),
    ('Line one<br>line two. &amp; "Quoted," she said. Mr. Smith left at 5 p.m. on Jan. 5.',
     "Строка один<br>строка два. &amp; «Цитата», — сказала она. Г-н Смит ушёл в 17:00 5 января."),
    ("ZQ1 stays, ⁇ too.", "ZQ1 остаётся, ⁇ тоже."),
]


@pytest.fixture(scope="module")
def repo_entries() -> list[tuple[str, str]]:
    ru = polib.pofile(str(REPO / "locales" / "ru" / "LC_MESSAGES" / "the-friend-of-my-enemy.po"))
    return [(e.msgid, e.msgstr) for e in ru if e.msgid] + SYNTHETIC


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(REPO / "glossary.yaml", ["ru", "hy"])


def test_gated_entries_find_what_every_check_finds(repo_entries, glossary):
    rnd = random.Random(5)
    compared = fired = 0
    for n, (msgid, msgstr) in enumerate(repo_entries):
        sources = [msgid, msgid.rstrip(".") + "?", msgid + " 2. Next item."]
        for v, (translation, extra) in enumerate(variants(msgid, msgstr, rnd)):
            for i, locale in enumerate(LOCALES):
                source = sources[(v + i) % 3] if (v + i) % 5 == 0 else msgid
                entry = polib.POEntry(msgid=source, msgstr=translation, **extra)
                entry.linenum = n + 1
                gl = glossary if locale in ("ru", "hy") and v % 3 else None
                source_lang = "en" if (v + i) % 11 else "de"
                expected = reference(entry, locale, source_lang, gl)
                assert check_entry(entry, locale, source_lang, gl, "x.po") == expected, (locale, source, translation)
                compared += 1
                fired += len(expected)
    assert compared > 5000 and fired > 10000  # the variants do make the checks fire


def test_gated_catalogs_and_selections_find_the_same(repo_entries, glossary):
    po = polib.pofile(str(REPO / "locales" / "ru" / "LC_MESSAGES" / "the-friend-of-my-enemy.po"))
    for locale in LOCALES:
        for gl in (None, glossary):
            expected = [f for e in po if e.msgid and not e.obsolete for f in reference(e, locale, "en", gl, "c.po")]
            assert check_catalog(po, "c.po", locale, None, gl) == expected
    for names in (["numbers"], ["sentences", "markup", "sentences"], ["untranslated"], [], ["quotes", "length"]):
        for e in po:
            if e.msgid:
                assert check_entry(e, "ru", "en", glossary, "s.po", names) == reference(e, "ru", "en", glossary,
                                                                                       "s.po", names)


def test_plural_forms_and_duplicates(repo_entries):
    for locale in LOCALES:
        for forms in ({0: "%d страна", 1: "%d страны", 2: "%d стран"}, {0: "%d страна", 1: "", 2: "%d <b>стран</b>"},
                      {0: "1 страна", 1: "%d страны 5 5", 2: "%d стран. Ещё."}, {0: "%d country", 1: "%d countries"},
                      {}):
            entry = polib.POEntry(msgid="%d country", msgid_plural="%d countries", msgstr_plural=dict(forms))
            assert check_entry(entry, locale, po_path="x.po") == reference(entry, locale)


def test_a_check_registered_over_a_builtin_name_is_not_gated():
    def always(ctx):
        """Always."""
        yield "always"

    saved = CHECKS["markup"]
    try:
        checks.check("markup", checks.CRITICAL)(always)
        entry = polib.POEntry(msgid="He left.", msgstr="He left.")
        assert [f.message for f in check_entry(entry, "en_GB")] == ["always"]
    finally:
        CHECKS["markup"] = saved


def test_overlapping_placeholders_are_removed_longest_first():
    # ZQ1 taken out of "ZQ12" first would leave a "2" to be read as a number
    entry = polib.POEntry(msgid="ZQ1 stays.", msgstr="ZQ1 остаётся. ZQ12 ZQ3")
    assert "numbers" not in [f.check for f in check_entry(entry, "ru")]
    assert checks._without_placeholders("a ZQ12 b ZQ1 c") == "a   b   c"


# ------------------------------------------------------ what the gates rely on

TEXT = st.lists(st.sampled_from(["www.", "WwW.", "wW", "W.", "http", "HTTPS", "ftp", "://", "mailto", "MailTo", ":",
                                 "x", "/", ".", " ", "«", "(", ")", "<", "&"])).map("".join)


@settings(derandomize=True, max_examples=400)
@given(TEXT)
def test_bare_urls_need_what_url_hint_looks_for(text):
    if checks._BARE_URL.search(text):
        assert checks._url_hint(text)


@settings(derandomize=True, max_examples=400)
@given(st.text())
def test_has_digit_is_the_digit_regex(text):
    assert checks._has_digit(text) == bool(checks._DIGIT.search(text))


@settings(derandomize=True, max_examples=400)
@given(st.lists(st.sampled_from([*PREFIXES, "Z", "Q", "1", "12", "٣", " ", "a", "З", "Ք"])).map("".join))
def test_leftover_placeholders_have_digits(text):
    if leftover_placeholders(text):
        assert checks._has_digit(text)


@settings(derandomize=True, max_examples=400)
@given(st.text(alphabet=st.sampled_from(list("ab .\u00a0\u2003\t\n\r\x0b\x1f\u3000"))))
def test_text_in_single_spaces_has_no_spacing_problem(text):
    ctx = CheckContext("Source text.", text)
    if not checks._gate_double_space(ctx):
        assert list(checks.check_double_space(ctx)) == []


@settings(derandomize=True, max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("ab .,:<>&;#1x/\"'=\n"))))
def test_a_segment_without_tags_or_references_is_its_own_text(text):
    ctx = CheckContext(text, text)
    assert ctx.source_text == checks._parse_markup(text).text


@pytest.mark.parametrize("text", [
    "He met U.S. officials on Jan. 5. They talked.", "Ms. Smith arrived. (How about this?) Next one.",
    "1. First. 2. Second.", "Word. . . . Next", "”Why?” she asked. He left.", "One<br><br>Two",
])
def test_sentences_depend_on_the_base_language_only(text):
    # the copy shortcut of the sentences check relies on it (en_GB and en segment alike)
    assert split_spans(text, "en_GB") == split_spans(text, "en") == split_spans(text, "en-US")


# ------------------------------------------ what the check bodies' shortcuts rely on

ENDINGS = st.text(alphabet=st.sampled_from(list("ab .?!…。։;:-—\"'”»)] \n\u00a0")), max_size=8)


@settings(derandomize=True, max_examples=600)
@given(ENDINGS, ENDINGS, st.text(alphabet=st.sampled_from(list("ab .?!)\"")), max_size=3))
def test_end_mark_depends_on_the_last_character(head1, head2, tail):
    # check_end_punctuation's shortcut: the same last character, neither whitespace nor a
    # closer, and for "." both or neither ending "..." -> the same end mark
    one, two = head1 + tail, head2 + tail
    last = one[-1:]
    if last and last == two[-1:] and not last.isspace() and last not in checks._CLOSERS and (
            last != "." or one.endswith("...") == two.endswith("...")):
        assert checks._end_mark(one) == checks._end_mark(two)


NUMBERS = st.lists(st.sampled_from(["1", "22", "333", "4444", "000", " ", "\u00a0", ",", ".", "'", "x", "٣", "۱",
                                    "٫", "٬", "\u202f"]), max_size=12).map("".join)


@settings(derandomize=True, max_examples=400)
@given(NUMBERS, NUMBERS, st.sampled_from([("en", "en_GB"), ("ru", "uk"), ("fa", "fa"), ("de", "de_AT"),
                                          ("ar_EG", "ar_EG"), ("fr", "fr_CH")]))
def test_same_digit_runs_read_the_same(one, two, pair):
    # check_numbers' shortcut: in languages of the same notation the readings depend on
    # the multiset of digit runs only
    a, b = pair
    if not checks._same_notation(a, b):
        return
    runs = checks._number_tokens(one, a)
    reordered = " x ".join(reversed(runs)) + " x " + two  # the same runs in another order, and maybe more
    for other in (two, reordered):
        if sorted(checks._number_tokens(other, b)) == sorted(runs):
            assert checks._number_readings(one, a) == checks._number_readings(other, b)


def test_same_notation_pairs():
    assert checks._same_notation("en", "en_GB") and checks._same_notation("ru", "uk")
    assert not checks._same_notation("en", "ru") and not checks._same_notation("fa", "en")


@settings(derandomize=True, max_examples=400)
@given(st.lists(st.sampled_from([*PREFIXES, "Z", "Q", "X", "J", "1", "12", "٣", " ", "a", "З"])).map("".join))
def test_leftover_placeholders_start_with_a_prefix(text):
    # _placeholders_in looks for a prefix before it scans
    for found in leftover_placeholders(text):
        assert found.startswith(PREFIXES)
    assert checks._placeholders_in(text) == tuple(leftover_placeholders(text))
    assert all(any(letter in prefix for letter in checks._prefix_letters) for prefix in PREFIXES)
    assert checks._hitting_letters(["ab", "bc", "cd"]) in (("b", "c"), ("c", "b"))


def test_every_whitespace_but_the_space_is_unprintable():
    # _flat: a printable text holds no whitespace but spaces (all of Unicode)
    for code in range(0x110000):
        ch = chr(code)
        if ch.isspace() and ch != " ":
            assert not ch.isprintable(), hex(code)


@settings(derandomize=True, max_examples=600)
@given(st.text(alphabet=st.sampled_from(list("ab .\u00a0\u2003\u2028\u0085\t\n\r\x0b\x1f\u3000\u200b"))))
def test_flat_is_split_and_join(text):
    assert checks._flat(text) == " ".join(text.split())


def test_the_ascii_quotation_marks():
    assert tuple(c for c in checks._QUOTES if c.isascii()) == checks._ASCII_QUOTES == ('"', "'")
    assert len(set(checks._QUOTES)) == len(checks._QUOTES)


@settings(derandomize=True, max_examples=400)
@given(st.text(alphabet=st.sampled_from([*checks._QUOTES, "a", " ", "é", "1"])))
def test_has_quote_is_the_quote_regex(text):
    assert checks._has_quote(text) == bool(checks._QUOTE_CHAR.search(text))


@settings(derandomize=True, max_examples=600)
@given(st.text(alphabet=st.sampled_from(list("0123456789٣۱५ .,'’\u00a0\u202f\u2009x-"))))
def test_ascii_number_pattern_after_digit_conversion(text):
    # _number_tokens reads text whose digits are ASCII with the faster pattern
    ascii_text = checks._to_ascii_digits(text)
    assert checks._ASCII_NUMBER.findall(ascii_text) == checks._NUMBER.findall(ascii_text)


@settings(derandomize=True, max_examples=400)
@given(st.lists(st.sampled_from([*PREFIXES, "ZQ1", "ZQ12", "1", "12", " ", "a", "٣"])).map("".join))
def test_without_placeholders_needs_a_placeholder(text):
    if not leftover_placeholders(text):
        assert checks._without_placeholders(text) is text


def test_finding_made_without_init_is_a_finding():
    import dataclasses
    import pickle

    args = ("a/b.po", 12, "He left.", "quotes", "cosmetic", "uses '", None)
    fast, made = checks._finding(*args), Finding(*args)
    assert type(fast) is Finding and fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert vars(fast) == vars(made) and list(vars(fast)) == list(vars(made))
    assert dataclasses.asdict(fast) == dataclasses.asdict(made) and pickle.loads(pickle.dumps(fast)) == made
    assert [f.name for f in dataclasses.fields(Finding)] == ["path", "line", "msgid", "check", "severity",
                                                             "message", "msgctxt"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.line = 3


def reference_quotes(text: str, locale: str) -> list[str]:
    """check_quotes as it was written first: every mark in text order, with the regex."""
    marks = checks.quotation_marks(locale)
    opening, closing = {marks[0], marks[2]}, {marks[1], marks[3]}
    wrong: list[str] = []
    for found in checks._QUOTE_CHAR.finditer(text):
        i, ch = found.start(), found.group()
        if ch in wrong:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in checks._APOSTROPHES and before.isalpha():
            continue
        opens = (before.isspace() or before in "([{—–-/") and not after.isspace()
        if ch not in (opening if opens else closing):
            wrong.append(ch)
    if not wrong:
        return []
    inner = f" ({marks[2]}…{marks[3]} inside)" if marks[2:] != marks[:2] else ""
    return [f"uses {' '.join(wrong)}; {locale} quotation marks are {marks[0]}…{marks[1]}{inner}"]


@settings(derandomize=True, max_examples=1500)
@given(st.text(alphabet=st.sampled_from([*checks._QUOTES, "a", "Я", " ", "(", "—", "1", "\n"]), max_size=14),
       st.sampled_from(["en_GB", "en", "ru", "de", "fr", "ja", "hy", "ar", "sv", "pl", "it"]))
def test_quotes_find_what_the_mark_by_mark_scan_finds(text, locale):
    ctx = CheckContext("Source.", text, locale=locale)
    assert list(checks.check_quotes(ctx)) == reference_quotes(text, locale)
