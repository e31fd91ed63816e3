"""newsloc.check: every check with positive and negative cases, the entry points and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from newsloc import check as checks
from newsloc.check import (
    CHECKS, COSMETIC, CRITICAL, FUNCTIONAL, SEVERITIES, CheckContext, Finding,
    check_catalog, check_entry, check_project, failed, locale_script, quotation_marks, summary_line,
)
from newsloc.cli import cli
from newsloc.errors import CatalogError, LocaleError
from newsloc.glossary import load_glossary
from newsloc.project import Project

REPO = Path(__file__).resolve().parent.parent
NBSP, NNBSP = "\u00a0", "\u202f"


def run(source: str, translation: str, locale: str = "ru", source_lang: str = "en", glossary=None,
        **entry) -> list[Finding]:
    po_entry = polib.POEntry(msgid=source, msgstr=translation, **entry)
    po_entry.linenum = 7
    return check_entry(po_entry, locale, source_lang, glossary, "x.po")


def names(source: str, translation: str, **kw) -> list[str]:
    return [f.check for f in run(source, translation, **kw)]


def messages(source: str, translation: str, name: str, **kw) -> list[str]:
    return [f.message for f in run(source, translation, **kw) if f.check == name]


# ------------------------------------------------------------------ registry


def test_registry_names_severities_titles():
    assert {name: c.severity for name, c in CHECKS.items()} == {
        "markup": CRITICAL, "urls": CRITICAL, "placeholder": CRITICAL, "control-chars": CRITICAL,
        "numbers": FUNCTIONAL, "glossary": FUNCTIONAL, "untranslated": FUNCTIONAL, "fuzzy": FUNCTIONAL,
        "same-as-source": FUNCTIONAL, "sentences": FUNCTIONAL, "missing": FUNCTIONAL,
        "end-punctuation": COSMETIC, "quotes": COSMETIC, "double-space": COSMETIC, "length": COSMETIC,
        "markup-form": COSMETIC,
    }
    for registered in CHECKS.values():
        assert registered.severity in SEVERITIES
        assert registered.title == registered.func.__doc__.strip().splitlines()[0]
        assert registered.title.endswith(".")


def test_a_new_check_is_one_decorated_function():
    @checks.check("shouting", COSMETIC)
    def check_shouting(ctx: CheckContext):
        """The translation is in capitals."""
        if ctx.translation_text.isupper():
            yield "all capitals"

    try:
        assert CHECKS["shouting"].title == "The translation is in capitals."
        assert names("He left.", "ОН УШЁЛ.") == ["shouting"]
        assert check_entry(polib.POEntry(msgid="He left.", msgstr="ОН УШЁЛ."), "ru",
                           checks=["shouting"])[0].message == "all capitals"
    finally:
        del CHECKS["shouting"]


def test_unknown_check_name_is_an_error():
    with pytest.raises(ValueError, match="unknown check 'nope'"):
        check_entry(polib.POEntry(msgid="a", msgstr="б"), "ru", checks=["nope"])
    with pytest.raises(ValueError, match="severity"):
        checks.check("x", "fatal")


def test_clean_translation_has_no_findings():
    source = 'He said <em>no</em> to <a href="https://example.org/x">the plan</a> in 2020.'
    translation = 'В 2020 году он сказал <em>нет</em> <a href="https://example.org/x">плану</a>.'
    assert run(source, translation) == []


# ---------------------------------------------------------------- markup


@pytest.mark.parametrize("source, translation, expected", [
    ("He said <em>no</em>.", "Он сказал нет.", "missing <em>"),
    ("He said no.", "Он <em>сказал</em> нет.", "added <em> (not in the source)"),
    ("He said <strong>no</strong>.", "Он сказал <b>нет</b>.", "missing <strong>"),
    ("He said <strong>no</strong>.", "Он сказал <b>нет</b>.", "added <b> (not in the source)"),
    ('Read <span class="a">it</span>.', 'Прочтите <span class="b">это</span>.',
     'attributes changed: <span class="a"> became <span class="b">'),
    ("Read <em>it</em>.", 'Прочтите <em onclick="x()">это</em>.',
     'attributes changed: <em> became <em onclick="x()">'),
    ("Read it.", "Прочтите <script>alert(1)</script>это.", "added <script> (not in the source)"),
    ("Read <em>it</em>.", "Прочтите <em>это.", "<em> is never closed"),
    ("Read <em>it</em>.", "Прочтите это</em>.", "</em> has no opening <em>"),
    ("A &lt; B.", "A < B.", "unescaped '<' in the text (write &lt;, or copy the tag exactly from the source)"),
    ('It was <a href="u"><em>final</em></a>.', 'Это было <em><a href="u">окончательно</a></em>.',
     'nesting differs: <em> is at top level here, not as in the source'),
    ("He <em>said</em> <strong>no</strong>.", "Он <em>сказал <strong>нет</strong></em>.",
     "</em> closes <em> while <strong> inside it is still open"),
])
def test_markup_positive(source, translation, expected):
    if "closes" in expected:  # overlapping tags
        translation = "Он <em>сказал <strong>нет</em></strong>."
    assert expected in messages(source, translation, "markup")
    assert CHECKS["markup"].severity == CRITICAL


@pytest.mark.parametrize("source, translation", [
    ("He said <em>no</em> to <strong>them</strong>.", "Он сказал <strong>им</strong> <em>нет</em>."),
    ('Read <a href="u" title="The report">it</a>.', 'Прочтите <a title="The report" href="u">его</a>.'),
    ("Prices rose &amp; fell.", "Цены выросли &amp; упали."),
    ("Line one<br>line two.", "Строка один<br>строка два."),
    ("Plain text.", "Обычный текст."),
])
def test_markup_negative(source, translation):
    assert messages(source, translation, "markup") == []


def test_markup_leaves_link_targets_to_the_urls_check():
    found = run('Read <a href="https://a.org/1">it</a>.', 'Прочтите <a href="https://a.org/2">это</a>.')
    assert [(f.check, f.message) for f in found] == [
        ("urls", "URL changed: https://a.org/1 became https://a.org/2")]


# ------------------------------------------------------------------ urls


@pytest.mark.parametrize("source, translation, expected", [
    ('See <a href="https://a.org/x">this</a>.', 'См. <a href="https://a.org/y">это</a>.',
     "URL changed: https://a.org/x became https://a.org/y"),
    ("See www.example.org now.", "См. www.example.ru сейчас.", "URL changed: www.example.org became www.example.ru"),
    ("See https://a.org/x now.", "Смотрите сейчас.", "URL missing: https://a.org/x"),
    ("See this now.", "См. https://evil.example/ сейчас.", "URL added: https://evil.example/ (not in the source)"),
    ('Open <a href="https://a.org/?a=1&amp;b=2">it</a>.', 'Откройте <a href="https://a.org/?a=1">это</a>.',
     "URL changed: https://a.org/?a=1&b=2 became https://a.org/?a=1"),
    ('See <a href="/news/1">it</a>.', 'См. <a href="javascript:alert(1)">это</a>.',
     "URL changed: /news/1 became javascript:alert(1)"),
])
def test_urls_positive(source, translation, expected):
    assert messages(source, translation, "urls") == [expected]


@pytest.mark.parametrize("source, translation", [
    ("Data: https://a.org/data.", "Данные: https://a.org/data"),  # the full stop is not part of the URL
    ("(see https://a.org/x)", "(см. https://a.org/x)"),
    ('Open <a href="https://a.org/?a=1&amp;b=2">it</a>.', 'Откройте <a href="https://a.org/?a=1&b=2">это</a>.'),
    ("See https://a.org/x and https://a.org/y.", "См. https://a.org/y и https://a.org/x."),
])
def test_urls_negative(source, translation):
    assert messages(source, translation, "urls") == []


# ----------------------------------------------------------- placeholder


def test_placeholder_positive():
    assert messages("Armenia left CSTO.", "Армения вышла из ZQ1.", "placeholder") == [
        "MT placeholder ZQ1 left in the text (put back the term or markup it stands for)"]
    assert messages("He said hello.", "Он сказал ⁇.", "placeholder") == [
        "⁇ (a character the MT model did not know) left in the text"]
    # the digits of a placeholder are not a number of the text
    assert "numbers" not in names("Armenia left CSTO.", "Армения вышла из QZ2.")


def test_placeholder_negative():
    assert messages("Armenia left CSTO.", "Армения вышла из ОДКБ.", "placeholder") == []
    assert messages("The ZQ1 code.", "Код ZQ1.", "placeholder") == []  # in the source too
    assert messages("Boeing's 787.", "Boeing 787.", "placeholder") == []


# --------------------------------------------------------------- numbers


@pytest.mark.parametrize("source, translation, locale", [
    ("Growth was 7.1% in 2011.", "Рост составил 7,1 % в 2011 году.", "ru"),
    ("Growth was 7.1% in 2011.", "Рост составил 7,1% в 2011 году.", "ru"),
    ("Some 10,000 people fled.", f"Бежали около 10{NBSP}000 человек.", "ru"),
    ("Some 10,000 people fled.", f"Бежали около 10{NNBSP}000 человек.", "ru"),
    ("Some 10,000 people fled.", "Бежали около 10 000 человек.", "ru"),
    ("Some 1,500 people fled.", "Бежали около 1500 человек.", "ru"),
    ("It cost $1,234,567.89.", f"Это стоило 1{NBSP}234{NBSP}567,89 доллара.", "ru"),
    ("In 2020, 300 people died.", "В 2020 300 человек погибли.", "ru"),  # a plain space that does not group
    ("The 2020s and the 1990s.", "2020-е и 1990-е.", "ru"),
    ("Between 2020 and 2023.", "В 2020–2023 годах.", "ru"),
    ("It rose by 0.5 points.", "Он вырос на 0,5 пункта.", "hy"),
    ("Growth was 7.1%.", "Wachstum: 7,1 %.", "de"),
    ("Two leaders met.", "Встретились два лидера.", "ru"),
    ("Growth was 7.1% in 2011.", "رشد ۷٫۱٪ در سال ۲۰۱۱ بود.", "fa"),  # Persian digits and ٫
    ("Growth was 7.1% in 2011.", "كان النمو 7.1% في عام 2011.", "ar"),
    ('See <a href="https://a.org/2020/x">it</a>.', 'См. <a href="https://a.org/2020/x">это</a>.', "ru"),
])
def test_numbers_negative(source, translation, locale):
    assert messages(source, translation, "numbers", locale=locale) == []


@pytest.mark.parametrize("source, translation, expected", [
    ("The war began in 2020.", "Война началась в 2021 году.",
     ["number 2020 of the source is missing", "number 2021 is not in the source"]),
    ("About 30 people died.", "Погибли люди.", ["number 30 of the source is missing"]),
    ("People died.", "Погибли 30 человек.", ["number 30 is not in the source"]),
    ("Turnout was 7.1%.", "Явка составила 7,2 %.",
     ["number 7.1 of the source is missing (in ru: 7,1)", "number 7,2 is not in the source"]),
    ("Turnout was 7.1%.", "Явка составила 7.1%.", ["7.1 is written in en style; in ru: 7,1"]),
    ("Some 10,000 fled.", "Бежали 1 000 человек.",
     ["number 10,000 of the source is missing (in ru: 10 000)", "number 1000 is not in the source"]),
    ("It lasted 44 days.", "Она длилась 4 дня.",
     ["number 44 of the source is missing", "number 4 is not in the source"]),
    ("Growth was 7.1% in 2011.", "رشد ۷٫۲٪ در سال ۲۰۱۱ بود.",
     ["number 7.1 of the source is missing", "number 7.2 is not in the source"]),
])
def test_numbers_positive(source, translation, expected):
    locale = "fa" if "رشد" in translation else "ru"
    assert messages(source, translation, "numbers", locale=locale) == [
        m.replace("10 000", f"10{NBSP}000") for m in expected]


# -------------------------------------------------------------- glossary


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(REPO / "glossary.yaml", ["ru", "hy"])


def test_glossary_positive(glossary):
    found = messages("Armenia is a member of the CSTO.", "Армения — член Организации.", "glossary",
                     glossary=glossary)
    assert found == ["glossary term 'CSTO': the ru translation should use 'ОДКБ'"]
    assert messages("Belarus joined.", "Белоруссия присоединилась.", "glossary", glossary=glossary) == [
        "glossary term 'Belarus': the ru translation should use 'Беларусь' or an accepted inflected form"]


def test_glossary_negative(glossary):
    assert messages("Armenia is a member of the CSTO.", "Армения — член ОДКБ.", "glossary", glossary=glossary) == []
    # an accepted inflected form
    assert messages("He flew to Belarus.", "Он улетел в Беларусь.", "glossary", glossary=glossary) == []
    assert messages("Trade with Belarus.", "Торговля с Беларусью.", "glossary", glossary=glossary) == []
    # no glossary, no glossary check
    assert messages("Belarus joined.", "Белоруссия присоединилась.", "glossary") == []


# --------------------------------------------------- untranslated / fuzzy


def test_untranslated():
    assert run("He left.", "") == [Finding("x.po", 7, "He left.", "untranslated", FUNCTIONAL, "not translated")]
    assert messages("He left.", "Он ушёл.", "untranslated") == []


def test_fuzzy():
    mt = run("He left.", "Он ушёл.", flags=["fuzzy"], tcomment="newsloc-mt: argos translate-en_ru 1.9")
    assert [(f.check, f.message) for f in mt] == [
        ("fuzzy", "unreviewed machine draft (fuzzy): review it, then clear the fuzzy flag")]
    changed = messages("He left today.", "Он ушёл.", "fuzzy", flags=["fuzzy"], previous_msgid="He left.")
    assert changed == ["the source sentence changed since it was translated (fuzzy): review the translation"]
    assert messages("He left.", "Он ушёл.", "fuzzy", flags=["fuzzy"]) == [
        "marked fuzzy (needs review): review it, then clear the fuzzy flag"]
    assert messages("He left.", "Он ушёл.", "fuzzy", flags=["python-format"]) == []
    # a fuzzy entry without a translation is untranslated (once)
    assert names("He left.", "", flags=["fuzzy"]) == ["untranslated"]


# --------------------------------------------------------- same-as-source


def test_same_as_source_positive():
    assert messages("He said no.", "He said no.", "same-as-source") == [
        "translation is identical to the source, but ru is written in Cyrillic script"]
    assert messages("He said no.", "He  said no!", "same-as-source") == [
        "translation has no Cyrillic letters (ru is written in Cyrillic script): source copied?"]
    assert messages("He said no.", "He said no.", "same-as-source", locale="hy") == [
        "translation is identical to the source, but hy is written in Armenian script"]


def test_same_as_source_negative():
    assert messages("Berlin.", "Berlin.", "same-as-source", locale="de") == []  # same script
    assert messages("2020.", "2020.", "same-as-source") == []  # nothing to translate
    assert messages("He said no.", "Он сказал no.", "same-as-source") == []
    assert messages("See www.example.org.", "См. www.example.org.", "same-as-source") == []


def test_locale_scripts_come_from_cldr():
    assert (locale_script("ru"), locale_script("hy"), locale_script("en"), locale_script("sr_Latn")) == (
        "Cyrl", "Armn", "Latn", "Latn")


# -------------------------------------------------------------- sentences


def test_sentences():
    assert messages("He left. She stayed.", "Он ушёл, а она осталась.", "sentences") == [
        "the source has 2 sentences, the translation 1"]
    assert messages("He left and she stayed.", "Он ушёл. Она осталась.", "sentences") == [
        "the source has 1 sentence, the translation 2"]
    assert messages("He left. She stayed.", "Он ушёл. Она осталась.", "sentences") == []
    # Russian rules: a quotation with the author's words is one sentence
    assert messages('"Why? I asked," he said.', "«Зачем? – спросил я», – сказал он.", "sentences") == []


# -------------------------------------------------------- end punctuation


@pytest.mark.parametrize("source, translation, locale", [
    ("He left.", "Он ушёл.", "ru"),
    ("He said ”no.”", "Он сказал «нет».", "ru"),
    ("He said ”no.”", "Он сказал «нет.»", "ru"),
    ("The friend of my enemy is my ally", "Друг моего врага — мой союзник", "ru"),
    ("He left.", "Նա հեռացավ։", "hy"),
    ("Did he leave?", "Նա հեռացա՞վ։", "hy"),
    ("Wait...", "Подождите…", "ru"),
])
def test_end_punctuation_negative(source, translation, locale):
    assert messages(source, translation, "end-punctuation", locale=locale) == []


@pytest.mark.parametrize("source, translation, expected", [
    ("He left.", "Он ушёл!", "ends with '!', the source with '.'"),
    ("He left.", "Он ушёл", "no end punctuation, the source ends with '.'"),
    ("The friend of my enemy", "Друг моего врага.", "ends with '.', the source has no end punctuation"),
    ("Did he leave?", "Он ушёл.", "ends with '.', the source with '?'"),
])
def test_end_punctuation_positive(source, translation, expected):
    assert messages(source, translation, "end-punctuation") == [expected]


# ----------------------------------------------------------------- quotes


def test_quotation_marks_come_from_cldr():
    assert quotation_marks("ru") == ("«", "»", "„", "“")
    assert quotation_marks("hy")[:2] == ("«", "»")
    assert quotation_marks("en") == ("“", "”", "‘", "’")


def test_quotes_positive():
    # “ closes an inner quotation in Russian; as an opening mark it is the English one
    assert messages("He said ”no”.", "Он сказал “нет”.", "quotes") == [
        "uses “ ”; ru quotation marks are «…» („…“ inside)"]
    assert messages("He said ”no”.", "Он сказал »нет«.", "quotes") == [
        "uses » «; ru quotation marks are «…» („…“ inside)"]
    assert messages('He said "no".', 'Он сказал "нет".', "quotes") == [
        'uses "; ru quotation marks are «…» („…“ inside)']
    assert messages('He said "no".', 'Նա ասաց "ոչ":', "quotes", locale="hy") == [
        'uses "; hy quotation marks are «…»']


def test_quotes_negative():
    assert messages("He said ”no”.", "Он сказал «нет».", "quotes") == []
    assert messages("He said ”a ’b’ c”.", "Он сказал «а „б“ в».", "quotes") == []
    assert messages("O’Brien’s plan.", "План О’Брайена.", "quotes") == []  # an apostrophe
    assert messages('He said "no".', "Նա ասաց «ոչ»։", "quotes", locale="hy") == []
    assert messages('He said "no".', "He said “no”.", "quotes", locale="en_GB") == []


# ----------------------------------------------------------- double space


def test_double_space():
    assert messages("He left.", "Он  ушёл.", "double-space") == ["double space: 'Он  ушёл.'"]
    assert messages("He left.", " Он ушёл. ", "double-space") == [
        "translation starts with whitespace", "translation ends with whitespace"]
    assert messages("He  left.", "Он  ушёл.", "double-space") == []  # as in the source
    assert messages("Some 10,000 fled.", f"Бежали 10{NBSP}000.", "double-space") == []
    assert messages("Line<br>\nnext.", "Строка<br>\nследующая.", "double-space") == []


# ----------------------------------------------------------------- length


def test_length():
    source = "He did not clarify which countries he meant."
    assert messages(source, "Нет.", "length") == [
        "translation is 0.09× the source length (4 vs 44 characters; usual for ru: about 1.10×)"]
    long = "Он не уточнил, какие именно страны он имел в виду, " * 3
    assert messages(source, long.strip(), "length")[0].startswith("translation is 3.45× the source length")
    assert messages(source, "Он не уточнил, какие страны имел в виду.", "length") == []
    assert messages("Yes.", "Да, конечно, безусловно, это так.", "length") == []  # too short to judge
    assert messages(source, "他没有说明他指的是哪些国家。", "length", locale="zh") == []  # Chinese is shorter


# ------------------------------------------------------------ markup form


def test_markup_form():
    assert messages("A <em>very</em> <strong>close</strong> vote.",
                    "<strong>Очень</strong> <em>близкое</em> голосование.", "markup-form") == [
        "inline markup in another order than in the source (check that the tags wrap the right words)"]
    assert messages("One<br>two.", "Один<br/>два.", "markup-form") == [
        "tags written differently from the source: <br/>"]
    assert messages("See https://a.org/x and https://a.org/y.", "См. https://a.org/y и https://a.org/x.",
                    "markup-form") == [
        "links in another order than in the source (check that each wraps the right words)"]
    assert messages("A <em>very</em> close vote.", "<em>Очень</em> близкое голосование.", "markup-form") == []
    assert messages('Read <a href="u" title="T">it</a>.', 'Прочтите <a href="u" title="Т">его</a>.',
                    "markup-form") == []


# --------------------------------------------------------- check_catalog


PO_TEXT = '''msgid ""
msgstr ""
"Language: ru\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Source-Language: en\\n"

#. Headline of the article
#: source/brief.txt:1
msgid "Prices rose"
msgstr "Цены выросли"

#: source/brief.txt:2
msgid "Prices rose by 7.1% in 2011."
msgstr "Цены выросли на 7,2 % в 2011 году."

#: source/brief.txt:2
msgid "See <a href=\\"https://example.org/a\\">the data</a> for details."
msgstr "Подробности — в “<a href=\\"https://example.org/a\\">данных</a>”."

#~ msgid "Old sentence."
#~ msgstr "Old sentence."
'''


def test_check_catalog_reads_lines_and_skips_header_and_obsolete(tmp_path):
    """Lines are polib's entry lines (the entry's first line), as everywhere in newsloc."""
    path = tmp_path / "brief.po"
    path.write_text(PO_TEXT, encoding="utf-8")
    found = check_catalog(polib.pofile(str(path)), "brief.po", "ru")
    assert [(f.line, f.check, f.severity) for f in found] == [
        (12, "numbers", FUNCTIONAL), (12, "numbers", FUNCTIONAL), (16, "quotes", COSMETIC)]
    assert failed(found)
    assert not failed([f for f in found if f.severity == COSMETIC])
    assert summary_line(found) == "3 problems in 2 entries: 2 functional, 1 cosmetic (check failed)"
    assert summary_line([]) == "no problems found"


def test_plural_entries_check_each_form():
    entry = polib.POEntry(msgid="%d country", msgid_plural="%d countries",
                          msgstr_plural={0: "%d страна", 1: "%d страны", 2: "%d стран"})
    assert check_entry(entry, "ru") == []
    entry.msgstr_plural[2] = ""
    assert [f.check for f in check_entry(entry, "ru")] == ["untranslated"]
    entry.msgstr_plural[2] = "%d <b>стран</b>"
    assert [f.message for f in check_entry(entry, "ru")] == ["added <b> (not in the source)"]


def test_source_language_comes_from_the_header(tmp_path):
    po = polib.pofile(PO_TEXT.replace("X-Source-Language: en", "X-Source-Language: de")
                      .replace("7.1%", "7,1 %").replace("7,2 %", "7,1 %"))
    assert [f.check for f in check_catalog(po, "p.po", "ru")] == ["quotes"]


# ------------------------------------------------------------ project + CLI


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "brief.txt").write_text(
        'Prices rose\nPrices rose by 7.1% in 2011. See <a href="https://example.org/a">the data</a> for details.\n',
        encoding="utf-8")
    folder = tmp_path / "locales" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "brief.po").write_text(PO_TEXT, encoding="utf-8")
    (tmp_path / "locales" / "hy" / "LC_MESSAGES").mkdir(parents=True)
    return tmp_path


def cli_check(project: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project), "check", *args])


def test_cli_text_output_and_exit_code(brief):
    result = cli_check(brief, "--locale", "ru")
    assert result.exit_code == 1
    assert result.output == (
        "locales/ru/LC_MESSAGES/brief.po:12: functional: numbers: number 7.1 of the source is missing "
        "(in ru: 7,1) [entry \"Prices rose by 7.1% in 2011.\"]\n"
        "locales/ru/LC_MESSAGES/brief.po:12: functional: numbers: number 7,2 is not in the source "
        "[entry \"Prices rose by 7.1% in 2011.\"]\n"
        "locales/ru/LC_MESSAGES/brief.po:16: cosmetic: quotes: uses “ ”; ru quotation marks are «…» („…“ inside) "
        "[entry \"See the data for details.\"]\n"
        "3 problems in 2 entries: 2 functional, 1 cosmetic (check failed)\n"
    )


def test_cli_json_output(brief):
    result = cli_check(brief, "--locale", "ru", "--format", "json", "--article", "brief")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data[0] == {
        "path": "locales/ru/LC_MESSAGES/brief.po", "line": 12, "msgctxt": None,
        "msgid": "Prices rose by 7.1% in 2011.", "check": "numbers",
        "title": "Numbers differ from the source (compared in each locale's own notation).",
        "severity": "functional", "message": "number 7.1 of the source is missing (in ru: 7,1)",
    }
    assert [(d["check"], d["severity"]) for d in data] == [
        ("numbers", "functional"), ("numbers", "functional"), ("quotes", "cosmetic")]
    assert "3 problems in 2 entries" in result.stderr


def test_cli_exit_code_zero_when_only_cosmetic(brief):
    po_path = brief / "locales" / "ru" / "LC_MESSAGES" / "brief.po"
    po_path.write_text(PO_TEXT.replace("7,2 %", "7,1 %"), encoding="utf-8")
    result = cli_check(brief, "--locale", "ru")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("1 problem in 1 entry: 1 cosmetic (cosmetic only, check passed)\n")
    po_path.write_text(PO_TEXT.replace("7,2 %", "7,1 %").replace("“", "«").replace("”", "»"), encoding="utf-8")
    result = cli_check(brief, "--locale", "ru")
    assert (result.exit_code, result.output) == (0, "no problems found\n")
    assert json.loads(cli_check(brief, "--locale", "ru", "--format", "json").stdout) == []


def test_cli_lists_the_checks(brief):
    result = cli_check(brief, "--list-checks")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(CHECKS)
    assert lines[0].split()[:2] == ["markup", "critical"]
    assert "numbers          functional  Numbers differ from the source" in result.output


def test_cli_errors_name_the_problem(brief):
    result = cli_check(brief)  # hy has no catalog yet
    assert result.exit_code == 1
    assert "locales/hy/LC_MESSAGES/brief.po: no catalog; run `newsloc extract` first" in result.output
    result = cli_check(brief, "--locale", "de")
    assert result.exit_code == 1 and "locale 'de' is not configured" in result.output
    result = cli_check(brief, "--article", "nope")
    assert result.exit_code == 1 and "no article 'nope'" in result.output
    bad = brief / "locales" / "ru" / "LC_MESSAGES" / "brief.po"
    bad.write_text(PO_TEXT.replace('msgstr "Цены выросли"', 'msgstr "Цены выросли'), encoding="utf-8")
    result = cli_check(brief, "--locale", "ru")
    assert result.exit_code == 1 and result.output.startswith("Error: locales/ru/LC_MESSAGES/brief.po:10: ")


def test_check_project_paths_are_project_relative(brief):
    with pytest.raises(CatalogError):
        check_project(Project(brief))
    with pytest.raises(LocaleError):
        check_project(Project(brief), locales=["xx_YY"])
    found = check_project(Project(brief), ["brief"], ["ru"])
    assert {f.path for f in found} == {"locales/ru/LC_MESSAGES/brief.po"}


def test_shipped_russian_translation_passes_the_checks(tmp_path):
    """No false alarms on the reviewed Russian edition (markup, links, numbers, quotes...)."""
    shutil.copytree(REPO / "source", tmp_path / "source")
    (tmp_path / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    for po in (REPO / "locales" / "ru" / "LC_MESSAGES").glob("*.po"):
        shutil.copy(po, tmp_path / "locales" / "ru" / "LC_MESSAGES")
    found = check_project(Project(tmp_path), locales=["ru"])  # no glossary.yaml: terms not checked here
    assert [str(f) for f in found] == []


def test_catalog_that_is_a_link_loop_is_named_not_reported_missing(project_dir):
    folder = project_dir / "locales" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    slug = next((project_dir / "source").iterdir()).stem
    (folder / f"{slug}.po").unlink(missing_ok=True)
    (folder / f"{slug}.po").symlink_to("other.po")
    (folder / "other.po").symlink_to(f"{slug}.po")
    result = CliRunner().invoke(cli, ["--project", str(project_dir), "check", "--locale", "ru"])
    assert result.exit_code == 1
    assert result.output == f"Error: locales/ru/LC_MESSAGES/{slug}.po: cannot read: Too many levels of symbolic links\n"
