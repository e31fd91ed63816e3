#!/usr/bin/env python3
"""Extraction benchmark: newsloc against translate-toolkit's txt2po and html2po.

Run by hand from the repository root (it reads ../shared/ for source texts):

    .venv/bin/python benchmarks/extract.py [--articles 2000]

It builds a corpus of articles by recombining the paragraphs of the shipped
article and the English texts of ../shared/eval/segmentation/, writes each
article as .txt (one paragraph per line, blank lines between, which both
newsloc and txt2po read) and as .html, then runs, one after the other in
this one process's children:

* ``newsloc extract`` (sentence level, templates only, and again with the
  shipped glossary so glossary matching is included),
* ``txt2po -P`` (paragraph level) on the same .txt files,
* ``html2po -P`` (paragraph level) on the same .html files,

and prints throughput (articles/s, MB/s) side by side with ratios, and the
peak memory of each child.  newsloc is also run on corpora of growing size to
show that its peak memory stays flat (articles are streamed).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "eval" / "segmentation"
BIN = Path(sys.executable).parent


def paragraph_pool() -> list[str]:
    article = (REPO / "source" / "the-friend-of-my-enemy.txt").read_text(encoding="utf-8").splitlines()
    pool = [line for line in article[1:] if line.strip()]
    for name in ("golden_en.jsonl", "sentencex_en.jsonl", "syntok_en.jsonl"):
        path = SHARED / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            text = " ".join(text.split())
            if len(text) > 40:
                pool.append(text)
    return pool


def build_corpus(folder: Path, count: int, seed: int = 7) -> int:
    """Write `count` articles as source/*.txt and html/*.html; return total .txt bytes."""
    rng = random.Random(seed)
    pool = paragraph_pool()
    headlines = [p.split(".")[0][:80] for p in pool]
    (folder / "source").mkdir(parents=True)
    (folder / "html").mkdir()
    (folder / "locales").mkdir()
    total = 0
    for index in range(count):
        headline = f"{rng.choice(headlines)} ({index})"
        paragraphs = rng.sample(pool, rng.randint(4, 9))
        txt = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / "source" / f"a{index:05d}.txt").write_text(txt, encoding="utf-8")
        body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
        page = f"<!DOCTYPE html>\n<html><body>\n<h1>{html.escape(headline)}</h1>\n{body}</body></html>\n"
        (folder / "html" / f"a{index:05d}.html").write_text(page, encoding="utf-8")
        total += len(txt.encode("utf-8"))
    return total


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS in MiB) of that child alone."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=open(os.environ["BENCH_DEBUG"], "w") if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        size = build_corpus(root, args.articles)
        mb = size / 1e6
        print(f"corpus: {args.articles} articles, {mb:.2f} MB of text\n")
        runs = {}
        newsloc = [str(BIN / "newsloc"), "--project", str(root), "extract"]
        runs["newsloc extract (sentences)"] = timed(newsloc, root)
        # The same with two locale catalogs each, without and with the glossary,
        # to show what glossary matching costs.
        for name, with_glossary in (("newsloc +ru +hy catalogs", False), ("newsloc +ru +hy +glossary", True)):
            shutil.rmtree(root / "locales")
            for code in ("ru", "hy"):
                (root / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
            if with_glossary:
                shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
            runs[name] = timed(newsloc, root)
        (root / "glossary.yaml").unlink()
        runs["txt2po -P (paragraphs)"] = timed(
            [str(BIN / "txt2po"), "-P", "--progress=none", "-i", "source", "-o", "out-txt2po"], root)
        runs["html2po -P (paragraphs)"] = timed(
            [str(BIN / "html2po"), "-P", "--progress=none", "-i", "html", "-o", "out-html2po"], root)
        html_seconds = runs["html2po -P (paragraphs)"][0]
        print(f"{'tool':30} {'seconds':>8} {'articles/s':>11} {'MB/s':>7} {'peak MiB':>9} {'vs html2po':>10}")
        for name, (seconds, peak) in runs.items():
            print(f"{name:30} {seconds:8.2f} {args.articles / seconds:11.0f} {mb / seconds:7.2f} "
                  f"{peak:9.0f} {html_seconds / seconds:9.2f}x")

        print("\nnewsloc peak memory as the corpus grows (streamed articles):")
        for count in (args.articles // 4, args.articles // 2, args.articles):
            sub = Path(tmp) / f"grow{count}"
            build_corpus(sub, count)
            seconds, peak = timed([str(BIN / "newsloc"), "--project", str(sub), "extract"], sub)
            print(f"  {count:6d} articles: {seconds:6.2f} s, peak {peak:5.0f} MiB")


if __name__ == "__main__":
    main()
