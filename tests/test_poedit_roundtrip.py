"""Catalogs written by newsloc survive a round trip through the real Poedit 3 (issue 2, §4).

A copy of the shipped project (article, glossary, catalogs with the reviewed Russian
translation) is extracted, each catalog is opened in Poedit and saved with Ctrl+S exactly as a
translator would (tests/poedit.py), and then:

* only header fields that Poedit owns differ (see poedit.POEDIT_OWNED_HEADERS: for a PO
  PO-Revision-Date and X-Generator, plus Last-Translator when the translator set a name in
  Poedit's preferences); the entries are byte-identical, i.e. Poedit did not even re-wrap;
* ``newsloc extract`` reads the saved file back without losing or rewriting anything: the
  file keeps its bytes and its mtime, and the entries are the same.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from newsloc.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parent))

import poedit  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SLUG = "the-friend-of-my-enemy"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped project, extracted once (as a translator receives it)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "locales", root / "locales",
                    ignore=shutil.ignore_patterns("*.mo"))
    if (REPO / "glossary.yaml").exists():
        shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    _extract(root)
    return root


def _extract(root: Path) -> str:
    result = CliRunner().invoke(cli, ["--project", str(root), "extract"])
    assert result.exit_code == 0, result.output
    return result.output


def _entries(path: Path) -> list[tuple]:
    """Everything a translator or newsloc put into the entries (obsolete ones included)."""
    return [(e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural, sorted(e.flags), e.comment,
             e.tcomment, e.occurrences, e.previous_msgid, e.obsolete)
            for e in polib.pofile(str(path))]


def _catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").glob(f"*/LC_MESSAGES/{SLUG}.po"))


def _msgfmt_check(path: Path) -> None:
    res = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True,
                         text=True)
    assert res.returncode == 0 and not res.stderr, res.stderr


def _roundtrip(project: Path, po: Path, **prefs) -> poedit.PoeditRun:
    before_entries = _entries(po)
    run = poedit.open_and_save(po, artifacts=poedit.ARTIFACTS / "roundtrip" / po.parent.parent.name,
                               **prefs)
    assert run.quit_cleanly
    before, after = run.before.decode("utf-8"), run.after.decode("utf-8")
    assert after != before, "Poedit did not rewrite the file"

    # Only Poedit's own header fields changed; comments and all entries are byte-identical.
    changes = poedit.header_changes(before, after)
    assert set(changes) <= poedit.POEDIT_OWNED_HEADERS - {"POT-Creation-Date"}, changes
    assert poedit.split_header(after).comments == poedit.split_header(before).comments
    assert poedit.split_header(after).body == poedit.split_header(before).body
    assert _entries(po) == before_entries
    _msgfmt_check(po)

    # newsloc reads the saved file back and leaves it alone: same bytes, same mtime.
    saved = po.read_bytes()
    mtime = po.stat().st_mtime_ns
    _extract(project)
    unchanged = po.read_bytes() == saved
    assert unchanged, "newsloc extract rewrote the catalog Poedit saved:\n" + "\n".join(
        difflib.unified_diff(after.splitlines(), po.read_text(encoding="utf-8").splitlines(),
                             "saved by poedit", "after newsloc extract", lineterm="", n=1))
    assert po.stat().st_mtime_ns == mtime, "newsloc extract touched the catalog Poedit saved"
    assert _entries(po) == before_entries
    return run


def test_shipped_catalogs_are_stable_under_poedit_wrapping(project: Path) -> None:
    """Poedit re-wraps at a width it guesses from the file; ours must be a fixed point."""
    for po in [*_catalogs(project), project / "locales" / f"{SLUG}.pot"]:
        before = po.read_text(encoding="utf-8")
        assert poedit.predict_body(po) == poedit.split_header(before).body, po


@pytest.mark.parametrize("lang", ["ru", "hy"])
def test_open_save_in_poedit_then_extract(project: Path, lang: str) -> None:
    po = project / "locales" / lang / "LC_MESSAGES" / f"{SLUG}.po"
    run = _roundtrip(project, po)
    changes = poedit.header_changes(run.before.decode(), run.after.decode())
    assert set(changes) == {"PO-Revision-Date", "X-Generator"}
    assert run.mo_path == po.with_suffix(".mo")  # Poedit's default: compile on save


def test_translator_identity_from_poedit_is_kept(project: Path) -> None:
    po = project / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"
    run = _roundtrip(project, po, translator_name="Анна Смирнова",
                     translator_email="anna@example.org")
    changes = poedit.header_changes(run.before.decode(), run.after.decode())
    assert changes["Last-Translator"][1] == "Анна Смирнова <anna@example.org>"
    assert polib.pofile(str(po)).metadata["Last-Translator"] == "Анна Смирнова <anna@example.org>"


def test_template_open_save_in_poedit_then_extract(project: Path) -> None:
    pot = project / "locales" / f"{SLUG}.pot"
    before_entries = _entries(pot)
    run = poedit.open_and_save(pot, artifacts=poedit.ARTIFACTS / "roundtrip" / "pot")
    before, after = run.before.decode(), run.after.decode()
    changes = poedit.header_changes(before, after)
    assert set(changes) <= {"POT-Creation-Date", "X-Generator"}, changes
    # Poedit marks a template's header fuzzy (as xgettext does) if it is not already.
    assert set(poedit.split_header(after).comments) - set(poedit.split_header(before).comments) \
        <= {"#, fuzzy"}
    assert poedit.split_header(after).body == poedit.split_header(before).body
    assert run.mo_path is None
    # The template belongs to newsloc: re-extraction may restore its own header, but the
    # entries stay exactly the same.
    _extract(project)
    assert _entries(pot) == before_entries
    header = poedit.split_header(pot.read_text(encoding="utf-8"))
    assert {k: v for k, v in header.fields.items()
            if k not in poedit.POEDIT_OWNED_HEADERS} == \
        {k: v for k, v in poedit.split_header(before).fields.items()
         if k not in poedit.POEDIT_OWNED_HEADERS}


def test_poedit_headers_survive_an_article_update(project: Path) -> None:
    """After a Poedit save, a real update (edited article) keeps what Poedit wrote."""
    po = project / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"
    poedit.open_and_save(po, translator_name="Анна Смирнова", translator_email="anna@example.org",
                         compile_mo=False,
                         artifacts=poedit.ARTIFACTS / "roundtrip" / "update")
    saved = polib.pofile(str(po))
    translated = {e.msgid: e.msgstr for e in saved if e.msgstr and not e.obsolete}
    article = project / "source" / f"{SLUG}.txt"
    article.chmod(0o644)
    lines = article.read_text(encoding="utf-8").split("\n")
    lines.insert(2, "A paragraph added after the translator's Poedit session.")
    lines.append("")
    article.write_text("\n".join(lines), encoding="utf-8")
    _extract(project)
    updated = polib.pofile(str(po))
    for key in ("PO-Revision-Date", "Last-Translator", "X-Generator"):
        assert updated.metadata[key] == saved.metadata[key], key
    assert updated.find("A paragraph added after the translator's Poedit session.") is not None
    kept = {e.msgid: e.msgstr for e in updated if not e.obsolete}
    assert all(kept.get(msgid) == msgstr for msgid, msgstr in translated.items())
    _msgfmt_check(po)
