"""`newsloc run`: the whole pipeline, through the real Argos path for drafting."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
from argos_package import build_argos_package
from click.testing import CliRunner

from newsloc import models
from newsloc.cli import cli

REPO = Path(__file__).resolve().parent.parent
SLUG = "the-friend-of-my-enemy"


def shipped_project(root: Path) -> Path:
    """The repository's own project: article, glossary, reviewed ru catalog, empty hy."""
    shutil.copytree(REPO / "source", root / "source")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    for code in ("ru", "hy"):
        (root / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(REPO / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po", root / "locales" / "ru" / "LC_MESSAGES")
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(root), "run", *args])


def test_run_builds_russian_and_reports_missing_armenian_model(tmp_path, argos_env):
    root = shipped_project(tmp_path / "p")
    result = run(root)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "extract: 3 file(s) written, 0 unchanged"
    assert [line.split() for line in lines[2:5]] == [
        ["article", "locale", "drafts", "checks", "edition"],
        [SLUG, "hy", "no", "model", "17", "failing", "blocked", "(17:", "untranslated)"],
        [SLUG, "ru", "nothing", "to", "draft", "ok", "built:", f"dist/{SLUG}/ru/index.html"],
    ]
    assert f"source edition: dist/{SLUG}/en/index.html" in lines
    assert any(line.startswith("hy: no translation model en→hy is installed; install the Argos package")
               for line in lines)
    page = (root / "dist" / SLUG / "ru" / "index.html").read_text(encoding="utf-8")
    assert "Друг моего врага — мой союзник" in page
    assert not (root / "dist" / SLUG / "hy").exists()
    # The ru catalog was complete and reviewed: no entry was touched.
    def entries(path):
        return [(e.msgid, e.msgstr, e.flags, e.tcomment) for e in polib.pofile(str(path))]

    assert entries(root / "locales/ru/LC_MESSAGES" / f"{SLUG}.po") == entries(
        REPO / "locales/ru/LC_MESSAGES" / f"{SLUG}.po")
    strict = run(root, "--strict")
    assert strict.exit_code == 1
    assert "Error: some editions are blocked or models are missing (--strict)" in strict.stderr


def test_run_drafts_with_an_installed_model_and_admits_drafts_only_when_allowed(tmp_path, argos_env):
    models.install_package(build_argos_package(tmp_path / "pkg", "en", "hy"))
    root = shipped_project(tmp_path / "p")
    result = run(root, "--locale", "hy")
    assert result.exit_code == 0, result.output
    row = next(line.split() for line in result.stdout.splitlines() if line.startswith(f"{SLUG}  hy"))
    assert row[2:4] == ["17", "drafted"]
    assert "blocked" in row  # unreviewed drafts are not published by default
    assert "fuzzy" in " ".join(row)
    allowed = run(root, "--locale", "hy", "--allow-drafts")
    assert allowed.exit_code == 0, allowed.output
    row = next(line.split() for line in allowed.stdout.splitlines() if line.startswith(f"{SLUG}  hy"))
    assert row[2:5] == ["nothing", "to", "draft"]  # the drafts are kept, not redone
    # Drafts are admitted now; what still blocks are real problems of the test model's
    # copy-through output (English left in an Armenian edition), never the drafts as such.
    assert "blocked" in row and "fuzzy" not in " ".join(row)
    assert "same-as-source" in " ".join(row)


def _row(output: str, slug: str, locale: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(f"{slug}  ")
                and line.split()[1] == locale)


def test_run_counts_drafts_per_article(tmp_path, argos_env, argos_archive):
    models.install_package(argos_archive)
    root = shipped_project(tmp_path / "p")
    first = run(root, "--locale", "ru")
    assert first.exit_code == 0, first.output
    (root / "source" / "brief.txt").write_text(
        "Hello world\nThe president met the minister in the city.\n", encoding="utf-8")
    result = run(root, "--locale", "ru")
    assert result.exit_code == 0, result.output
    assert _row(result.stdout, "brief", "ru")[2:4] == ["2", "drafted"]
    # The shipped ru catalog was complete: nothing of the locale's 2 drafts went into it.
    assert _row(result.stdout, SLUG, "ru")[2:5] == ["nothing", "to", "draft"]


def test_run_reports_a_catalog_changed_meanwhile_once_and_as_not_written(tmp_path, argos_env,
                                                                          argos_archive, monkeypatch):
    from newsloc import catalog, draft
    from newsloc.project import Project

    models.install_package(argos_archive)
    root = shipped_project(tmp_path / "p")
    (root / "source" / "brief.txt").write_text(
        "Hello world\nThe president met the minister in the city.\n", encoding="utf-8")
    catalog.extract(Project(root))  # brief.po exists, untranslated
    target = root / "locales" / "ru" / "LC_MESSAGES" / "brief.po"
    saves = []

    def saved_meanwhile(stage):
        # A translator's save lands between newsloc reading the catalog and writing it,
        # in extract as well as in drafting (what a save every 2 ms does to a whole run).
        def wrapper(po, path, *args, **kwargs):
            if Path(path) == target and target.exists():
                saves.append(path)
                tmp = target.with_name("saved.tmp")
                tmp.write_bytes(target.read_bytes() + f"\n# save {len(saves)}\n".encode())
                os.replace(tmp, target)
            return stage(po, path, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(catalog, "stage_catalog", saved_meanwhile(catalog.stage_catalog))
    monkeypatch.setattr(draft, "stage_catalog", saved_meanwhile(draft.stage_catalog))
    result = run(root, "--locale", "ru")
    assert len(saves) == 2  # extract and drafting both met the change
    assert result.exit_code == 1
    assert result.stderr.count("changed on disk") == 1, result.stderr
    assert "Error: 1 catalog(s) not written" in result.stderr
    row = " ".join(_row(result.stdout, "brief", "ru")[2:])
    assert "not written: changed on disk" in row and "drafted" not in row
    assert _row(result.stdout, SLUG, "ru")[2:5] == ["nothing", "to", "draft"]


def test_run_with_an_unavailable_device_stops_before_drafting(tmp_path, argos_env, argos_archive,
                                                             monkeypatch):
    import ctranslate2

    models.install_package(argos_archive)
    root = shipped_project(tmp_path / "p")
    (root / "source" / "brief.txt").write_text("Hello world\n", encoding="utf-8")
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)  # a machine without a GPU
    result = run(root, "--device", "cuda")
    assert result.exit_code == 1
    assert result.stderr.count("no CUDA device is available") == 1, result.stderr
    assert "no model" not in result.stdout
    assert not (root / "locales" / "ru" / "LC_MESSAGES" / "brief.po").exists()  # before any work
    assert not (root / "dist").exists()


def test_run_with_a_damaged_model_fails_instead_of_saying_no_model(tmp_path, argos_env, argos_archive):
    package = models.install_package(argos_archive)
    (package.path / "model" / "model.bin").write_bytes(b"\x06\x00\x00\x00broken")
    root = shipped_project(tmp_path / "p")
    (root / "source" / "brief.txt").write_text("Hello world\n", encoding="utf-8")
    result = run(root, "--locale", "ru")
    assert result.exit_code == 1
    assert "cannot load the CTranslate2 model" in result.stderr and "reinstall" in result.stderr
    assert "no model" not in result.stdout
    assert "msgstr \"\"" in (root / "locales/ru/LC_MESSAGES/brief.po").read_text(encoding="utf-8")
