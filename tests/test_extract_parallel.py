"""Extraction in worker processes (``jobs``) gives exactly what extraction in one process gives.

Same files (bytes), same report (written/unchanged/conflicts in the same
order, same repairs), the same error for a broken catalog with the same
articles written before it, and no temporary file left behind.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsloc import catalog
from newsloc.cli import cli
from newsloc.errors import CatalogError
from newsloc.project import Project

REPO = Path(__file__).resolve().parent.parent
SHIPPED_ARTICLE = REPO / "source" / "the-friend-of-my-enemy.txt"
ARTICLES = 80  # several chunks (of 32) in flight


def make_project(root: Path, glossary: bool = True) -> Path:
    """ARTICLES articles recombined from the shipped article's paragraphs (its broken markup included)."""
    lines = SHIPPED_ARTICLE.read_text(encoding="utf-8").splitlines()
    paragraphs = [line for line in lines[1:] if line.strip()]
    rng = random.Random(5)
    (root / "source").mkdir(parents=True)
    for index in range(ARTICLES):
        body = rng.sample(paragraphs, rng.randint(2, 5))
        text = f"{lines[0]} ({index})\n\n" + "\n\n".join(body) + "\n"
        (root / "source" / f"story-{index:02d}.txt").write_text(text, encoding="utf-8")
    for code in ("ru", "hy"):
        (root / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    if glossary:
        shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    return root


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "locales").rglob("*")) if p.is_file()}


def relative(paths, root: Path) -> list[str]:
    return [str(Path(p).relative_to(root)) for p in paths]


def extract(root: Path, jobs: int) -> tuple[catalog.ExtractReport, list[str]]:
    repairs: list[str] = []
    report = catalog.extract(Project(root), jobs=jobs, on_repair=lambda r: repairs.append(str(r)))
    return report, repairs


def test_workers_write_the_same_files_and_report(tmp_path):
    one, two = make_project(tmp_path / "one"), make_project(tmp_path / "two")
    report_one, repairs_one = extract(one, jobs=1)
    report_two, repairs_two = extract(two, jobs=2)
    assert files(one) == files(two)
    assert len(files(one)) == 3 * ARTICLES
    assert relative(report_one.written, one) == relative(report_two.written, two)
    assert repairs_one == repairs_two == [str(r) for r in report_two.repairs]
    assert repairs_one  # the shipped article's markup is repaired
    assert report_two.articles == []  # not kept: memory stays flat

    # A translation, an edited source and a second run: the same update both ways.
    for root in (one, two):
        po = root / "locales" / "ru" / "LC_MESSAGES" / "story-03.po"
        headline = b'(3)"\nmsgstr ""\n'
        assert headline in po.read_bytes()
        po.write_bytes(po.read_bytes().replace(headline, b'(3)"\nmsgstr "Perevod"\n'))
        source = root / "source" / "story-07.txt"
        source.write_text(source.read_text(encoding="utf-8").replace(" the ", " a ", 1), encoding="utf-8")
    report_one, _ = extract(one, jobs=1)
    report_two, _ = extract(two, jobs=2)
    assert files(one) == files(two)
    assert relative(report_one.written, one) == relative(report_two.written, two)
    assert relative(report_one.unchanged, one) == relative(report_two.unchanged, two)
    assert b'msgstr "Perevod"' in (two / "locales" / "ru" / "LC_MESSAGES" / "story-03.po").read_bytes()


def test_catalog_saved_meanwhile_is_a_conflict_in_a_worker_too(tmp_path, monkeypatch):
    roots = [make_project(tmp_path / "one", glossary=False), make_project(tmp_path / "two", glossary=False)]
    for root in roots:
        extract(root, jobs=1)
        for source in (root / "source").iterdir():  # every catalog is to be rewritten
            source.write_text(source.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    current = {}
    real_update = catalog.update_catalog

    def translator_saves_meanwhile(template, old, locale, glossary=None, now=None):
        # Runs in the worker process with jobs=2 (forked after the patch).
        if locale == "ru" and template.metadata["Project-Id-Version"] == "story-05":
            po = current["root"] / "locales" / "ru" / "LC_MESSAGES" / "story-05.po"
            po.write_bytes(po.read_bytes() + b"\n")
        return real_update(template, old, locale, glossary, now)

    monkeypatch.setattr(catalog, "update_catalog", translator_saves_meanwhile)
    for root, jobs in zip(roots, (1, 2)):
        saved = (root / "locales" / "ru" / "LC_MESSAGES" / "story-05.po").read_bytes() + b"\n"
        current["root"] = root
        report, _ = extract(root, jobs)
        [conflict] = report.conflicts
        assert Path(conflict.path).relative_to(root) == Path("locales/ru/LC_MESSAGES/story-05.po")
        assert conflict.message.startswith("changed on disk since it was read")
        assert (root / "locales" / "ru" / "LC_MESSAGES" / "story-05.po").read_bytes() == saved  # kept
        assert len(report.written) == 3 * ARTICLES - 1
    assert files(roots[0]) == files(roots[1])


@pytest.mark.parametrize("jobs", [1, 2])
def test_broken_catalog_stops_at_the_same_article(tmp_path, jobs):
    root = make_project(tmp_path / "p", glossary=False)
    broken = root / "locales" / "hy" / "LC_MESSAGES" / "story-45.po"
    broken.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        catalog.extract(Project(root), jobs=jobs)
    assert str(error.value).endswith("story-45.po:4: duplicate entry 'a' (first defined at line 1)")
    written = sorted(p.stem for p in (root / "locales").glob("*.pot"))
    assert written == [f"story-{index:02d}" for index in range(45)]  # the articles before it, as one at a time
    assert broken.read_text(encoding="utf-8").startswith('msgid "a"')
    assert not [p for p in (root / "locales").rglob("*") if p.name.endswith(".tmp")]  # nothing left behind


def test_cli_jobs_option(tmp_path):
    root = make_project(tmp_path / "p", glossary=False)
    result = CliRunner().invoke(cli, ["--project", str(root), "extract", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("wrote ") == 3 * ARTICLES
    assert "warning: re-quoted attribute values" in result.stderr
    again = CliRunner().invoke(cli, ["--project", str(root), "extract", "-j", "2"])
    assert again.stdout == f"{3 * ARTICLES} file(s) unchanged\n"
    bad = CliRunner().invoke(cli, ["--project", str(root), "extract", "--jobs", "0"])
    assert bad.exit_code == 2


def test_unusable_article_stops_workers_with_nothing_written(tmp_path):
    root = make_project(tmp_path / "p", glossary=False)
    (root / "source" / "story-79.txt").write_bytes("Headline\nCaf\u00e9 society.\n".encode("latin-1"))
    result = CliRunner().invoke(cli, ["--project", str(root), "extract", "--jobs", "2"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: source/story-79.txt:2: not valid UTF-8: byte 0xe9 at byte offset 12; "
                             "save the file as UTF-8\n")
    assert result.stdout == ""  # no repair printed, nothing written
    assert not [p for p in (root / "locales").rglob("*") if p.is_file()]  # temporary files removed too
