"""Golden files: every folder under tests/golden/extract holds one article and the
template newsloc must produce for it (``expected.pot``), mdpo-style.

Regenerate after an intended change with ``NEWSLOC_REGENERATE=1 pytest tests/test_golden_extract.py``
and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from newsloc import catalog
from newsloc.project import Project

GOLDEN = Path(__file__).parent / "golden" / "extract"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_article_gives_expected_template(case: Path, tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    article = next(p for p in case.iterdir() if p.name not in ("expected.pot", "expected-warnings.txt"))
    shutil.copy(article, source)
    (tmp_path / "locales").mkdir()
    report = catalog.extract(Project(tmp_path))
    pot = (tmp_path / "locales" / f"{Project.slug_for(article)}.pot").read_text(encoding="utf-8")
    warnings = "".join(f"{r}\n" for r in report.repairs)
    if os.environ.get("NEWSLOC_REGENERATE"):
        (case / "expected.pot").write_text(pot, encoding="utf-8")
        (case / "expected-warnings.txt").write_text(warnings, encoding="utf-8")
    assert pot == (case / "expected.pot").read_text(encoding="utf-8")
    assert warnings == (case / "expected-warnings.txt").read_text(encoding="utf-8")
