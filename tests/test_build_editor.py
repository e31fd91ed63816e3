"""What an editor meets when building part of a project, or a project set up oddly.

(QA findings: links to editions not rebuilt now, drafts that are not
published, repeated options, a locale that is the source language, output
folders that would land among the project's inputs.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsloc import pofile
from newsloc.bundle import Policy, build_project, translators
from newsloc.cli import cli
from newsloc.errors import BuildError
from newsloc.project import Project

from build_helpers import fill

DATA = Path(__file__).resolve().parent / "data" / "build"
BRIEF = "briefing"


def arabic() -> dict[str, str]:
    return {e.msgid: e.msgstr for e in pofile.load_po(DATA / "ar.po").po if e.msgid}


def invoke(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def test_unpublished_draft_with_markup_the_page_would_refuse_does_not_block(brief):
    translations = arabic()
    link = next(m for m in translations if "<a " in m)
    translations[link] = translations[link].replace("<a ", '<a onclick="x()" ', 1)
    fill(brief, BRIEF, "ar", translations, fuzzy={link})
    shown = build_project(brief, locales=["ar"], policy=Policy(allow_incomplete=True)).results[0]
    assert shown.built and shown.fallbacks == 1, shown.blockers
    page = (brief.root / "dist" / BRIEF / "ar" / "index.html").read_text("utf-8")
    assert "onclick" not in page
    # published as a draft, it is refused as any translation is, and so it is without a fallback
    drafts = build_project(brief, locales=["ar"], policy=Policy(allow_drafts=True)).results[0]
    assert not drafts.built and sorted(b.check for b in drafts.blockers) == ["markup", "unsafe-markup"]
    strict = build_project(brief, locales=["ar"]).results[0]
    assert sorted(b.check for b in strict.blockers) == ["markup", "unsafe-markup"]


def test_a_repeated_locale_or_article_is_taken_once(brief):
    once = invoke(brief.root, "check", "--locale", "ar")
    twice = invoke(brief.root, "check", "--locale", "ar", "--locale", "ar", "--article", BRIEF, "--article", BRIEF)
    assert (twice.exit_code, twice.output) == (once.exit_code, once.output)
    built = invoke(brief.root, "build", "--locale", "ar", "--locale", "ar", "--allow-incomplete", "--zip")
    assert built.exit_code == 0, built.output
    assert built.output.count("briefing ar: built") == 1
    assert Project(brief.root).select_articles([BRIEF, BRIEF]) == Project(brief.root).select_articles([BRIEF])


@pytest.mark.parametrize(("header", "expected"), [
    ("Anna Smirnova <anna@example.org>, 2025, 2026.\nIvan Petrov <ivan@example.org>, 2026.",
     ["Anna Smirnova <anna@example.org>", "Ivan Petrov <ivan@example.org>"]),
    ("Anna Smirnova <anna@example.org>, 2019-2021, 2024.", ["Anna Smirnova <anna@example.org>"]),
    ("Anna Smirnova <anna@example.org>, 2019 – 2021", ["Anna Smirnova <anna@example.org>"]),
    ("Russian translation of the briefing.\nThis file is distributed under the same licence.\n"
     "FIRST AUTHOR <EMAIL@ADDRESS>, 2026.", []),
])
def test_translators_are_the_credit_lines_without_their_years(header, expected):
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    po = pofile.parse_po(comment + 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', Path("x.po"))
    assert translators(po) == expected


def test_an_english_notice_on_a_right_to_left_page_runs_left_to_right(brief):
    fill(brief, BRIEF, "ar", dict(list(arabic().items())[:4]))
    assert build_project(brief, locales=["ar"], policy=Policy(allow_incomplete=True)).results[0].built
    page = (brief.root / "dist" / BRIEF / "ar" / "index.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert re.findall(r'<p class="notice notice-incomplete" role="note"([^>]*)>', page) == [' lang="en" dir="ltr"']


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """An English and a Russian article; locales ru and en_GB."""
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "story.txt").write_text("Talks resume\nThe talks resumed on Monday.\n", "utf-8")
    (tmp_path / "source" / "novosti.ru.txt").write_text(
        "Переговоры возобновились\nПереговоры возобновились в понедельник.\n", "utf-8")
    return tmp_path


def test_the_source_language_of_every_article_is_no_locale(mixed):
    (mixed / "source" / "novosti.ru.txt").unlink()
    refused = invoke(mixed, "add-locale", "en")
    assert refused.exit_code == 1
    assert refused.output == (
        "Error: en is the source language of every article: its edition is the source edition, built from the "
        "article itself (a regional variant, such as en_GB for en, can be added)\n")
    assert not (mixed / "locales" / "en").exists()
    assert invoke(mixed, "add-locale", "en_GB").exit_code == 0


def test_no_catalog_in_an_articles_own_language_and_one_made_by_hand_is_reported_unused(mixed):
    for code in ("ru", "en"):  # each is the other article's target
        assert invoke(mixed, "add-locale", code).exit_code == 0
    extracted = invoke(mixed, "extract")
    assert extracted.exit_code == 0, extracted.output
    catalogs = sorted(str(p.relative_to(mixed)) for p in (mixed / "locales").rglob("*.po"))
    assert catalogs == ["locales/en/LC_MESSAGES/novosti.po", "locales/ru/LC_MESSAGES/story.po"]
    checked = invoke(mixed, "check")  # no "no catalog" error for the articles' own languages
    assert "no catalog" not in checked.output and checked.exit_code == 1  # (untranslated)
    built = invoke(mixed, "build", "--allow-incomplete")
    assert built.exit_code == 0 and "warning" not in built.output, built.output

    shutil.copy(mixed / "locales" / "en" / "LC_MESSAGES" / "novosti.po", mixed / "locales" / "en" / "LC_MESSAGES" / "story.po")
    built = invoke(mixed, "build", "--allow-incomplete")
    assert built.exit_code == 0, built.output
    assert built.output.endswith(
        "warning: locales/en/LC_MESSAGES/story.po is not used: en is the source language of source/story.txt, "
        "whose en edition is the article itself\n")


@pytest.mark.parametrize(("out", "problem"), [
    (".", "the project folder itself"),
    ("locales", "inside locales/, where catalogs are read from"),
    ("locales/ar", "inside locales/, where catalogs are read from"),
    ("source", "inside source/, where articles are read from"),
    ("dist/../source/x", "inside source/, where articles are read from"),
])
@pytest.mark.parametrize("command", ["build", "run"])
def test_an_output_folder_among_the_projects_inputs_is_refused(brief, out, problem, command):
    before = {p: p.read_bytes() for p in brief.root.rglob("*") if p.is_file()}
    result = invoke(brief.root, command, "--out", out, "--allow-incomplete")
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: the output folder is {problem}; choose another --out, such as dist\n"
    assert {p: p.read_bytes() for p in brief.root.rglob("*") if p.is_file()} == before
    with pytest.raises(BuildError):
        build_project(brief, out=brief.root / out)


def test_an_output_folder_next_to_the_inputs_is_fine(brief):
    assert invoke(brief.root, "build", "--out", "source/../public", "--allow-incomplete").exit_code == 0
    assert (brief.root / "public" / BRIEF / "index.html").is_file()


def test_every_sentence_missing_from_the_catalog_is_listed(brief):
    path = brief.po_path(BRIEF, "ar")
    loaded = pofile.load_po(path)
    paragraph = [e for e in loaded.po if e.msgid][1:4]  # sentences of one paragraph share a line
    assert len({e.occurrences[0][1] for e in paragraph}) < len(paragraph)
    for entry in paragraph:
        loaded.po.remove(entry)
    pofile.save_po(loaded.po, path, loaded.stamp)
    result = build_project(brief, locales=["ar"]).results[0]
    missing = [b.msgid for b in result.blockers if b.check == "missing"]
    assert missing == [e.msgid for e in paragraph]


def _links(page: Path) -> tuple[list[str], list[str]]:
    html = page.read_text("utf-8")
    nav = html[html.index("<nav"):html.index("</nav>")]
    return (re.findall(r'<link rel="alternate" hreflang="([\w-]+)"', html), re.findall(r'hreflang="([\w-]+)"', nav))


def test_building_some_locales_keeps_the_links_to_the_editions_published_before(brief):
    fill(brief, BRIEF, "ar", arabic())
    assert build_project(brief, policy=Policy(allow_incomplete=True)).ok  # en, ar, ru
    full = {lang: _links(brief.root / "dist" / BRIEF / lang / "index.html") for lang in ("en", "ar", "ru")}
    assert full["en"] == (["ar", "ru", "x-default"], ["en", "ar", "ru"])

    assert build_project(brief, locales=["ru"], policy=Policy(allow_incomplete=True)).ok
    for lang in ("en", "ar", "ru"):  # rebuilt (en, ru) or not (ar): every page links every edition
        assert _links(brief.root / "dist" / BRIEF / lang / "index.html") == full[lang]
    index = (brief.root / "dist" / BRIEF / "index.html").read_text("utf-8")
    assert re.findall(r'data-locale="(\w+)"', index) == ["en", "ar", "ru"]

    # a locale that this build blocks drops out of the links, as out of the index
    fill(brief, BRIEF, "ru", {next(e.msgid for e in pofile.load_po(brief.po_path(BRIEF, "ru")).po if e.msgid): "x"},
         fuzzy={next(e.msgid for e in pofile.load_po(brief.po_path(BRIEF, "ru")).po if e.msgid)})
    assert not build_project(brief, locales=["ru"]).ok
    assert _links(brief.root / "dist" / BRIEF / "en" / "index.html") == (["ar", "x-default"], ["en", "ar"])


def test_an_html_lang_is_read_as_a_language_tag(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "storm.html").write_text(
        '<!DOCTYPE html>\n<html lang="en-US">\n<h1>Storm hits coast</h1>\n<p>Winds were strong.</p>\n', "utf-8")
    (tmp_path / "source" / "k.html").write_text('<html lang="klingon">\n<h1>K</h1>\n<p>Q.</p>\n', "utf-8")
    (tmp_path / "source" / "notes.old.txt").write_text("Head\nText.\n", "utf-8")
    (tmp_path / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    extracted = invoke(tmp_path, "extract")
    assert extracted.exit_code == 0
    assert 'source/k.html:1: warning: ignored <html lang="klingon">: not a language Babel knows (read as en)' in extracted.output
    built = invoke(tmp_path, "build", "--allow-incomplete")
    assert built.exit_code == 0, built.output
    assert "storm en_US: source: dist/storm/en_US/index.html" in built.output
    assert "k en: source: dist/k/en/index.html" in built.output
    assert "notes.old en: source: dist/notes.old/en/index.html" in built.output  # .old: no language
    assert '<html lang="en-US" dir="ltr">' in (tmp_path / "dist" / "storm" / "en_US" / "index.html").read_text("utf-8")


def test_source_lang_given_to_extract_holds_for_later_extracts_and_the_build(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.txt").write_text("Заголовок статьи\nТекст статьи.\n", "utf-8")
    for code in ("en", "de"):
        (tmp_path / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    refused = invoke(tmp_path, "extract", "--source-lang", "zz")
    assert (refused.exit_code, refused.output) == (1, "Error: unknown locale code 'zz' (Babel does not know it)\n")
    assert invoke(tmp_path, "extract", "--source-lang", "ru").exit_code == 0
    assert invoke(tmp_path, "extract").exit_code == 0  # without the option: still Russian
    template = pofile.load_po(tmp_path / "locales" / "a.pot").po
    assert template.metadata["X-Source-Language"] == "ru"
    fill_path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "a.po"
    loaded = pofile.load_po(fill_path)
    for entry, text in zip([e for e in loaded.po if e.msgid], ["Article headline", "Article text."]):
        entry.msgstr = text
    pofile.save_po(loaded.po, fill_path, loaded.stamp)
    built = invoke(tmp_path, "build", "--locale", "en")
    assert built.exit_code == 0, built.output
    assert built.output.splitlines()[:2] == ["a ru: source: dist/a/ru/index.html", "a en: built: dist/a/en/index.html"]
    assert '<html lang="ru" dir="ltr">' in (tmp_path / "dist" / "a" / "ru" / "index.html").read_text("utf-8")


def test_a_blocker_labels_its_entry_as_check_does():
    from newsloc.bundle import Blocker
    from newsloc.check import Finding

    msgid = '<a href="https://www.europeancorrespondent.com/r/x">In recent years</a>, Armenia has attempted to'
    blocker = Blocker("locales/hy/LC_MESSAGES/a.po", 163, "untranslated", "not translated", msgid)
    assert str(blocker) == ('locales/hy/LC_MESSAGES/a.po:163: untranslated: not translated '
                            '[entry "In recent years, Armenia has attempted t…"]')
    finding = Finding("locales/hy/LC_MESSAGES/a.po", 163, msgid, "untranslated", "functional", "not translated")
    assert str(finding).endswith('[entry "In recent years, Armenia has attempted t…"]')


def test_adding_a_locale_that_is_there_already_says_so(brief):
    assert invoke(brief.root, "add-locale", "ru").output == "locale ru is there already (locales/ru/LC_MESSAGES)\n"
    assert invoke(brief.root, "add-locale", "de").output == (
        "added locale de (locales/de/LC_MESSAGES); run `newsloc extract` to create its catalogs\n")


@pytest.mark.parametrize("command", ["extract", "status", "check", "build", "run", "translate"])
def test_a_folder_without_source_is_no_project(tmp_path, command):
    result = invoke(tmp_path, command)
    assert (result.exit_code, result.output) == (
        1, f"Error: {tmp_path}: not a newsloc project: it has no source/ folder of articles\n")
    assert list(tmp_path.iterdir()) == []  # (run made dist/ there)


@pytest.mark.parametrize(("names", "message"), [
    (["a.txt", "a.html"], "source/a.html and source/a.txt are both the article 'a': rename or remove one"),
    (["a.htm", "a.txt"], "source/a.htm and source/a.txt are both the article 'a': rename or remove one"),
    (["with space.txt"], "source/with space.txt: the file name gives the article the name 'with space'"),
    (["Кириллица.txt"], "source/Кириллица.txt: the file name gives the article the name 'Кириллица'"),
    (["-x.txt"], "source/-x.txt: the file name gives the article the name '-x'"),
])
@pytest.mark.parametrize("command", ["extract", "status", "build"])
def test_article_file_names_that_give_no_usable_name_stop_every_command(tmp_path, names, message, command):
    (tmp_path / "source").mkdir()
    (tmp_path / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    for name in names:
        (tmp_path / "source" / name).write_text("Headline\nText.\n", "utf-8")
    result = invoke(tmp_path, command)
    assert result.exit_code == 1 and result.output.startswith(f"Error: {message}"), result.output
    assert not any((tmp_path / "locales").rglob("*.po*")) and not (tmp_path / "dist").exists()


def test_extract_says_when_translations_are_in_the_source_language_now(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.txt").write_text("Headline\nText.\n", "utf-8")
    (tmp_path / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    assert invoke(tmp_path, "extract").exit_code == 0
    path = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "a.po"
    loaded = pofile.load_po(path)
    for entry in loaded.po:
        if entry.msgid:
            entry.msgstr = "Перевод"
    pofile.save_po(loaded.po, path, loaded.stamp)
    result = invoke(tmp_path, "extract", "--source-lang", "ru")  # a mistake: the article is English
    assert result.exit_code == 0
    line = next(e.linenum for e in pofile.load_po(path).po if e.msgid)
    assert (f"locales/ru/LC_MESSAGES/a.po:{line}: warning: 2 translation(s) here are not used: ru is the "
            "source language of source/a.txt, whose ru edition is the article itself") in result.output
    assert all(e.msgstr == "Перевод" for e in pofile.load_po(path).po if e.msgid)  # nothing lost


def test_output_that_cannot_be_written_is_an_error_not_a_traceback(brief):
    start = "import sys; sys.argv[0] = 'newsloc'; from newsloc.cli import main; main()"
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-c", start, "--help"], stdout=full,
                                stderr=subprocess.PIPE, text=True)
    assert (result.returncode, result.stderr) == (1, "Error: cannot write the output: No space left on device\n")
    closed = "import os, sys; os.close(1); sys.stdout = None; " + start  # (as Python starts with >&-)
    result = subprocess.run([sys.executable, "-c", closed, "--project", str(brief.root), "status"],
                            stderr=subprocess.PIPE, text=True)
    assert (result.returncode, result.stderr) == (1, "Error: standard output is closed\n")


def test_a_file_in_the_way_of_a_new_locale_is_named(brief):
    (brief.root / "locales" / "es").mkdir()
    (brief.root / "locales" / "es" / "LC_MESSAGES").write_text("", "utf-8")
    result = invoke(brief.root, "add-locale", "es")
    assert (result.exit_code, result.output) == (1, "Error: locales/es/LC_MESSAGES: a file is in the way of the "
                                                    "locale's folder locales/es/LC_MESSAGES: move it away\n")


def test_status_names_the_catalogs_not_extracted_yet(mixed):
    for code in ("ru", "en"):
        assert invoke(mixed, "add-locale", code).exit_code == 0
    assert invoke(mixed, "extract").exit_code == 0
    (mixed / "source" / "fresh.txt").write_text("New story\nA new sentence.\n", "utf-8")
    result = CliRunner().invoke(cli, ["--project", str(mixed), "status"])
    assert result.exit_code == 0
    # (en is fresh.txt's own language: no catalog is made for it)
    assert result.stderr == "fresh ru: no catalog yet; run `newsloc extract`\n"
    assert "fresh" not in result.stdout


def test_a_folder_where_a_template_goes_is_named_as_such(brief):
    (brief.root / "locales" / "briefing.pot").unlink()
    (brief.root / "locales" / "briefing.pot").mkdir()
    result = invoke(brief.root, "status")
    assert (result.exit_code, result.output) == (
        1, "Error: locales/briefing.pot: a folder where the template of an article goes: remove it\n")
