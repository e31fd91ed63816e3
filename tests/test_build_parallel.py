"""newsloc build with worker processes gives exactly what a sequential build gives.

Many articles are checked and rendered by forked workers while the main
process writes them in order (newsloc.bundle.build_project(jobs=...)); a new
article folder is staged and renamed into place.  These tests compare both
modes file by file and message by message, on first builds, rebuilds and a
build that stops at an error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from newsloc import bundle, catalog, pofile
from newsloc.bundle import Policy, build_project
from newsloc.errors import UnsafeMarkupError
from newsloc.project import Project

DATA = Path(__file__).resolve().parent / "data" / "build"
ARTICLES = 14  # more than one task per worker (chunks of 3 below), fewer than bundle's automatic threshold


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(bundle, "_CHUNK", 3)


def make_project(root: Path) -> Project:
    """ARTICLES variants of briefing.html; ar fully translated, en_GB partly (some drafts)."""
    (root / "source").mkdir(parents=True)
    text = (DATA / "briefing.html").read_text("utf-8")
    for i in range(ARTICLES):
        (root / "source" / f"brief-{i:02d}.html").write_text(
            text.replace("12 March", f"{i + 1} March"), "utf-8")
    for code in ("ar", "en_GB"):
        (root / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    project = Project(root)
    catalog.extract(project)
    arabic = {e.msgid: e.msgstr for e in polib.pofile(str(DATA / "ar.po")) if e.msgid}
    for i in range(ARTICLES):
        slug = f"brief-{i:02d}"
        for code in ("ar", "en_GB"):
            loaded = pofile.load_po(project.po_path(slug, code))
            for n, entry in enumerate(loaded.po):
                if code == "ar":
                    entry.msgstr = arabic.get(entry.msgid, "")
                    if not entry.msgstr and "March" in entry.msgid:
                        entry.msgstr = entry.msgid.replace("March", "مارس")
                elif (n + i) % 3:
                    entry.msgstr = entry.msgid
                    if (n + i) % 4 == 0:
                        entry.flags.append("fuzzy")
            pofile.save_po(loaded.po, project.po_path(slug, code), loaded.stamp)
    return project


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under ``folder``: contents (files) and permission bits."""
    found = {}
    for path in sorted(folder.rglob("*")):
        data = path.read_bytes() if path.is_file() else b"<dir>"
        found[str(path.relative_to(folder))] = (data, path.stat().st_mode & 0o7777)
    return found


def messages(report: bundle.BuildReport, root: Path) -> list[str]:
    lines = []
    for result in report.sources + report.results:
        where = result.path.relative_to(root) if result.path else None
        lines.append(f"{result.slug} {result.locale} {result.label} {where} {result.translated_percent}")
        lines.extend(str(b) for b in result.blockers)
    lines.extend(str(p.relative_to(root)) for p in report.indexes)
    return lines


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return make_project(tmp_path_factory.mktemp("parallel"))


@pytest.mark.parametrize("policy", [Policy(), Policy(allow_drafts=True, allow_incomplete=True)])
def test_workers_build_exactly_what_a_sequential_build_does(project, policy):
    one = build_project(project, out="seq", policy=policy, zip=True, jobs=1)
    two = build_project(project, out="par", policy=policy, zip=True, jobs=2)
    assert len(one.sources) == ARTICLES
    assert any(r.built for r in one.results)
    assert any(not r.built for r in one.results) == (policy == Policy())  # drafts and gaps block by default
    assert tree(project.root / "seq") == tree(project.root / "par")
    assert messages(one, project.root / "seq") == messages(two, project.root / "par")
    # no staging folder is left behind
    assert not [p for p in (project.root / "par").rglob(".*")]


def test_rebuild_with_workers_keeps_unchanged_files_and_adds_new_editions(project):
    out = project.root / "again"
    both = Policy(allow_drafts=True, allow_incomplete=True)
    build_project(project, locales=["ar"], out=out, jobs=2)
    report = build_project(project, out=out, policy=both, jobs=2)  # adds en_GB into existing folders
    build_project(project, out="fresh", policy=both, jobs=1)
    assert tree(out) == tree(project.root / "fresh")
    added = [r for r in report.results if r.locale == "en_GB" and r.built]
    assert added and all(r.path.is_file() for r in added)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    build_project(project, out=out, policy=both, jobs=2)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before  # nothing rewritten


def test_an_error_stops_both_modes_at_the_same_article(tmp_path):
    project = make_project(tmp_path / "p")
    bad = project.root / "source" / "brief-07.html"
    bad.write_text(bad.read_text("utf-8").replace("https://example.org/un", "javascript:alert(1)"), "utf-8")
    written = []
    for jobs in (1, 2):
        out = project.root / f"out-{jobs}"
        with pytest.raises(UnsafeMarkupError, match=r"brief-07\.html:\d+: source segment has an unsafe URL"):
            build_project(project, locales=["ar"], out=out, jobs=jobs)
        written.append(tree(out))
    assert written[0] == written[1]
    assert sorted({name.split("/")[0] for name in written[0]}) == [f"brief-{i:02d}" for i in range(7)]


def test_many_editions_use_workers_by_default(monkeypatch, tmp_path):
    project = make_project(tmp_path / "p")
    used = []
    real = bundle._prepared_in_order
    monkeypatch.setattr(bundle, "_prepared_in_order", lambda paths, workers: used.append(workers) or real(paths, workers))
    monkeypatch.setattr(bundle, "PARALLEL_MIN_EDITIONS", ARTICLES)
    monkeypatch.setattr(bundle.os, "sched_getaffinity", lambda pid: {0, 1})
    build_project(project, locales=["ar"], out="dist")
    build_project(project, slugs=["brief-00"], locales=["ar"], out="dist")
    assert used == [2]
    shutil.rmtree(project.root / "dist")


def test_cli_jobs_option_gives_the_same_messages_and_files(project):
    from click.testing import CliRunner

    from newsloc.cli import cli

    runs = [CliRunner().invoke(cli, ["--project", str(project.root), "build", "--out", f"cli-{jobs}",
                                     "--jobs", str(jobs)]) for jobs in (1, 2)]
    assert [r.exit_code for r in runs] == [1, 1]  # some editions are blocked (drafts, gaps)
    assert runs[0].stdout.replace("cli-1", "cli-N") == runs[1].stdout.replace("cli-2", "cli-N")
    assert runs[0].stderr == runs[1].stderr
    assert tree(project.root / "cli-1") == tree(project.root / "cli-2")


def test_staged_folder_never_replaces_what_appeared_meanwhile(tmp_path):
    def fill(staging):
        bundle._create(f"{staging}/index.html", b"new")

    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "index.html").write_bytes(b"old")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert not bundle._stage(str(tmp_path), "taken", fill)  # a non-empty folder
    assert not bundle._stage(str(tmp_path), "link", fill)  # a symbolic link
    assert (tmp_path / "taken" / "index.html").read_bytes() == b"old"
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert bundle._stage(str(tmp_path), "fresh", fill)
    assert (tmp_path / "fresh" / "index.html").read_bytes() == b"new"
    assert (tmp_path / "fresh" / "index.html").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "fresh", "link", "taken"]  # no staging left


def test_worker_staged_article_never_replaces_a_folder_that_appeared_meanwhile(project, monkeypatch):
    """Workers stage new article folders; if one appears before it is renamed in, files go one by one."""
    real = bundle._rename_staged

    def rename(staged, slug_dir):
        if slug_dir.name == "brief-03":  # someone else created it meanwhile
            slug_dir.mkdir()
            (slug_dir / "keep.txt").write_bytes(b"theirs")
        return real(staged, slug_dir)

    monkeypatch.setattr(bundle, "_rename_staged", rename)
    both = Policy(allow_drafts=True, allow_incomplete=True)
    build_project(project, out="meanwhile", policy=both, jobs=2)
    build_project(project, out="meanwhile-seq", policy=both, jobs=1)
    found = tree(project.root / "meanwhile")
    assert found.pop("brief-03/keep.txt")[0] == b"theirs"
    assert found == tree(project.root / "meanwhile-seq")
    assert not [p for p in (project.root / "meanwhile").rglob(".*")]  # no staging folder left


def test_a_worker_that_dies_stops_the_build_with_an_error_and_leaves_no_process(project, monkeypatch):
    import multiprocessing
    import os

    real = bundle._prepare_chunk

    def dies_on_brief_09(paths):
        if any(p.name == "brief-09.html" for p in paths):
            os._exit(3)  # as if the kernel had killed it
        return real(paths)

    monkeypatch.setattr(bundle, "_prepare_chunk", dies_on_brief_09)
    out = project.root / "out-dies"
    with pytest.raises(bundle.BuildError, match=r"a build worker stopped unexpectedly \(exit code 3\)"):
        build_project(project, locales=["ar"], out=out, jobs=2)
    built = sorted(p.name for p in out.iterdir())
    # Articles are published in order up to the error (those before the lost chunk that were ready
    # by then), and no staging folder is left behind.
    assert built == [f"brief-{i:02d}" for i in range(len(built))] and len(built) <= 9
    assert multiprocessing.active_children() == []
    shutil.rmtree(out)


def test_a_build_stopped_early_stops_its_workers(project):
    import multiprocessing

    articles = bundle._prepared_in_order(project.select_articles(None), 2)
    bundle._job = (project, ["ar"], project.root / "out-early", Policy(), project.load_glossary(),
                   "2026-01-01T00:00:00Z", False, ".newsloc-test-")
    try:
        (project.root / "out-early").mkdir()
        first = next(articles)
        assert first.article.slug == "brief-00"
        assert len(multiprocessing.active_children()) == 2
        articles.close()
        assert multiprocessing.active_children() == []
    finally:
        bundle._job = None
        shutil.rmtree(project.root / "out-early")


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
@pytest.mark.parametrize("jobs", [1, 2])
def test_files_are_0644_whatever_the_umask(project, umask, jobs):
    import os

    out = project.root / f"out-umask-{umask:o}-{jobs}"
    old = os.umask(umask)
    try:
        assert bundle._umask() == umask
        build_project(project, locales=["ar"], out=out, jobs=jobs)
    finally:
        os.umask(old)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and {p.stat().st_mode & 0o7777 for p in files} == {0o644}
    shutil.rmtree(out)


def test_the_collector_thresholds_are_restored_after_a_build(project, monkeypatch):
    import gc

    before = gc.get_threshold()
    seen = []
    real = bundle._write_article
    monkeypatch.setattr(bundle, "_write_article", lambda *args: seen.append(gc.get_threshold()) or real(*args))
    out = project.root / "out-gc"
    build_project(project, locales=["ar"], out=out, jobs=1)
    assert seen and seen[0][0] == bundle.BUILD_GC_THRESHOLD
    assert gc.get_threshold() == before
    shutil.rmtree(out)


@pytest.mark.parametrize("zip", [False, True])
def test_rebuilds_with_workers_write_exactly_what_sequential_rebuilds_do(tmp_path, zip):
    """Workers compare a rebuild's files with the disk and render the editions index; the result
    (files, modes, messages) is that of a sequential rebuild, after changes of every kind."""
    project = make_project(tmp_path / "p")
    both = Policy(allow_drafts=True, allow_incomplete=True)
    outs = {jobs: project.root / f"out-{jobs}" for jobs in (1, 2)}
    for jobs, out in outs.items():
        build_project(project, locales=["ar"], out=out, jobs=jobs)
    # A translation changes; an edition folder is removed; a folder that is no edition and a
    # stale edition of a locale not built now are in article folders.
    po_path = project.po_path("brief-03", "ar")
    loaded = pofile.load_po(po_path)
    entry = next(e for e in loaded.po if e.msgid and e.msgstr)
    entry.msgstr = "نص جديد"
    pofile.save_po(loaded.po, po_path, loaded.stamp)
    for out in outs.values():
        shutil.rmtree(out / "brief-05" / "ar")
        (out / "brief-06" / "notes").mkdir()
        (out / "brief-06" / "notes" / "bundle.json").write_text("{}", "utf-8")
        shutil.copytree(out / "brief-07" / "ar", out / "brief-07" / "de")
    reports = {jobs: build_project(project, out=out, policy=both, zip=zip, jobs=jobs)
               for jobs, out in outs.items()}
    assert tree(outs[1]) == tree(outs[2])
    assert messages(reports[1], outs[1]) == messages(reports[2], outs[2])
    index = (outs[2] / "brief-07" / "index.html").read_text("utf-8")
    assert 'data-locale="de"' in index and 'data-locale="en_GB"' in index
    # Blocked now: the edition on disk is left, and not listed.
    for jobs, out in outs.items():
        build_project(project, locales=["en_GB"], out=out, jobs=jobs)
    assert tree(outs[1]) == tree(outs[2])
    assert 'data-locale="en_GB"' not in (outs[2] / "brief-00" / "index.html").read_text("utf-8")
