"""`newsloc glossary check|suggest|export|import`, and a bad glossary stopping extraction."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsloc.cli import cli
from newsloc.glossary import load_glossary

REPO = Path(__file__).resolve().parent.parent
SLUG = "the-friend-of-my-enemy"


def run(project_dir: Path, *args: str, code: int = 0):
    result = CliRunner().invoke(cli, ["--project", str(project_dir), *args])
    assert result.exit_code == code, result.output
    return result


def test_check_ok(glossary_project_dir):
    result = run(glossary_project_dir, "glossary", "check")
    assert "glossary.yaml: 22 terms, targets for hy, ru: OK" in result.output


def test_check_warns_about_a_locale_without_targets(glossary_project_dir):
    (glossary_project_dir / "locales" / "de" / "LC_MESSAGES").mkdir(parents=True)
    result = run(glossary_project_dir, "glossary", "check")
    assert "warning: term 'csto' has no target for locale 'de'" in result.output


BAD = {
    "syntax": ("version: 1\nterms:\n  - id: x\n    sources: [X\n", 5, "YAML syntax error"),
    "python-object": ("version: 1\nterms:\n  - !!python/object:os.system {}\n", 3, "!!python/object:os.system"),
    "alias-bomb": ("a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nversion: 1\nterms: *b\n",
                   2, "alias"),
    "wrong-type": ("version: 1\nterms:\n  - {id: x, kind: place, sources: X}\n", 3, "sources must be a list"),
    "no-source": ("version: 1\nterms:\n  - {id: x, kind: place}\n", 3, "no source form"),
    "locale-not-configured": (
        "version: 1\nterms:\n  - id: x\n    kind: place\n    sources: [X]\n    targets:\n      de: Ix\n",
        7, "locale 'de', which is not configured"),
    # a NUL written as a YAML escape (a raw NUL byte is refused by the YAML reader)
    "nul-escape": ("version: 1\nterms:\n  - id: x\n    kind: place\n    sources: [X]\n    targets:\n"
                   "      ru: {agreed: \"Ик\\0с\"}\n", 7, "U+0000"),
    "no-version": ("# a glossary\n\nterms: []\n", 1, "no version: add `version: 1`"),
    "version-string": ("# a glossary\nversion: '1'\nterms: []\n", 2, "supported glossary version: 1"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_glossary_check_and_extract(project_dir, case):
    text, line, words = BAD[case]
    (project_dir / "glossary.yaml").write_text(text, encoding="utf-8")
    result = run(project_dir, "glossary", "check", code=1)
    assert f"glossary.yaml:{line}: " in result.output and words in result.output
    # extraction refuses too, and writes no catalog
    result = run(project_dir, "extract", code=1)
    assert f"glossary.yaml:{line}: " in result.output
    assert not list((project_dir / "locales").rglob("*.po*"))


def test_check_without_glossary(project_dir):
    result = run(project_dir, "glossary", "check", code=1)
    assert "glossary.yaml: no such glossary file" in result.output


def test_suggest_without_and_with_glossary(project_dir):
    result = run(project_dir, "glossary", "suggest", "--json")
    rows = {row["text"]: row for row in json.loads(result.output)}
    for name in ("CSTO", "Lukashenka", "Pashinyan", "Aliyev", "Nagorno-Karabakh"):
        assert name in rows
    assert rows["CSTO"]["location"] == f"source/{SLUG}.txt:3"
    text = run(project_dir, "glossary", "suggest", "--limit", "2").output.splitlines()
    assert len(text) == 2 and "Armenia" in text[0]
    shutil.copy(REPO / "glossary.yaml", project_dir / "glossary.yaml")
    assert "no candidates" in run(project_dir, "glossary", "suggest").output


def test_export_import_round_trip(glossary_project_dir, tmp_path):
    stdout = run(glossary_project_dir, "glossary", "export", "--format", "tbx").stdout_bytes
    tbx = tmp_path / "glossary.tbx"
    run(glossary_project_dir, "glossary", "export", "--format", "tbx", "-o", str(tbx))
    assert tbx.read_bytes() == stdout
    # importing over the project's glossary needs --replace
    result = run(glossary_project_dir, "glossary", "import", str(tbx), code=1)
    assert "glossary.yaml: the file exists; pass --replace to overwrite it, or -o to write another" in result.output
    out = tmp_path / "imported.yaml"
    assert "(22 terms)" in run(glossary_project_dir, "glossary", "import", str(tbx), "-o", str(out)).output
    assert load_glossary(out) == load_glossary(glossary_project_dir / "glossary.yaml")
    run(glossary_project_dir, "glossary", "import", str(tbx), "--replace")
    assert load_glossary(glossary_project_dir / "glossary.yaml") == load_glossary(out)


def test_import_of_a_bad_tbx_writes_nothing(project_dir, tmp_path):
    bad = tmp_path / "bad.tbx"
    bad.write_text("<martif>\n<text><body>\n<termEntry id='x'>\n", encoding="utf-8")
    result = run(project_dir, "glossary", "import", str(bad), code=1)
    assert "bad.tbx:4: XML syntax error" in result.output
    assert not (project_dir / "glossary.yaml").exists()


def test_extract_writes_glossary_notes(glossary_project_dir):
    run(glossary_project_dir, "extract")
    po = (glossary_project_dir / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po").read_text(encoding="utf-8")
    assert "#. Glossary: CSTO → ОДКБ (organisation)" in po
    assert "#. Glossary: Nikol Pashinyan → Никол Пашинян (person) — Prime Minister of Armenia." in po
    hy = (glossary_project_dir / "locales" / "hy" / "LC_MESSAGES" / f"{SLUG}.po").read_text(encoding="utf-8")
    assert "#. Glossary: CSTO → ՀԱՊԿ (organisation)" in hy


def test_reextraction_after_a_glossary_change_only_updates_the_notes(glossary_project_dir):
    import difflib

    run(glossary_project_dir, "extract")
    po_path = glossary_project_dir / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"
    before = po_path.read_text(encoding="utf-8")
    hy_path = glossary_project_dir / "locales" / "hy" / "LC_MESSAGES" / f"{SLUG}.po"
    hy_before = hy_path.read_bytes()
    glossary = glossary_project_dir / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "      ru:\n        agreed: ОДКБ\n" in text
    glossary.write_text(text.replace("      ru:\n        agreed: ОДКБ\n", "      ru:\n        agreed: ОДКБ-new\n"),
                        encoding="utf-8")
    run(glossary_project_dir, "extract")
    after = po_path.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed and all("Glossary: CSTO → ОДКБ" in line for line in changed), changed
    assert sum(line.startswith("+") for line in changed) == 5  # the five entries that mention CSTO
    assert hy_path.read_bytes() == hy_before  # other locales untouched


@pytest.mark.parametrize("command", [["export", "--format", "tbx", "-o"], ["import", "g.tbx", "--replace", "-o"]])
def test_a_pipe_is_not_replaced_by_a_written_glossary(glossary_project_dir, command):
    runner = CliRunner()
    assert runner.invoke(cli, ["--project", str(glossary_project_dir), "glossary", "export", "--format", "tbx",
                               "-o", str(glossary_project_dir / "g.tbx")]).exit_code == 0
    pipe = glossary_project_dir / "pipe"
    os.mkfifo(pipe)
    args = [str(glossary_project_dir / a) if a == "g.tbx" else a for a in command]
    result = runner.invoke(cli, ["--project", str(glossary_project_dir), "glossary", *args, str(pipe)])
    assert result.exit_code == 1
    assert "cannot write the glossary there: it is not a regular file (a device or a pipe)" in result.output
    assert pipe.is_fifo()
