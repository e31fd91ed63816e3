"""A catalog that cannot be written: the article's files are written all or none, and the
message says so; a long article name still fits in its temporary file's name."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest

from newsloc import catalog, pofile
from newsloc.errors import ArticleError, CatalogError
from newsloc.project import Project


def test_a_catalog_that_cannot_be_written_writes_nothing_of_its_article(project_dir, monkeypatch):
    catalog.extract(Project(project_dir), jobs=1)
    before = {p: p.read_bytes() for p in (project_dir / "locales").rglob("*") if p.is_file()}
    (project_dir / "source" / "new.txt").write_text("X\n\nNew.\n", encoding="utf-8")
    create_temp = pofile._create_temp

    def read_only_ru(folder, name):  # (root ignores file modes: a read-only folder, as chattr +i makes it)
        if Path(folder).parts[-2:] == ("ru", "LC_MESSAGES"):
            raise PermissionError(13, "Permission denied")
        return create_temp(folder, name)

    monkeypatch.setattr(pofile, "_create_temp", read_only_ru)
    with pytest.raises(CatalogError) as error:
        catalog.extract(Project(project_dir), jobs=1)
    assert error.value.path.parts[-3:] == ("ru", "LC_MESSAGES", "new.po")
    assert "cannot write" in error.value.message and "nothing of this article was written" in error.value.message
    assert not (project_dir / "locales" / "new.pot").exists()
    assert not (project_dir / "locales" / "hy" / "LC_MESSAGES" / "new.po").exists()
    after = {p: p.read_bytes() for p in (project_dir / "locales").rglob("*") if p.is_file()}
    assert after == before  # no temporary file either


def test_the_longest_article_name_fits_its_temporary_file_and_a_longer_one_is_refused(project_dir):
    article = project_dir / "source" / "the-friend-of-my-enemy.txt"
    shutil.copy(article, project_dir / "source" / ("a" * 200 + ".txt"))  # (the longest name an article may have)
    report = catalog.extract(Project(project_dir), jobs=1)
    names = sorted(p.name for p in report.written)
    assert ("a" * 200 + ".pot") in names and names.count("a" * 200 + ".po") == 2
    assert [p for p in project_dir.rglob("*") if ".tmp" in p.name] == []
    shutil.copy(article, project_dir / "source" / ("b" * 246 + ".txt"))
    with pytest.raises(ArticleError, match="the file name gives the article the name 'b+'"):
        catalog.extract(Project(project_dir), jobs=1)
    assert not any(p.name.startswith("b") for p in (project_dir / "locales").rglob("*"))


def test_temporary_names_stay_within_name_max(tmp_path):
    for name in ("a" * 255, "я" * 127 + ".po", "x.po"):
        fd, tmp = pofile._create_temp(tmp_path, name)
        os.close(fd)
        assert len(os.path.basename(tmp).encode()) <= 255
        assert os.path.basename(tmp).startswith("." + name[:20])


def test_a_huge_edited_paragraph_keeps_its_translation_without_a_quadratic_match():
    # difflib's ratio is quadratic in the length of the strings: an edited paragraph of
    # 800,000 words took minutes to match.  Beyond FUZZY_MAX_CHARS the old translation
    # is not matched fuzzily: it is kept as an obsolete entry (nothing is lost).
    old_text = "the cat sat on a mat " * (catalog.FUZZY_MAX_CHARS // 10)
    old = polib.POFile()
    old.append(polib.POEntry(msgid=old_text, msgstr="кот " * 10))
    template = polib.POFile()
    template.metadata = {"Project-Id-Version": "x", "POT-Creation-Date": "2026-01-01 00:00+0000",
                         "X-Source-Language": "en"}
    template.append(polib.POEntry(msgid=old_text + "and a dog"))
    new = catalog.update_catalog(template, old, "ru", now="2026-01-01 00:00+0000")
    active = [e for e in new if not e.obsolete]
    assert active[0].msgstr == "" and [e.msgstr for e in new if e.obsolete] == ["кот " * 10]
    # a long sentence within the limit is still matched
    short = "the cat sat on a mat " * 10
    old[0].msgid = short
    template[0].msgid = short + "and a dog"
    new = catalog.update_catalog(template, old, "ru", now="2026-01-01 00:00+0000")
    assert new[0].msgstr == "кот " * 10 and "fuzzy" in new[0].flags
