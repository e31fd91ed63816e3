"""Helpers shared by the build tests (test_bundle, test_build_editor, test_build_browser)."""

from __future__ import annotations

from pathlib import Path

from newsloc import pofile
from newsloc.project import Project

DATA = Path(__file__).resolve().parent / "data" / "build"


def fill(project: Project, slug: str, lang: str, translations: dict[str, str],
         fuzzy: set[str] = frozenset(), header: dict[str, str] | None = None,
         header_comment: str | None = None) -> Path:
    """Put translations (by msgid) into an extracted catalog, through newsloc.pofile."""
    path = project.po_path(slug, lang)
    loaded = pofile.load_po(path)
    known = {e.msgid for e in loaded.po}
    assert set(translations) <= known, set(translations) - known  # test data matches the article
    for entry in loaded.po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if entry.msgid in fuzzy:
                entry.flags.append("fuzzy")
    if header:
        loaded.po.metadata.update(header)
    if header_comment is not None:
        loaded.po.header = header_comment
    pofile.save_po(loaded.po, path, loaded.stamp)
    return path
