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


@pytest.fixture
def brief(tmp_path: Path):
    """A small HTML article (links, emphasis, list, quote) with ar and ru catalogs extracted."""
    from newsloc import catalog
    from newsloc.project import Project

    (tmp_path / "source").mkdir()
    shutil.copy(REPO / "tests" / "data" / "build" / "briefing.html", tmp_path / "source")
    for code in ("ar", "ru"):
        (tmp_path / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    project = Project(tmp_path)
    catalog.extract(project)
    return project
# --- end project fixtures --------------------------------------------------------

# --- MT fixtures (translate helper) -----------------------------------------------
# Argos test packages are built once per session (tests/argos_package.py); every
# test that installs one gets its own Argos folders, never the user's.


@pytest.fixture(scope="session")
def argos_archive(tmp_path_factory) -> Path:
    """A valid en→ru .argosmodel whose model maps a small dictionary and copies the rest."""
    from argos_package import build_argos_package

    return build_argos_package(tmp_path_factory.mktemp("argos-ru"), "en", "ru")


@pytest.fixture(scope="session")
def garbage_archive(tmp_path_factory) -> Path:
    """A valid en→hy .argosmodel whose model has random weights (produces rubbish)."""
    from argos_package import build_argos_package

    return build_argos_package(tmp_path_factory.mktemp("argos-hy"), "en", "hy", garbage=True)


@pytest.fixture
def argos_env(tmp_path: Path, monkeypatch) -> Path:
    """Private Argos data/config/cache folders; returns the packages folder."""
    for var, name in (("XDG_DATA_HOME", "xdg-data"), ("XDG_CONFIG_HOME", "xdg-config"),
                      ("XDG_CACHE_HOME", "xdg-cache")):
        monkeypatch.setenv(var, str(tmp_path / name))
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    # Nothing may reach the real package index from the tests.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    from newsloc import mt

    mt.clear_cache()
    return tmp_path / "xdg-data" / "argos-translate" / "packages"


@pytest.fixture
def en_ru(argos_env: Path, argos_archive: Path):
    """The en→ru test package, installed."""
    from newsloc import models

    return models.install_package(argos_archive)
# --- end MT fixtures ----------------------------------------------------------------
