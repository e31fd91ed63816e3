"""newsloc check agrees with newsloc build: what the build refuses or publishes broken, check reports.

QA findings: attribute values that differ from the source only in whitespace or character
references (the build's sanitiser refuses them, check passed them), control characters in
a translation (published into invalid HTML), the markup finding pairing a changed link with
the wrong source link, entry labels that do not tell entries apart, and a catalog that lacks
entries of its template reported as having no problems.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from newsloc.bundle import sanitize_segment
from newsloc.check import CHECKS, CRITICAL, FUNCTIONAL, check_entry, check_project
from newsloc.cli import cli
from newsloc.errors import UnsafeMarkupError
from newsloc.project import Project

REPO = Path(__file__).resolve().parent.parent
SLUG = "the-friend-of-my-enemy"


def run(source: str, translation: str, locale: str = "ru") -> list:
    entry = polib.POEntry(msgid=source, msgstr=translation)
    entry.linenum = 7
    return check_entry(entry, locale, "en", None, "x.po")


def critical(source: str, translation: str) -> list[str]:
    return [f"{f.check}: {f.message}" for f in run(source, translation) if f.severity == CRITICAL]


def refused(source: str, translation: str) -> bool:
    try:
        sanitize_segment(source, translation)
    except UnsafeMarkupError:
        return True
    return False


# ------------------------------------------------ 1. attribute values: check vs build

SOURCE = ('In recent years, <a href="https://a.org/r/west" style="text-decoration: underline !important;" '
          'title="The pivot" class="Big link">Armenia</a> has tried to <a href="https://a.org/r/radars">'
          'diversify</a> its partners.')
TRANSLATION = ('В последние годы <a href="https://a.org/r/west" style="text-decoration: underline !important;" '
               'title="The pivot" class="Big link">Армения</a> пыталась <a href="https://a.org/r/radars">'
               'диверсифицировать</a> круг партнёров.')

# How an attribute value (as written, HTML-escaped) is mutated in the translation.
MUTATIONS = {
    "same": lambda v: v,
    "trailing space": lambda v: v + " ",
    "leading space": lambda v: " " + v,
    "trailing &#10;": lambda v: v + "&#10;",
    "&#9; inside": lambda v: v[:4] + "&#9;" + v[4:],
    "&#10; inside": lambda v: v[:4] + "&#10;" + v[4:],
    "&#32; at the end": lambda v: v + "&#32;",
    "a letter as a reference": lambda v: "&#" + str(ord(v[0])) + ";" + v[1:],
    "a letter as a named reference": lambda v: v.replace("t", "&#x74;", 1),
    "no-break space inside": lambda v: v.replace(" ", "&nbsp;", 1) if " " in v else v + "&nbsp;",
    "double space": lambda v: v.replace(" ", "  ", 1) if " " in v else v + "  x",
    "changed": lambda v: v + "x",
    "upper case": lambda v: v.upper(),
    "empty": lambda v: "",
}
ATTRIBUTES = [("href", "https://a.org/r/west"), ("style", "text-decoration: underline !important;"),
              ("title", "The pivot"), ("class", "Big link"), ("href", "https://a.org/r/radars")]


def mutated(name: str, value: str, mutation: str) -> str:
    old = f'{name}="{value}"'
    assert TRANSLATION.count(old) == 1
    return TRANSLATION.replace(old, f'{name}="{MUTATIONS[mutation](value)}"')


@pytest.mark.parametrize("name, value", ATTRIBUTES)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_check_reports_a_critical_finding_iff_the_build_refuses_the_value(name, value, mutation):
    translation = mutated(name, value, mutation)
    found = critical(SOURCE, translation)
    decoded = html.unescape(MUTATIONS[mutation](value))
    # (a value that differs in case only too: ammonia's value lists ignore case, the
    # build's sanitiser then compares the values exactly, as check does)
    assert bool(found) == refused(SOURCE, translation), (translation, found)
    assert bool(found) == (decoded != value)


def test_whitespace_in_a_link_target_is_shown():
    translation = mutated("href", "https://a.org/r/west", "trailing space")
    assert critical(SOURCE, translation) == [
        "urls: URL changed: https://a.org/r/west became 'https://a.org/r/west '"]
    translation = mutated("href", "https://a.org/r/west", "trailing &#10;")
    assert critical(SOURCE, translation) == [
        "urls: URL changed: https://a.org/r/west became 'https://a.org/r/west\\n'"]


def test_a_translated_title_is_reported_because_the_build_refuses_it():
    source, translation = 'Read <a href="u" title="The report">it</a>.', 'Прочтите <a href="u" title="Доклад">его</a>.'
    assert refused(source, translation)
    assert critical(source, translation) == [
        'markup: attributes changed: <a href="u" title="The report"> became <a href="u" title="Доклад">']


def test_a_link_target_swapped_with_a_url_in_the_text_is_reported():
    source = 'See <a href="https://a.org/x">https://a.org/y</a>.'
    translation = 'См. <a href="https://a.org/y">https://a.org/x</a>.'
    assert refused(source, translation)
    assert critical(source, translation) == [
        "urls: link target changed: https://a.org/x became https://a.org/y"]


# ------------------------------------------------ 2. characters HTML forbids in text


@pytest.mark.parametrize("char", ["\x0b", "\x1b", "\x00", "\x7f", "\x85", "\x9f", "\ufdd0", "\ufffe",
                                  "\uffff", "\U0001fffe", "\U0010ffff", "\ud800"])
def test_control_characters_and_noncharacters_are_critical(char):
    found = [f for f in run("It is most likely Russia.", f"скорее{char}всего, является Россия.")
             if f.check == "control-chars"]
    assert [f.severity for f in found] == [CRITICAL]
    assert f"U+{ord(char):04X}" in found[0].message


def test_a_character_reference_to_a_control_character_is_critical():
    found = [f.message for f in run("It is <em>most</em> likely.", "Скорее <em>всего</em>&#11; да.")
             if f.check == "control-chars"]
    assert len(found) == 1 and "U+000B" in found[0]


@pytest.mark.parametrize("text", ["скорее\tвсего", "скорее\nвсего", "скорее\x0cвсего", "скорее\rвсего",
                                  "скорее\u00a0всего", "скорее\u2009всего", "скорее\u202fвсего",
                                  "скорее\u200bвсего", "скорее\u00adвсего", "скорее\ue000всего",
                                  "скорее\u2028всего", "скорее всего"])
def test_characters_html_allows_are_not_reported(text):
    assert [f for f in run("It is most likely Russia.", text + ", является Россия.")
            if f.check == "control-chars"] == []


def test_every_forbidden_character_is_unprintable():
    """check_control_chars scans only unprintable texts: over all of Unicode, what it forbids
    is unprintable, and what is unprintable but allowed is whitespace, a format or private-use
    character, or an unassigned one."""
    import sys
    import unicodedata

    from newsloc.textchars import FORBIDDEN as _FORBIDDEN

    for codepoint in range(sys.maxunicode + 1):
        ch = chr(codepoint)
        if _FORBIDDEN.match(ch):
            assert not ch.isprintable(), hex(codepoint)
            assert unicodedata.category(ch) in ("Cc", "Cs", "Cn"), hex(codepoint)
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            assert ch in "\t\n\x0c\r", hex(codepoint)


def test_control_chars_is_registered_as_critical():
    assert CHECKS["control-chars"].severity == CRITICAL
    assert CHECKS["control-chars"].title.endswith(".")


# ------------------------------------------------ 3. pairing and labels

RECENT_ID = ('<a href="https://www.europeancorrespondent.com/r/armenia-pivots-to-the-west" '
             'style="text-decoration: underline !important;">In recent years, Armenia has attempted to </a>'
             '<a href="https://www.europeancorrespondent.com/r/french-radars-to-protect-armenian-skies" '
             'style="text-decoration: underline !important;">diversify its security partners.</a>')


def shipped_catalog() -> polib.POFile:
    return polib.pofile(str(REPO / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"))


def test_a_changed_link_is_paired_with_its_own_source_link():
    entry = shipped_catalog().find(RECENT_ID)
    assert entry is not None
    first = '<a href="https://www.europeancorrespondent.com/r/armenia-pivots-to-the-west" ' \
            'style="text-decoration: underline !important;">'
    assert entry.msgstr.count(first) == 1
    changed = first[:-1] + ' title="x">'
    entry.msgstr = entry.msgstr.replace(first, changed)
    found = [f.message for f in check_entry(entry, "ru") if f.check == "markup"]
    assert found == [f"attributes changed: {first} became {changed}"]


def test_a_changed_second_link_is_paired_with_the_second_source_link():
    source = 'A <a href="https://a.org/1">one</a> and <a href="https://a.org/2">two</a>.'
    translation = 'А <a href="https://a.org/1">один</a> и <a href="https://a.org/2" class="c">два</a>.'
    assert [f.message for f in run(source, translation) if f.check == "markup"] == [
        'attributes changed: <a href="https://a.org/2"> became <a href="https://a.org/2" class="c">']


def test_entry_labels_tell_entries_apart():
    po = shipped_catalog()
    labels = {}
    for entry in po:
        if entry.msgid:
            entry.msgstr = entry.msgstr + " <b>x</b>"  # a finding on every entry
    from newsloc.check import check_catalog
    for finding in check_catalog(po, "x.po", "ru"):
        label = str(finding).rsplit(" [entry ", 1)[1][:-1]
        labels.setdefault(label, set()).add((finding.msgctxt, finding.msgid))
    assert labels and all(len(entries) == 1 for entries in labels.values()), labels
    recent = [label for label, entries in labels.items() if (None, RECENT_ID) in entries]
    assert recent == ['"In recent years, Armenia has attempted t…"']


# ------------------------------------------------ 4. entries of the template missing from a catalog


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "source", tmp_path / "source")
    (tmp_path / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(REPO / "locales" / f"{SLUG}.pot", tmp_path / "locales")
    shutil.copy(REPO / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po", tmp_path / "locales" / "ru" / "LC_MESSAGES")
    return tmp_path


def test_entries_of_the_template_missing_from_the_catalog_are_functional_findings(shipped):
    po_path = shipped / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"
    assert check_project(Project(shipped), locales=["ru"]) == []
    po = polib.pofile(str(po_path))
    pot = polib.pofile(str(shipped / "locales" / f"{SLUG}.pot"))
    dropped = [e for e in po if e.msgid][:3]
    for entry in dropped:
        po.remove(entry)
    po.save(str(po_path))
    found = check_project(Project(shipped), locales=["ru"])
    assert [(f.check, f.severity, f.msgctxt, f.msgid) for f in found] == [
        ("missing", FUNCTIONAL, e.msgctxt, e.msgid) for e in dropped]
    lines = {(e.msgctxt, e.msgid): e.linenum for e in pot}
    for finding in found:
        assert finding.path == f"locales/{SLUG}.pot"
        assert finding.line == lines[(finding.msgctxt, finding.msgid)]
        assert f"locales/ru/LC_MESSAGES/{SLUG}.po" in finding.message
        assert "newsloc extract" in finding.message
    result = CliRunner().invoke(cli, ["--project", str(shipped), "check", "--locale", "ru"])
    assert result.exit_code == 1
    assert "3 problems in 3 entries: 3 functional (check failed)" in result.output


def test_without_a_template_nothing_extra_is_said(shipped):
    (shipped / "locales" / f"{SLUG}.pot").unlink()
    po_path = shipped / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(po_path))
    po.remove([e for e in po if e.msgid][0])
    po.save(str(po_path))
    assert check_project(Project(shipped), locales=["ru"]) == []
