#!/usr/bin/env python3
"""Build benchmark: ``newsloc build`` against translate-toolkit's ``po2html``.

Run by hand from the repository root:

    .venv/bin/python benchmarks/build.py [--articles 2000] [--locale en_GB]

Corpus: the extraction benchmark's (``benchmarks/extract.py``: articles
recombined from paragraphs of the shipped article and other English texts).
Its raw HTML copies carry the shipped article's broken markup (typographic
quotes around attribute values, unclosed links), on which po2html gives up
for some files, so both tools get the same *well-formed* HTML instead: each
article as newsloc reads it (markup repaired), written once as
``source/<name>.html``.  ``newsloc build`` reads these files as its sources
and ``po2html`` uses the very same files as its templates.  Catalogs are filled by
copying the source to the target (msgstr = msgid), as a complete translation
would be, so every edition passes the publication policy.  The target locale
defaults to ``en_GB``: a copied English sentence passes every check there,
whereas in ``ru`` the "same as source" check, and in ``de`` the number-format
and sentence-count checks, would (rightly) block most editions.

Each tool gets its own catalogs of the same articles, made by its own
extractor (``newsloc extract`` at sentence level; ``html2po`` at its default
block level), so each looks up exactly what it extracted.  Then, timed, one
after the other as children of this process:

* ``newsloc build --locale L``: per article, re-read and segment the source,
  look every segment up, sanitise it against its source markup, run all the
  checks of ``newsloc check``, and write the source and translated editions
  (index.html with the stylesheet embedded, article.txt, .mo, bundle.json) and the
  edition index;
* ``po2html -t html -i po -o out``: per article, merge the catalog into the
  HTML template.

It prints seconds, articles/s and peak memory (RSS of each child, from
``wait4``) and the ratio newsloc/po2html in throughput.  The goal is >= 2x.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _extract_benchmark():
    """benchmarks/extract.py as a module (its corpus builder is reused)."""
    spec = importlib.util.spec_from_file_location("extract_benchmark", Path(__file__).with_name("extract.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS in MiB of that child alone).

    Fails on a non-zero exit and on po2html's per-file "Error processing"
    warnings (po2html exits 0 when it gives up on a file).
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")
        if os.waitstatus_to_exitcode(status) != 0 or "Error processing" in text:
            raise SystemExit(f"command failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}\n"
                             f"{text[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def breakdown(root: Path, locale: str) -> list[tuple[str, float]]:
    """Seconds spent in-process by the main stages of a build (warm imports), and the whole."""
    sys.path.insert(0, str(REPO / "src"))
    from newsloc.bundle import build_project
    from newsloc.check import check_catalog
    from newsloc.pofile import load_po
    from newsloc.project import Project

    project = Project(root)
    paths = project.article_paths()
    stages = []
    start = time.perf_counter()
    for path in paths:
        project.read_article(path)
    stages.append(("read + segment sources", time.perf_counter() - start))
    start = time.perf_counter()
    catalogs = [(project.po_path(project.slug_for(p), locale), None) for p in paths]
    catalogs = [(path, load_po(path).po) for path, _ in catalogs]
    stages.append(("parse catalogs", time.perf_counter() - start))
    start = time.perf_counter()
    for path, po in catalogs:
        check_catalog(po, path, locale, "en", None)
    stages.append(("checks", time.perf_counter() - start))
    start = time.perf_counter()
    build_project(project, locales=[locale], out="dist-breakdown")
    stages.append(("whole build, in-process", time.perf_counter() - start))
    return stages


def well_formed_html(root: Path) -> int:
    """Replace source/*.txt by well-formed source/*.html (same text); return total bytes."""
    sys.path.insert(0, str(REPO / "src"))
    from newsloc.project import Project

    project = Project(root)
    total = 0
    for path in project.article_paths():
        article = project.read_article(path)
        body = "".join(f"<{b.tag}>{b.join()}</{b.tag}>\n" for b in article.blocks if b.segments)
        page = (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title></title></head>\n"
                f"<body>\n<h1>{article.headline.join()}</h1>\n{body}</body>\n</html>\n")
        data = page.encode("utf-8")
        path.with_suffix(".html").write_bytes(data)
        path.unlink()
        total += len(data)
    return total


def copy_source_to_target(paths: list[Path]) -> int:
    """msgstr = msgid in every entry (a 'complete translation'); returns entries filled."""
    sys.path.insert(0, str(REPO / "src"))
    from newsloc import pofile

    filled = 0
    for path in paths:
        if path.suffix == ".po" and path.parent.name == "LC_MESSAGES":
            loaded = pofile.load_po(path)  # newsloc's catalogs go through newsloc's writer
            for entry in loaded.po:
                entry.msgstr = entry.msgid
                filled += 1
            pofile.save_po(loaded.po, path, loaded.stamp)
        else:
            po = polib.pofile(str(path))
            for entry in po:
                entry.msgstr = entry.msgid
                filled += 1
            po.save(str(path))
    return filled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--locale", default="en_GB")
    parser.add_argument("--tmp", type=Path, default=None,
                        help="Folder for the corpus (default: the system's; e.g. /dev/shm for a RAM disk).")
    args = parser.parse_args()
    corpus = _extract_benchmark()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        root = Path(tmp) / "corpus"
        corpus.build_corpus(root, args.articles)
        shutil.rmtree(root / "html")  # the raw HTML copies: not used (see the docstring)
        size = well_formed_html(root)
        mb = size / 1e6
        (root / "locales" / args.locale / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        print(f"corpus: {args.articles} articles, {mb:.2f} MB of HTML, locale {args.locale}, in {root}")

        # Untimed setup: each tool's own catalogs, filled by copying source to target.
        run([str(BIN / "newsloc"), "--project", str(root), "extract", "--locale", args.locale], root)
        run([str(BIN / "html2po"), "--progress=none", "-i", "source", "-o", "po-html"], root)
        ours = sorted((root / "locales" / args.locale / "LC_MESSAGES").glob("*.po"))
        theirs = sorted((root / "po-html").glob("*.po"))
        filled = copy_source_to_target(ours), copy_source_to_target(theirs)
        print(f"catalogs: newsloc {len(ours)} ({filled[0]} sentence entries), "
              f"po2html {len(theirs)} ({filled[1]} block entries)\n")

        runs = {
            "newsloc build": run([str(BIN / "newsloc"), "--project", str(root), "build",
                                  "--locale", args.locale, "--out", "dist"], root),
            "po2html": run([str(BIN / "po2html"), "--progress=none", "-t", "source", "-i", "po-html",
                            "-o", "out-po2html"], root),
        }
        built = len(list((root / "dist").glob(f"*/{args.locale}/index.html")))
        merged = len(list((root / "out-po2html").glob("*.html")))
        if built != args.articles or merged != args.articles:
            raise SystemExit(f"incomplete output: newsloc {built}, po2html {merged} of {args.articles}")

        base = runs["po2html"][0]
        print(f"{'tool':16} {'seconds':>8} {'articles/s':>11} {'MB/s':>7} {'peak MiB':>9} {'vs po2html':>11}")
        for name, (seconds, peak) in runs.items():
            print(f"{name:16} {seconds:8.2f} {args.articles / seconds:11.0f} {mb / seconds:7.2f} "
                  f"{peak:9.0f} {base / seconds:10.2f}x")
        ratio = base / runs["newsloc build"][0]
        print(f"\nnewsloc build throughput = {ratio:.2f}x po2html (goal >= 2x): "
              f"{'met' if ratio >= 2 else 'NOT met'}")

        print("\nwhere newsloc build spends its time (in-process, same corpus):")
        stages = breakdown(root, args.locale)
        whole = stages[-1][1]
        for name, seconds in stages:
            print(f"  {name:26} {seconds:7.2f} s {1000 * seconds / args.articles:7.2f} ms/article "
                  f"{100 * seconds / whole:5.0f}%")


if __name__ == "__main__":
    main()
