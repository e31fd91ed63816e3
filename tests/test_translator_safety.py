"""What a translator wrote survives every command: plural entries, linked catalogs,
catalogs being saved (empty), inconsistent ``#~``, unreadable catalogs, stale catalogs.

Each test reproduces a defect QA found (the comment says which) and checks the
files newsloc writes with GNU msgfmt -c and msgcat where it writes any.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polib
import pytest

from newsloc import catalog, pofile
from newsloc.errors import CatalogError
from newsloc.project import Project

from cli_helpers import run

SLUG = "the-friend-of-my-enemy"
HEADLINE = "The friend of my enemy is my ally"
SENTENCE = "The second country that Pashinyan referred to is most likely Russia."


def ru_path(project_dir: Path) -> Path:
    return project_dir / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"


def gettext_accepts(path: Path) -> None:
    """msgfmt -c accepts the file and msgcat writes it back byte for byte."""
    checked = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert subprocess.run(["msgcat", str(path)], capture_output=True).stdout == path.read_bytes()


def gettext_rejects(path: Path, message: str) -> None:
    checked = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert checked.returncode != 0 and message in checked.stderr, checked.stderr


# -- 1. plural entries -------------------------------------------------------------------
PLURALS = """
#~ msgid "one file"
#~ msgid_plural "%d files"
#~ msgstr[0] "один файл"
#~ msgstr[1] "два файла"
#~ msgstr[2] "много файлов"

#: notes.txt:1
msgid "one item"
msgid_plural "%d items"
msgstr[0] "один"
msgstr[1] "два"
msgstr[2] "много"
"""


def test_extract_keeps_plural_entries_active_and_obsolete(project_dir):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    with ru.open("a", encoding="utf-8") as handle:
        handle.write(PLURALS)
    gettext_accepts_input = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(ru)], capture_output=True)
    assert gettext_accepts_input.returncode == 0
    run(project_dir, "extract")
    po = polib.pofile(str(ru))
    plural = {e.msgid: e for e in po if e.msgid_plural}
    assert set(plural) == {"one file", "one item"}
    assert all(e.obsolete for e in plural.values())  # not in the source: obsolete, as singular entries
    assert plural["one file"].msgid_plural == "%d files"
    assert plural["one file"].msgstr_plural == {0: "один файл", 1: "два файла", 2: "много файлов"}
    assert plural["one item"].msgid_plural == "%d items"
    assert plural["one item"].msgstr_plural == {0: "один", 1: "два", 2: "много"}
    gettext_accepts(ru)
    # A second run changes nothing.
    before = ru.read_bytes()
    run(project_dir, "extract")
    assert ru.read_bytes() == before


def test_a_plural_translation_of_a_singular_entry_is_kept(project_dir):
    """The headline given msgid_plural/msgstr[N] by a translator keeps msgstr[0] as its
    (fuzzy) translation, as msgmerge does, and its other forms in a translator comment."""
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    text = ru.read_text(encoding="utf-8")
    old = f'msgid "{HEADLINE}"\nmsgstr ""\n'
    assert old in text
    ru.write_text(text.replace(old, f'msgid "{HEADLINE}"\nmsgid_plural "Friends of my enemies"\n'
                                    'msgstr[0] "Друг моего врага"\nmsgstr[1] "Друзья моих врагов"\n'
                                    'msgstr[2] ""\n'), encoding="utf-8")
    run(project_dir, "extract")
    po = polib.pofile(str(ru))
    headline = po.find(HEADLINE)
    assert headline is not None and not headline.obsolete and not headline.msgid_plural
    assert headline.msgstr == "Друг моего врага"
    assert "fuzzy" in headline.flags
    assert (headline.previous_msgid, headline.previous_msgid_plural) == (HEADLINE, "Friends of my enemies")
    assert "Друзья моих врагов" in headline.tcomment
    gettext_accepts(ru)
    before = ru.read_bytes()
    run(project_dir, "extract")
    assert ru.read_bytes() == before


@pytest.mark.parametrize(
    "forms, line, message",
    [
        ('msgstr[0] "a"\nmsgstr[12] "b"\n', 4, "msgstr[12]: plural form has wrong index"),
        ('msgstr[1] "a"\nmsgstr[0] "b"\n', 3, "first plural form has nonzero index"),
        ('msgstr[0] "a"\nmsgstr[2] "b"\n', 4, "msgstr[2]: plural form has wrong index"),
    ],
)
def test_plural_index_gettext_rejects_is_an_error(tmp_path, forms, line, message):
    path = tmp_path / "x.po"
    path.write_text(f'msgid "one"\nmsgid_plural "many"\n{forms}', encoding="utf-8")
    gettext_rejects(path, "plural form has")
    with pytest.raises(CatalogError) as caught:
        pofile.load_po(path)
    assert (caught.value.line, caught.value.path) == (line, path)
    assert message in caught.value.message


def test_plural_index_beyond_nplurals_is_an_error_at_its_line(project_dir):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    text = ru.read_text(encoding="utf-8")
    ru.write_text(text + '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n'
                  'msgstr[3] "d"\n', encoding="utf-8")
    gettext_rejects(ru, "plural forms")
    before = ru.read_bytes()
    result = run(project_dir, "extract", ok=False)
    assert result.exit_code == 1
    line = text.count("\n") + 7  # the blank line, msgid, msgid_plural, msgstr[0..3]
    assert f"locales/ru/LC_MESSAGES/{SLUG}.po:{line}: " in result.stderr
    assert "msgstr[3]" in result.stderr and "nplurals=3" in result.stderr
    assert ru.read_bytes() == before


# -- 4. inconsistent use of #~ ----------------------------------------------------------
def test_obsolete_msgid_with_an_active_msgstr_is_an_error_for_every_command(project_dir):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    text = ru.read_text(encoding="utf-8")
    ru.write_text(text.replace(f'\nmsgid "{SENTENCE}"', f'\n#~ msgid "{SENTENCE}"'), encoding="utf-8")
    line = ru.read_text(encoding="utf-8").splitlines().index(f'#~ msgid "{SENTENCE}"') + 2  # its msgstr
    gettext_rejects(ru, "inconsistent use of #~")
    before = ru.read_bytes()
    for command in (["check", "--locale", "ru"], ["extract"], ["status"]):
        result = run(project_dir, *command, ok=False)
        assert result.exit_code == 1, command
        assert f"locales/ru/LC_MESSAGES/{SLUG}.po:{line}: cannot parse catalog: inconsistent use of #~" \
            in result.stderr, command
    assert ru.read_bytes() == before


# -- 5. a catalog that cannot be read ----------------------------------------------------
def test_reading_a_folder_is_a_catalog_error_naming_it(project_dir):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    ru.unlink()
    ru.mkdir()
    with pytest.raises(CatalogError) as caught:
        pofile.load_po(ru)
    assert caught.value.path == ru and "Is a directory" in caught.value.message
    for command in (["check", "--locale", "ru"], ["status", "--locale", "ru"], ["extract", "--locale", "ru"]):
        result = run(project_dir, *command, ok=False)
        assert result.exit_code == 1, command
        assert f"locales/ru/LC_MESSAGES/{SLUG}.po: cannot read: Is a directory" in result.stderr, command
    with pytest.raises(FileNotFoundError):  # a missing file is not an unreadable one: a new catalog
        pofile.load_po(project_dir / "nothing.po")


# -- 3. an existing empty catalog (an editor saving it) -----------------------------------
@pytest.mark.parametrize("content", [b"", b"\n  \n", b"# Russian translation\n#\n"], ids=["0 bytes", "blank", "comments"])
def test_an_existing_empty_catalog_is_an_error_and_is_not_replaced(project_dir, content):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    ru.write_bytes(content)
    with pytest.raises(CatalogError) as caught:
        pofile.load_po(ru)
    assert caught.value.path == ru and "the catalog is empty" in caught.value.message
    message = f"locales/ru/LC_MESSAGES/{SLUG}.po: the catalog is empty"
    for command in (["extract"], ["status", "--locale", "ru"], ["check", "--locale", "ru"]):
        result = run(project_dir, *command, ok=False)
        assert result.exit_code == 1, command
        assert message in result.stderr and "delete it to start it afresh" in result.stderr, command
        assert ru.read_bytes() == content  # the save in progress is not overwritten
    built = run(project_dir, "build", "--locale", "ru", "--allow-incomplete", ok=False)
    assert built.exit_code == 1
    assert f"locales/ru/LC_MESSAGES/{SLUG}.po: catalog: the catalog is empty" in built.output
    assert ru.read_bytes() == content
    # Deleted, it is a new catalog again.
    ru.unlink()
    run(project_dir, "extract")
    assert polib.pofile(str(ru)).find(SENTENCE) is not None


# -- 2. a catalog that is a symbolic link --------------------------------------------------
def edit_the_source(project_dir: Path) -> None:
    source = project_dir / "source" / f"{SLUG}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("is most likely Russia", "is most probably Russia"),
                      encoding="utf-8")


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_a_linked_catalog_is_written_through_the_link(project_dir, tmp_path, relative):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "x-ru.po"
    os.replace(ru, target)
    target.chmod(0o664)
    ru.symlink_to(os.path.relpath(target, ru.parent) if relative else target)
    edit_the_source(project_dir)
    run(project_dir, "extract")
    assert ru.is_symlink() and ru.resolve() == target  # the link stays
    assert "is most probably Russia" in target.read_text(encoding="utf-8")  # the shared file is updated
    assert target.stat().st_mode & 0o777 == 0o664
    assert sorted(p.name for p in shared.iterdir()) == ["x-ru.po"]  # no temporary file left
    assert sorted(p.name for p in ru.parent.iterdir()) == [ru.name]
    gettext_accepts(target)


def test_a_linked_catalog_saved_meanwhile_is_not_clobbered(project_dir, tmp_path, monkeypatch):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    target = tmp_path / "x-ru.po"
    os.replace(ru, target)
    ru.symlink_to(target)
    edit_the_source(project_dir)
    real_update = catalog.update_catalog
    saved = target.read_bytes().replace(b'msgstr ""\n\n#: source', b'msgstr "Poedit"\n\n#: source', 1)

    def translator_saves_meanwhile(template, old, locale, glossary=None, now=None):
        if locale == "ru":  # Poedit saves the shared file between our read and our write
            target.write_bytes(saved)
        return real_update(template, old, locale, glossary, now)

    monkeypatch.setattr(catalog, "update_catalog", translator_saves_meanwhile)
    result = run(project_dir, "extract", ok=False)
    assert result.exit_code == 1
    assert f"locales/ru/LC_MESSAGES/{SLUG}.po: changed on disk since it was read" in result.stderr
    assert target.read_bytes() == saved and ru.is_symlink()


def test_commit_checks_the_link_target_right_before_the_rename(tmp_path):
    target = tmp_path / "target.po"
    link = tmp_path / "link.po"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="b"))
    pofile.save_po(po, target, pofile.MISSING)
    link.symlink_to(target)
    loaded = pofile.load_po(link)
    loaded.po[0].msgstr = "c"
    staged = pofile.stage_po(loaded.po, link, loaded.stamp)
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # saved meanwhile
    with pytest.raises(pofile.ConcurrentEditError):
        pofile.commit_staged(staged)
    assert link.is_symlink() and 'msgstr "b"' in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.po", "target.po"]


def test_a_dangling_link_is_a_new_catalog_written_at_its_target(tmp_path):
    target = tmp_path / "elsewhere" / "x.po"
    target.parent.mkdir()
    link = tmp_path / "link.po"
    link.symlink_to(target)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    assert pofile.save_po(po, link, pofile.MISSING) is True
    assert link.is_symlink() and target.is_file()


# -- 6. status counts against the template ------------------------------------------------
def test_status_counts_a_stale_catalog_against_the_template(project_dir):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    loaded = pofile.load_po(ru)
    for number, entry in enumerate(loaded.po):
        entry.msgstr = f"перевод {number}"
    # The headline and the four sentences of the first paragraph are deleted from the catalog.
    for entry in [e for e in loaded.po if e.occurrences[0][1] in ("1", "2")]:
        loaded.po.remove(entry)
    pofile.save_po(loaded.po, ru, loaded.stamp)
    template = polib.pofile(str(project_dir / "locales" / f"{SLUG}.pot"))
    missing = [e for e in template if e.occurrences[0][1] in ("1", "2")]
    assert (len(template), len(loaded.po), len(missing)) == (17, 12, 5)
    rows = {row.locale: row for row in catalog.status(Project(project_dir))}
    row = rows["ru"]
    assert (row.entries, row.translated, row.fuzzy, row.untranslated, row.missing) == (17, 12, 0, 5, 5)
    assert row.words == sum(catalog.word_count(e.msgid) for e in template)
    assert row.percent == round(100 * 12 / 17, 1)
    assert (rows["hy"].entries, rows["hy"].missing, rows["hy"].untranslated) == (17, 0, 17)
    result = run(project_dir, "status", "--locale", "ru")
    assert result.stdout.splitlines()[1].split() == [SLUG, "ru", "17", str(row.words), "12", "0", "0", "5", "70.6%"]
    assert (f"{SLUG} ru: 5 entries of the template are missing from the catalog (counted as untranslated); "
            "run `newsloc extract`") in result.stderr
    data = json.loads(run(project_dir, "status", "--locale", "ru", "--json").stdout)
    assert data == [{"article": SLUG, "locale": "ru", "entries": 17, "source_words": row.words, "translated": 12,
                     "fuzzy": 0, "machine_drafts": 0, "untranslated": 5, "missing": 5, "percent_translated": 70.6}]
    # extract brings them back; then the catalog is complete.
    run(project_dir, "extract")
    row = {row.locale: row for row in catalog.status(Project(project_dir))}["ru"]
    assert (row.entries, row.translated, row.untranslated, row.missing) == (17, 12, 5, 0)


def test_status_without_a_template_counts_the_catalog(project_dir):
    run(project_dir, "extract")
    (project_dir / "locales" / f"{SLUG}.pot").unlink()
    row = {row.locale: row for row in catalog.status(Project(project_dir))}["ru"]
    assert (row.entries, row.untranslated, row.missing) == (17, 17, 0)


# -- a shared catalog keeps its group -------------------------------------------------------
def _other_group() -> int:
    if os.geteuid() == 0:
        return next(g for g in (1, 2, 3) if g != os.getegid())
    return next(g for g in os.getgroups() if g != os.getegid())  # (a member's other group)


def test_a_rewritten_catalog_keeps_its_group_and_mode(project_dir):
    run(project_dir, "extract")
    path = ru_path(project_dir)
    group = _other_group()
    os.chown(path, -1, group)
    os.chmod(path, 0o664)
    (project_dir / "source" / f"{SLUG}.txt").write_text(
        (project_dir / "source" / f"{SLUG}.txt").read_text("utf-8") + "\nA new closing line.\n", "utf-8")
    run(project_dir, "extract")
    assert "A new closing line." in path.read_text("utf-8")
    info = os.stat(path)
    assert (info.st_gid, info.st_mode & 0o7777) == (group, 0o664)


def test_a_group_that_cannot_be_kept_does_not_stop_the_save(project_dir, monkeypatch):
    run(project_dir, "extract")
    path = ru_path(project_dir)
    os.chown(path, -1, _other_group())

    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refuse)
    loaded = pofile.load_po(path)
    loaded.po[1].msgstr = "Друг"
    assert pofile.save_po(loaded.po, path, loaded.stamp)
    assert 'msgstr "Друг"' in path.read_text("utf-8") and os.stat(path).st_gid == os.getegid()


def test_status_says_one_missing_entry_in_the_singular(project_dir):
    run(project_dir, "extract")
    ru = ru_path(project_dir)
    loaded = pofile.load_po(ru)
    loaded.po.remove(next(e for e in loaded.po if e.msgid))
    pofile.save_po(loaded.po, ru, loaded.stamp)
    result = run(project_dir, "status", "--locale", "ru")
    assert (f"{SLUG} ru: 1 entry of the template is missing from the catalog (counted as untranslated); "
            "run `newsloc extract`") in result.stderr
