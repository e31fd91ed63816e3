"""newsloc extract / add-locale / status, checked with the real gettext tools."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsloc import catalog, pofile
from newsloc.cli import cli
from newsloc.errors import ConcurrentEditError
from newsloc.project import Project

from cli_helpers import run

SLUG = "the-friend-of-my-enemy"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def catalogs(project_dir: Path) -> list[Path]:
    return [project_dir / "locales" / f"{SLUG}.pot"] + [
        project_dir / "locales" / code / "LC_MESSAGES" / f"{SLUG}.po" for code in ("hy", "ru")
    ]


def test_extract_writes_template_and_catalogs(project_dir):
    result = run(project_dir, "extract")
    assert result.stdout == (
        "wrote locales/the-friend-of-my-enemy.pot\n"
        "wrote locales/hy/LC_MESSAGES/the-friend-of-my-enemy.po\n"
        "wrote locales/ru/LC_MESSAGES/the-friend-of-my-enemy.po\n"
    )
    assert ('source/the-friend-of-my-enemy.txt:6: warning: closed <a href="…french-radars-to-protect-armenian-skies"> '
            "left open, at the end of its paragraph") in result.stderr
    po = polib.pofile(str(catalogs(project_dir)[2]))
    assert len(po) == 17
    headline = po[0]
    assert headline.msgid == "The friend of my enemy is my ally"
    assert headline.comment == "Headline of the article"
    assert headline.occurrences == [("source/the-friend-of-my-enemy.txt", "1")]
    assert po.metadata["Language"] == "ru"
    assert po.metadata["X-Source-Language"] == "en"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    for key in ("Project-Id-Version", "POT-Creation-Date", "PO-Revision-Date", "Last-Translator",
                "Language-Team", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"):
        assert key in po.metadata
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_generated_files_pass_msgfmt_check_and_msgcat_identity(project_dir):
    run(project_dir, "extract")
    for path in catalogs(project_dir):
        check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert check.returncode == 0 and check.stderr == "", check.stderr
        cat = subprocess.run(["msgcat", str(path)], capture_output=True)
        assert cat.returncode == 0
        assert cat.stdout == path.read_bytes(), f"{path} changes under msgcat"


def test_second_extract_changes_nothing(project_dir):
    run(project_dir, "extract")
    before = snapshot(project_dir / "locales")
    result = run(project_dir, "extract")
    assert result.stdout == "3 file(s) unchanged\n"
    assert snapshot(project_dir / "locales") == before


def test_duplicate_sentence_is_one_entry_with_two_references(project_dir):
    (project_dir / "source" / "dup.txt").write_text(
        "Headline\nThe talks failed. Nobody came.\nNew paragraph here. The talks failed.\n", encoding="utf-8"
    )
    run(project_dir, "extract", "--article", "dup")
    pot = polib.pofile(str(project_dir / "locales" / "dup.pot"))
    entry = pot.find("The talks failed.")
    assert entry.occurrences == [("source/dup.txt", "2"), ("source/dup.txt", "3")]
    assert [e.msgid for e in pot] == ["Headline", "The talks failed.", "Nobody came.", "New paragraph here."]


def test_headline_repeated_in_body_gets_a_context(project_dir):
    (project_dir / "source" / "h.txt").write_text("Talks failed\nTalks failed\n", encoding="utf-8")
    run(project_dir, "extract", "--article", "h")
    pot = polib.pofile(str(project_dir / "locales" / "h.pot"))
    assert [(e.msgctxt, e.msgid) for e in pot] == [("headline", "Talks failed"), (None, "Talks failed")]


# -- updates never lose work -----------------------------------------------------
def translate_as_a_translator(path: Path, translations: dict[str, str], comment: str | None = None) -> None:
    loaded = pofile.load_po(path)
    for entry in loaded.po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if comment:
                entry.tcomment = comment
    pofile.save_po(loaded.po, path, loaded.stamp)


def test_update_scenario_keeps_every_translation(project_dir):
    source = project_dir / "source" / f"{SLUG}.txt"
    run(project_dir, "extract")
    ru = catalogs(project_dir)[2]
    originals = [e.msgid for e in polib.pofile(str(ru))]
    human = {msgid: f"ПЕРЕВОД {i}" for i, msgid in enumerate(originals)}
    translate_as_a_translator(ru, human, comment="checked by Anna")
    lines = source.read_text(encoding="utf-8").split("\n")
    headline, paragraphs = lines[0], lines[1:]
    # edit a sentence, insert a paragraph, delete a paragraph, move a paragraph
    paragraphs[0] = paragraphs[0].replace("most likely Russia.", "most likely Russia, analysts say.")
    deleted = paragraphs.pop(2)  # the "Recent warm-hearted photos" paragraph
    paragraphs.insert(0, "A brand new opening paragraph. It has two sentences.")
    paragraphs.append(paragraphs.pop(1))  # move the first original paragraph to the end
    source.write_text("\n".join([headline, *paragraphs]), encoding="utf-8")

    run(project_dir, "extract")
    po = polib.pofile(str(ru))
    active = {e.msgid: e for e in po if not e.obsolete}
    obsolete = {e.msgid: e for e in po if e.obsolete}
    # Unchanged sentences (including the moved paragraph) keep translation and comment.
    kept = [m for m in originals if m in active]
    assert len(kept) == len(originals) - 4
    for msgid in kept:
        assert active[msgid].msgstr == human[msgid]
        assert active[msgid].tcomment == "checked by Anna"
        assert "fuzzy" not in active[msgid].flags
    # The edited sentence gets the old translation, fuzzy, with the old source.
    edited = active["The second country that Pashinyan referred to is most likely Russia, analysts say."]
    assert edited.msgstr == human["The second country that Pashinyan referred to is most likely Russia."]
    assert "fuzzy" in edited.flags
    assert edited.previous_msgid == "The second country that Pashinyan referred to is most likely Russia."
    # Removed sentences are obsolete, not deleted.
    assert sorted(obsolete) == sorted(m for m in originals if m not in active and m != edited.previous_msgid)
    assert len(obsolete) == 3 and all(obsolete[m].msgstr == human[m] for m in obsolete)
    assert any(m.startswith("Recent warm-hearted") for m in obsolete) and deleted.startswith("Recent")
    # New sentences are empty.
    assert active["A brand new opening paragraph."].msgstr == ""
    # Nothing a translator wrote is lost.
    assert {e.msgstr for e in po if e.msgstr} == set(human.values())
    # And the file is still what gettext writes.
    assert subprocess.run(["msgcat", str(ru)], capture_output=True).stdout == ru.read_bytes()
    # Putting the article back revives the obsolete translations.
    source.write_text("\n".join([headline, *lines[1:]]), encoding="utf-8")
    run(project_dir, "extract")
    restored = {e.msgid: e.msgstr for e in polib.pofile(str(ru)) if not e.obsolete}
    assert all(restored[m] == human[m] for m in originals)


def test_catalog_changed_on_disk_meanwhile_is_not_clobbered(project_dir, monkeypatch):
    run(project_dir, "extract")
    (project_dir / "source" / f"{SLUG}.txt").open("a", encoding="utf-8").write("\nA new closing line.")
    ru = catalogs(project_dir)[2]
    real_update = catalog.update_catalog

    def translator_saves_meanwhile(template, old, locale, glossary=None, now=None):
        if locale == "ru":  # Poedit saves between our read and our write
            ru.write_bytes(ru.read_bytes().replace(b'msgstr ""\n\n#: source', b'msgstr "Poedit"\n\n#: source', 1))
        return real_update(template, old, locale, glossary, now)

    monkeypatch.setattr(catalog, "update_catalog", translator_saves_meanwhile)
    saved = ru.read_bytes().replace(b'msgstr ""\n\n#: source', b'msgstr "Poedit"\n\n#: source', 1)
    result = run(project_dir, "extract", ok=False)
    assert result.exit_code == 1
    assert "locales/ru/LC_MESSAGES/the-friend-of-my-enemy.po: changed on disk since it was read" in result.stderr
    assert ru.read_bytes() == saved  # the translator's save survives
    assert "A new closing line." in catalogs(project_dir)[1].read_text(encoding="utf-8")  # others written


def test_save_po_is_atomic_and_guarded(tmp_path):
    path = tmp_path / "x.po"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="b"))
    assert pofile.save_po(po, path, pofile.MISSING) is True
    stamp = pofile.load_po(path).stamp
    assert pofile.save_po(po, path, stamp) is False  # nothing changed: not rewritten
    path.write_text(path.read_text() + "\n", encoding="utf-8")
    with pytest.raises(ConcurrentEditError):
        pofile.save_po(po, path, stamp)
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]  # no temp file left behind


# -- idempotence as a property ------------------------------------------------------
SENTENCE = st.lists(
    st.sampled_from(["Armenia", "said", "the", "CSTO", "Mr.", "7.1%", "war", "”quoted”", "<em>now</em>",
                     "Пашинян", "&amp;", "very-long-hyphenated-word-that-wraps-across-the-line", "\\"]),
    min_size=1, max_size=25,
).map(lambda words: " ".join(words) + ".")
ARTICLE = st.tuples(
    st.lists(SENTENCE, min_size=1, max_size=2),
    st.lists(st.lists(SENTENCE, min_size=1, max_size=4), min_size=1, max_size=5),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ARTICLE)
def test_extraction_is_idempotent(project_dir, article):
    headline, paragraphs = article
    path = project_dir / "source" / "prop.txt"
    path.write_text(" ".join(headline) + "\n" + "\n".join(" ".join(p) for p in paragraphs), encoding="utf-8")
    project = Project(project_dir)
    catalog.extract(project, ["prop"])
    before = snapshot(project_dir / "locales")
    report = catalog.extract(project, ["prop"])
    assert report.written == []
    assert snapshot(project_dir / "locales") == before
    for name in ("prop.pot", "ru/LC_MESSAGES/prop.po"):
        target = project_dir / "locales" / name
        assert subprocess.run(["msgcat", str(target)], capture_output=True).stdout == target.read_bytes()


# -- bad input ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, data, message",
    [
        ("latin1.txt", "Headline\nCaf\u00e9 society.\n".encode("latin-1"),
         "source/latin1.txt:2: not valid UTF-8: byte 0xe9 at byte offset 12; save the file as UTF-8"),
        ("empty.txt", b"  \n\n", "source/empty.txt: the article is empty"),
        ("blob.txt", b"PK\x03\x04\x00\x00binary", "source/blob.txt:1: this is a binary file, not an article (it contains NUL bytes)"),
        ("late.txt", b"Headline\nText.\n\x00\n", "source/late.txt:3: this is a binary file, not an article (it contains NUL bytes)"),
        ("word.txt", "Headline\nText.\n".encode("utf-16"),
         "source/word.txt:1: the article is in UTF-16 (Word's \"Unicode\" text): save it as UTF-8"),
        ("notes.docx", b"Headline\nText.\n", "source/notes.docx: unknown article type '.docx'; use one of .txt, .html, .htm"),
        ("noheadline.txt", b"\nText.\n", "source/noheadline.txt:1: the first line (the headline) is empty"),
        ("nohead.html", b"<p>Only a paragraph.</p>", "source/nohead.html: no <h1> headline found"),
    ],
)
def test_unusable_article_is_an_error_and_nothing_is_written(project_dir, name, data, message):
    (project_dir / "source" / name).write_bytes(data)
    result = run(project_dir, "extract", ok=False)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert not any(p.is_file() for p in (project_dir / "locales").rglob("*"))


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr "d"\n', 4, "cannot parse catalog"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "duplicate entry 'a' (first defined at line 1)"),
    ],
)
def test_broken_catalog_is_reported_and_left_untouched(project_dir, text, line, message):
    run(project_dir, "extract")
    ru = catalogs(project_dir)[2]
    ru.write_text(text, encoding="utf-8")
    result = run(project_dir, "extract", ok=False)
    assert result.exit_code == 1
    assert f"Error: locales/ru/LC_MESSAGES/the-friend-of-my-enemy.po:{line}: " in result.stderr
    assert message in result.stderr
    assert ru.read_text(encoding="utf-8") == text


# -- add-locale and status -------------------------------------------------------------
def test_add_locale_creates_the_gettext_folder(project_dir):
    result = run(project_dir, "add-locale", "de")
    assert result.stdout == "added locale de (locales/de/LC_MESSAGES); run `newsloc extract` to create its catalogs\n"
    run(project_dir, "extract")
    assert (project_dir / "locales" / "de" / "LC_MESSAGES" / f"{SLUG}.po").exists()


@pytest.mark.parametrize(
    "code, message",
    [
        ("xx", "unknown locale code 'xx' (Babel does not know it)"),
        ("en_US./../x", "invalid locale code 'en_US./../x'"),
        ("../ru", "invalid locale code '../ru'"),
        ("", "empty locale code"),
    ],
)
def test_add_locale_rejects_bad_codes(project_dir, code, message):
    result = run(project_dir, "add-locale", code, ok=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert sorted(p.name for p in (project_dir / "locales").iterdir()) == ["hy", "ru"]


def test_status_table_and_json(project_dir):
    run(project_dir, "extract")
    ru = catalogs(project_dir)[2]
    po = polib.pofile(str(ru))
    translate_as_a_translator(ru, {po[0].msgid: "Друг моего врага — мой союзник"})
    loaded = pofile.load_po(ru)
    loaded.po[1].msgstr = "черновик"
    loaded.po[1].flags.append("fuzzy")
    pofile.save_po(loaded.po, ru, loaded.stamp)
    result = run(project_dir, "status")
    assert result.stdout == (
        "article                 locale  entries  words  translated  fuzzy  (mt)  untranslated  done\n"
        "the-friend-of-my-enemy  hy           17    404           0      0     0            17  0.0%\n"
        "the-friend-of-my-enemy  ru           17    404           1      1     0            15  5.9%\n"
    )
    data = json.loads(run(project_dir, "status", "--locale", "ru", "--json").stdout)
    assert data == [{
        "article": SLUG, "locale": "ru", "entries": 17, "source_words": 404, "translated": 1,
        "fuzzy": 1, "machine_drafts": 0, "untranslated": 15, "missing": 0, "percent_translated": 5.9,
    }]


def test_help_of_every_command_has_an_example():
    runner = CliRunner()
    commands = [([name], command) for name, command in cli.commands.items()]
    while commands:
        words, command = commands.pop()
        text = runner.invoke(cli, [*words, "--help"]).output
        assert text.startswith("Usage: "), words
        subcommands = getattr(command, "commands", None)
        if subcommands:  # a group: each of its commands has its own example
            commands.extend(([*words, name], sub) for name, sub in subcommands.items())
        else:
            assert "Example" in text, words
