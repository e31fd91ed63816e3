#!/usr/bin/env python3
"""Build benchmark: ``newsloc build`` against translate-toolkit's ``po2html``.

Run by hand from the repository root:

    .venv/bin/python benchmarks/build.py [--articles 2000] [--locale en_GB] [--repeat 3] [--tmp /dev/shm]

Corpus: the extraction benchmark's (``benchmarks/extract.py``: articles
recombined from paragraphs of the shipped article and other English texts;
paragraphs recur across articles, so sentences do too: the script prints how
many entries are distinct).  Its raw HTML copies carry the shipped article's
broken markup (typographic quotes around attribute values, unclosed links), on
which po2html gives up for some files, so both tools get the same
*well-formed* HTML instead: each article as newsloc reads it (markup
repaired), written once as ``source/<name>.html``.  ``newsloc build`` reads
these files as its sources and ``po2html`` uses the very same files as its
templates.  Catalogs are filled by copying the source to the target (msgstr =
msgid), as a complete translation would be, so every edition passes the
publication policy.  The target locale defaults to ``en_GB``: a copied English
sentence passes every check there, whereas in ``ru`` the "same as source"
check, and in ``de`` the number-format and sentence-count checks, would
(rightly) block most editions.

Each tool gets its own catalogs of the same articles, made by its own
extractor (``newsloc extract`` at sentence level; ``html2po`` at its default
block level), so each looks up exactly what it extracted.  Then, timed, as
children of this process, alternating, ``--repeat`` times each (medians
reported; every run writes into a new folder, after an untimed ``sync``):

* ``newsloc build --locale L``: per article, read and segment the source, parse
  the catalog, look every sentence up and sanitise it against its source
  markup (nh3), run all 15 per-entry checks of ``newsloc check`` on every entry, apply
  the publication policy, and write a complete edition set: the translated
  and the source edition (index.html with the stylesheet embedded,
  article.txt, bundle.json, and the .mo for the translation) plus the
  editions index: 8 files and 3 folders per article.  By default worker
  processes (one per CPU) check and render while the main process writes.
* ``newsloc build --jobs 1``: the same, in one process.
* ``po2html -t source -i po -o out``: per article, parse the catalog and the
  HTML template and write the merged page: 1 file per article, no checks.
* ``newsloc rebuild``: ``newsloc build`` again into the folder of that round's
  first build, as an editor's next build does: the same work, but every file is
  compared with the one on disk and only those that changed are written (here
  the two ``bundle.json`` per article, whose build time changes).

It prints seconds, articles/s, peak memory and the ratio newsloc/po2html in
throughput (the goal is >= 2x).  Peak memory: the largest sum of resident
memory over the command's whole process tree (the main process and its
workers; sampled every 10 ms from /proc), so workers are not left out.  It is
taken in one more run of each command: the timed runs are not sampled, as
reading /proc takes CPU time from the command measured (more from newsloc's
two busy workers than from po2html, which leaves a core free).

Then, in this process and in one process (``jobs=1``), where the time of a
build goes, per article, and a clearly labelled like-for-like figure:
newsloc's share of the work po2html does (read and segment the source, parse
the catalog, look up and sanitise, render and write one page), against
po2html's whole run per article.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _use_newsloc() -> None:
    """Import newsloc as the children do (the installed one, or PYTHONPATH's); else this checkout's."""
    if importlib.util.find_spec("newsloc") is None:
        sys.path.insert(0, str(REPO / "src"))


def _extract_benchmark():
    """benchmarks/extract.py as a module (its corpus builder is reused)."""
    spec = importlib.util.spec_from_file_location("extract_benchmark", Path(__file__).with_name("extract.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree_memory(pid: int, pss: bool) -> int:
    """RSS (or, slower to read, PSS) in KiB summed over ``pid`` and its descendants (0 once gone).

    RSS counts the pages a forked worker shares with its parent once in each
    process (an upper bound); PSS divides shared pages among their users.
    """
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            if pss:
                with open(f"/proc/{current}/smaps_rollup") as handle:
                    total += sum(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
            else:
                with open(f"/proc/{current}/statm") as handle:
                    total += int(handle.read().split()[1]) * PAGE_KIB
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(cmd: list[str], cwd: Path, memory: bool = False) -> tuple[float, float, float]:
    """Run a command; return (seconds, peak RSS MiB, peak PSS MiB) of its process tree.

    With ``memory``, memory is sampled (sums over the main process and its
    workers): RSS every 10 ms, PSS every 100 ms (reading it costs about 0.6 ms
    per process).  Sampling takes CPU time from the measured command, more for
    a tree of processes that keeps every core busy than for one process, so
    timed runs do without it and memory comes from separate runs.
    Fails on a non-zero exit and on po2html's per-file "Error processing"
    warnings (po2html exits 0 when it gives up on a file).
    """
    peak = [0, 0]
    done = threading.Event()

    def sample(pid: int) -> None:
        tick = 0
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory(pid, pss=False))
            if tick % 10 == 5:
                peak[1] = max(peak[1], _tree_memory(pid, pss=True))
            tick += 1
            done.wait(0.01)

    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = threading.Thread(target=sample, args=(process.pid,), daemon=True)
        if memory:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        done.set()
        if memory:
            sampler.join()
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")
        if os.waitstatus_to_exitcode(status) != 0 or "Error processing" in text:
            raise SystemExit(f"command failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}\n"
                             f"{text[-2000:]}")
    # ru_maxrss: the largest single process of the tree (a floor if sampling missed a peak)
    return elapsed, max(peak[0], usage.ru_maxrss) / 1024, peak[1] / 1024


# -- where the time goes ----------------------------------------------------------------
STAGES = {  # newsloc.bundle function -> stage (self time: nested stages are subtracted)
    "load_catalog": "parse catalog (newsloc.pofile)",
    "_run_checks": "checks (15 per entry)",
    "_plan_translation": "look up + sanitise (translation)",
    "_plan_source": "sanitise (source edition)",
    "publication_date": "publication date (POT header)",
    "_render_page": "render 2 pages (Jinja2)",
    "_index_page": "render editions index",
    "_manifest": "manifests + JSON",
    "_json": "manifests + JSON",
    "_article_text": "article.txt",
    "_mo_bytes": ".mo",
    "_write_article": "write 8 files, 3 folders",
}


def breakdown(root: Path, locale: str, articles: int) -> tuple[dict[str, float], float]:
    """Seconds per stage of an in-process, one-process build (warm imports), and the total."""
    _use_newsloc()
    from newsloc import bundle
    from newsloc.project import Project

    seconds: dict[str, float] = collections.Counter()
    stack: list[float] = []

    def timed(name, func):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            stack.append(0.0)
            try:
                return func(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                seconds[name] += spent - stack.pop()
                if stack:
                    stack[-1] += spent
        return wrapper

    saved = {name: getattr(bundle, name) for name in STAGES}
    for name, stage in STAGES.items():
        setattr(bundle, name, timed(stage, saved[name]))
    project = Project(root)
    read_article = project.read_article
    project.read_article = timed("read + segment source (newsloc.articles)", read_article)
    try:
        start = time.perf_counter()
        bundle.build_project(project, locales=[locale], out="dist-breakdown", jobs=1)
        total = time.perf_counter() - start
    finally:
        for name, func in saved.items():
            setattr(bundle, name, func)
    seconds["other (policy, links, paths, results)"] = total - sum(seconds.values())
    return dict(seconds), total


# -- corpus ---------------------------------------------------------------------------------
def well_formed_html(root: Path) -> int:
    """Replace source/*.txt by well-formed source/*.html (same text); return total bytes."""
    _use_newsloc()
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


_TEXT_OR_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)|([^<&]+)")
# A plain lower-case word of 4+ letters standing alone (not part of a URL, a number or a name).
_PLAIN_WORD = re.compile(r"(?<![^\s(\"“‘])([a-z])([a-z]{3,})(?=[,.;:!?)\"”’]*(?:\s|$))")


def altered(msgid: str) -> str:
    """A stand-in translation that differs from its source, as a real one does: in every plain
    lower-case word of 4+ letters outside tags, all letters but the first upper-cased
    ("really" -> "rEALLY").  Markup, URLs, numbers, punctuation and the letters that sentence
    segmentation looks at are unchanged, so every check does its full work, yet passes."""
    return _TEXT_OR_MARKUP.sub(
        lambda m: m.group(1) or _PLAIN_WORD.sub(lambda w: w.group(1) + w.group(2).upper(), m.group(2)), msgid)


FILLS = {"copy": lambda msgid: msgid, "altered": altered}
FILL_TEXT = {
    "copy": "msgstr = msgid (checks can tell at once that a copy has nothing to find)",
    "altered": "msgstr = msgid with plain words altered (really -> rEALLY): every check does its full work",
}


def copy_source_to_target(paths: list[Path], fill=FILLS["copy"]) -> tuple[int, int]:
    """msgstr = fill(msgid) in every entry (a 'complete translation'); returns (entries, distinct msgids)."""
    _use_newsloc()
    from newsloc import pofile

    filled, distinct = 0, set()
    for path in paths:
        if path.suffix == ".po" and path.parent.name == "LC_MESSAGES":
            loaded = pofile.load_po(path)  # newsloc's catalogs go through newsloc's writer
            po = loaded.po
        else:
            po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = fill(entry.msgid)
            filled += 1
            distinct.add(entry.msgid)
        if path.suffix == ".po" and path.parent.name == "LC_MESSAGES":
            pofile.save_po(po, path, loaded.stamp)
        else:
            po.save(str(path))
    return filled, len(distinct)


def files_and_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def timed_table(root: Path, args, mb: float, cpus: int, ours: list[Path], theirs: list[Path], fill: str) -> float:
    """Fill both tools' catalogs with ``fill``, time the commands, print the table; po2html's seconds."""
    (ours_n, ours_distinct), (theirs_n, _) = (copy_source_to_target(ours, FILLS[fill]),
                                             copy_source_to_target(theirs, FILLS[fill]))
    print(f"\nfill {fill!r}: {FILL_TEXT[fill]}")
    print(f"catalogs: newsloc {len(ours)} ({ours_n} sentence entries, {ours_distinct} distinct), "
          f"po2html {len(theirs)} ({theirs_n} block entries)")
    print(f"{cpus} CPUs; before: {load()}\n")
    commands = {
        "newsloc build": lambda out: [str(BIN / "newsloc"), "--project", str(root), "build",
                                      "--locale", args.locale, "--out", out],
        "newsloc build --jobs 1": lambda out: [str(BIN / "newsloc"), "--project", str(root), "build",
                                               "--locale", args.locale, "--out", out, "--jobs", "1"],
        "po2html": lambda out: [str(BIN / "po2html"), "--progress=none", "-t", "source", "-i", "po-html",
                                "-o", out],
        # Again into the first command's folder of the same round: what an editor's next build
        # after translation changes does (every file compared, only changed ones written).
        "newsloc rebuild": lambda out: [str(BIN / "newsloc"), "--project", str(root), "build",
                                        "--locale", args.locale, "--out", out],
    }
    rebuilds = {"newsloc rebuild": 0}  # command -> the command whose output folder it builds into
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    written = {}
    for repeat in range(args.repeat):
        for number, (name, command) in enumerate(commands.items()):
            # A new folder every run: deleting the previous output (and, on a disk mounted
            # with "discard", trimming it) would slow down whichever command runs next.
            # (each fill's own folders: a fresh build, not a rebuild, unless it is the rebuild)
            out = root / f"out-{fill}-{repeat}-{rebuilds.get(name, number)}"
            os.sync()  # the previous runs' writes are on disk before this one starts
            samples[name].append(run(command(str(out)), root))
            if name.startswith("newsloc"):
                built = len(list(out.glob(f"*/{args.locale}/index.html")))
            else:
                built = len(list(out.glob("*.html")))
            if built != args.articles:
                raise SystemExit(f"incomplete output: {name} wrote {built} of {args.articles} pages")
            written[name] = files_and_bytes(out)

    peaks = {}
    for number, (name, command) in enumerate(commands.items()):  # one more run each, for memory
        os.sync()
        _, rss, pss = run(command(str(root / f"out-{fill}-memory-{rebuilds.get(name, number)}")), root,
                          memory=True)
        peaks[name] = (max([rss] + [r for _, r, _ in samples[name]]), pss)
    medians = {name: (statistics.median(s for s, _, _ in runs), *peaks[name]) for name, runs in samples.items()}
    base = medians["po2html"][0]
    print(f"{'tool':24} {'seconds':>8} {'articles/s':>11} {'MB/s':>6} {'files':>6} {'MB out':>7} "
          f"{'peak RSS':>9} {'peak PSS':>9} {'vs po2html':>11}")
    for name, (seconds, rss, pss) in medians.items():
        files, size_out = written[name]
        print(f"{name:24} {seconds:8.2f} {args.articles / seconds:11.0f} {mb / seconds:6.2f} "
              f"{files:6d} {size_out / 1e6:7.1f} {rss:5.0f} MiB {pss:5.0f} MiB {base / seconds:10.2f}x")
    print(f"(median of {args.repeat} runs each, alternating; every run: "
          + ", ".join(f"{name} {' '.join(f'{s:.2f}' for s, _, _ in runs)}" for name, runs in samples.items())
          + "; peak memory: from one more run of each, sampled, summed over the process tree)")
    ratio = base / medians["newsloc build"][0]
    print(f"\nnewsloc build throughput = {ratio:.2f}x po2html (goal >= 2x), fill {fill!r}: "
          f"{'met' if ratio >= 2 else 'NOT met'}")
    print(f"after: {load()}")
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--locale", default="en_GB")
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each command (median reported).")
    parser.add_argument("--fill", choices=["copy", "altered", "both"], default="both",
                        help="how the catalogs are filled (see FILL_TEXT); both: one table each")
    parser.add_argument("--tmp", type=Path, default=None,
                        help="Folder for the corpus (default: the system's; e.g. /dev/shm for a RAM disk).")
    args = parser.parse_args()
    corpus = _extract_benchmark()
    corpus.byte_compile_newsloc()  # as pip does for translate-toolkit (see benchmarks/extract.py)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        root = Path(tmp) / "corpus"
        corpus.build_corpus(root, args.articles)
        shutil.rmtree(root / "html")  # the raw HTML copies: not used (see the docstring)
        size = well_formed_html(root)
        mb = size / 1e6
        (root / "locales" / args.locale / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        cpus = len(os.sched_getaffinity(0))
        print(f"corpus: {args.articles} articles, {mb:.2f} MB of HTML, locale {args.locale}, in {root}")

        # Untimed setup: each tool's own catalogs.
        run([str(BIN / "newsloc"), "--project", str(root), "extract", "--locale", args.locale], root)
        run([str(BIN / "html2po"), "--progress=none", "-i", "source", "-o", "po-html"], root)
        ours = sorted((root / "locales" / args.locale / "LC_MESSAGES").glob("*.po"))
        theirs = sorted((root / "po-html").glob("*.po"))
        fills = ["copy", "altered"] if args.fill == "both" else [args.fill]
        for fill in fills:
            base = timed_table(root, args, mb, cpus, ours, theirs, fill)

        print(f"\nwhere a newsloc build spends its time (in this process, --jobs 1, {args.articles} articles):")
        os.sync()  # (outputs are deleted only at the end: deleting, and trimming, slows file creation)
        stages, whole = breakdown(root, args.locale, args.articles)
        for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
            print(f"  {name:40} {1000 * seconds / args.articles:6.3f} ms/article {100 * seconds / whole:4.0f}%")
        print(f"  {'whole build':40} {1000 * whole / args.articles:6.3f} ms/article")
        # Like for like (an estimate, labelled as such): what newsloc spends on po2html's job.
        page_share = (stages["read + segment source (newsloc.articles)"] + stages["parse catalog (newsloc.pofile)"]
                      + stages["look up + sanitise (translation)"] + stages["render 2 pages (Jinja2)"] / 2
                      + stages["write 8 files, 3 folders"] / 8)
        per_page = 1000 * page_share / args.articles
        theirs_per_page = 1000 * base / args.articles
        print(f"\nlike for like, ESTIMATE (in-process stage times, no start-up): newsloc's share of po2html's job "
              f"(read + segment, parse catalog, look up + sanitise, render 1 page, write 1 file) "
              f"{per_page:.3f} ms/article vs po2html's whole run {theirs_per_page:.3f} ms/article "
              f"= {theirs_per_page / per_page:.2f}x")


if __name__ == "__main__":
    main()
