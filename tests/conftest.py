"""Shared pytest fixtures.  Each owner keeps its fixtures in its own delimited block."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# --- project fixtures (lead) ---------------------------------------------------
SHIPPED_ARTICLE = REPO / "source" / "the-friend-of-my-enemy.txt"


@pytest.fixture(autouse=True)
def _reproducible_dates(monkeypatch):
    """PO header dates come from SOURCE_DATE_EPOCH so golden files are stable."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764403200")  # 2025-11-29 08:00 UTC


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A fresh project: the shipped article, locales ru and hy, no catalogs yet, no glossary."""
    (tmp_path / "source").mkdir()
    shutil.copy(SHIPPED_ARTICLE, tmp_path / "source")
    for code in ("ru", "hy"):
        (tmp_path / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def glossary_project_dir(project_dir: Path) -> Path:
    """Like project_dir, with the shipped glossary.yaml."""
    shutil.copy(REPO / "glossary.yaml", project_dir / "glossary.yaml")
    return project_dir
# --- end project fixtures --------------------------------------------------------
