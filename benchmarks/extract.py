#!/usr/bin/env python3
"""Extraction benchmark: newsloc against translate-toolkit's txt2po and html2po.

Run by hand from the repository root (it reads ../shared/ for source texts):

    .venv/bin/python benchmarks/extract.py [--articles 2000] [--rounds 3] [--dir DIR]

The corpus
    ``--articles`` articles made by recombining the paragraphs of the shipped
    article and the English texts of ../shared/eval/segmentation/, each
    written as ``source/*.txt`` (headline, then one paragraph per line with
    blank lines between: newsloc and txt2po both read it) and as
    ``html/*.html`` for html2po.  The .txt files keep the shipped article's
    broken markup (typographic quotes in attributes, unclosed ``<a>``), which
    newsloc repairs.  html2po aborts on such a file and writes an empty
    template (it did on 144 of 2,000), which would flatter it, so its .html
    files get the same paragraphs made well-formed by lxml's HTML parser;
    the benchmark checks that every template html2po writes is non-empty.

What is timed (the user's view)
    Each tool runs as its own CLI process on the same files, writing into a
    new folder of its own: ``newsloc extract`` (sentence level; templates
    only, then with ``ru`` and ``hy`` catalogs, then also with the shipped
    glossary; by default with one worker process per CPU, and with
    ``--jobs 1``), ``txt2po -P`` and ``html2po -P`` (``-P`` writes .pot
    templates; both extract one unit per paragraph).  After ``--warmup``
    untimed rounds every tool runs ``--rounds`` times, in a rotating order,
    and the table gives medians: wall time, CPU time (user + system, worker
    processes included), throughput and the ratio to html2po's median.
    newsloc's modules are byte-compiled first, as pip's were for
    translate-toolkit (see byte_compile_newsloc).

    Creating a file is kernel time that every tool pays once per output
    file, and on the development VM it is not a constant: ext4 without a
    journal does not reuse an inode deleted in the last 60-300 s and checks
    each such inode of the block group on every creation, so after many
    deletions nearby (test suites in /tmp, a benchmark clearing its outputs)
    creating a file took 400-1000 us instead of ~20 us, more than all of
    newsloc's own work on an article.  The benchmark therefore deletes
    nothing until it ends, prints what creating a file costs where it runs,
    and takes ``--dir`` to run elsewhere (a tmpfs such as /dev/shm takes the
    disk out of the comparison).

Memory
    Peak RSS of the largest process (its VmHWM) and the peak total PSS
    of the whole process tree (sampled every 10 ms from
    ``/proc/<pid>/smaps_rollup``; PSS counts pages a forked worker shares
    with its parent once).  newsloc is then run on corpora of growing size
    to show that memory stays flat (articles are streamed).

In-process breakdown
    Where newsloc's time goes per article (CPU, one process, no start-up),
    stage by stage, next to html2po's converter called in-process on the
    same files, and each tool's start-up time (``--version``).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "eval" / "segmentation"
BIN = Path(sys.executable).parent


# -- corpus ------------------------------------------------------------------
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


def well_formed(paragraph: str) -> str:
    """The paragraph as lxml's HTML parser reads and re-serialises it (inner HTML of a <p>)."""
    import lxml.html

    element = lxml.html.fragment_fromstring(paragraph, create_parent="p")
    inner = (element.text and html.escape(element.text, quote=False)) or ""
    return inner + "".join(lxml.html.tostring(child, encoding="unicode") for child in element)


def build_corpus(folder: Path, count: int, seed: int = 7, with_html: bool = True) -> int:
    """Write `count` articles as source/*.txt (and html/*.html); return total .txt bytes."""
    rng = random.Random(seed)
    pool = paragraph_pool()
    clean = {p: well_formed(p) for p in pool} if with_html else {}
    headlines = [p.split(".")[0][:80] for p in pool]
    (folder / "source").mkdir(parents=True)
    if with_html:
        (folder / "html").mkdir()
    total = 0
    for index in range(count):
        headline = f"{rng.choice(headlines)} ({index})"
        paragraphs = rng.sample(pool, rng.randint(4, 9))
        txt = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / "source" / f"a{index:05d}.txt").write_text(txt, encoding="utf-8")
        total += len(txt.encode("utf-8"))
        if with_html:
            body = "".join(f"<p>{clean[p]}</p>\n" for p in paragraphs)
            page = f"<!DOCTYPE html>\n<html><body>\n<h1>{html.escape(headline)}</h1>\n{body}</body></html>\n"
            (folder / "html" / f"a{index:05d}.html").write_text(page, encoding="utf-8")
    return total


def fresh_project(root: Path, name: str, codes: tuple[str, ...] = (), glossary: bool = False) -> Path:
    """A new newsloc project reading the corpus's source/ (a symlink) into its own new locales/."""
    folder = root / name
    folder.mkdir()
    (folder / "source").symlink_to(root / "source", target_is_directory=True)
    (folder / "locales").mkdir()
    for code in codes:
        (folder / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    if glossary:
        shutil.copy(REPO / "glossary.yaml", folder / "glossary.yaml")
    return folder


# -- measuring a child process ----------------------------------------------------
def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(child) for child in children)
    return pids


def _kib(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class Run:
    def __init__(self, wall: float, cpu: float, rss: float, pss: float):
        self.wall, self.cpu, self.rss, self.pss = wall, cpu, rss, pss


def timed(cmd: list[str], cwd: Path) -> Run:
    """Run a command; wall time, CPU time (its reaped children included), peak RSS and peak tree PSS (MiB).

    Peak RSS is each process's VmHWM, sampled: ``ru_maxrss`` would not do,
    because a child spawned with vfork keeps the high-water mark of the
    parent's memory (this benchmark's) across its exec.
    """
    debug = os.environ.get("BENCH_DEBUG")
    stderr = open(debug, "a") if debug else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
    peak = [0, 0]  # KiB: largest process's VmHWM, whole tree's PSS
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(process.pid)
            peak[0] = max([peak[0]] + [_kib(f"/proc/{pid}/status", "VmHWM:") for pid in pids])
            peak[1] = max(peak[1], sum(_kib(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if debug:
        stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, peak[0] / 1024, peak[1] / 1024)


def creation_cost(folder: Path, count: int = 300) -> float:
    """Microseconds to create (and close) one new empty file in a new folder under ``folder``.

    The probe files are left in place: on ext4 without a journal (the
    development VM), an inode deleted less than 60-300 s ago is not reused,
    and the allocator checks every such inode of the folder's block group
    on each creation.  After many deletions nearby (a benchmark that clears
    its outputs, test suites in /tmp) creating a file took 400-1000 us
    instead of ~20 us, which then dominated every tool's time.
    """
    probe = folder / "creation-probe"
    probe.mkdir()
    start = time.perf_counter()
    for index in range(count):
        os.close(os.open(probe / f"f{index}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    return (time.perf_counter() - start) * 1e6 / count


def startup(cmd: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- in-process breakdown ------------------------------------------------------
def newsloc_stages(root: Path) -> dict[str, float]:
    """CPU seconds per stage of newsloc's extraction of every article, templates only, in this process."""
    from newsloc import catalog, pofile
    from newsloc.articles import decode_article, parse_article
    from newsloc.project import Project
    from newsloc.segment import segment_article

    proj = Project(root)
    clock = time.process_time
    stages = dict.fromkeys(("read+decode", "parse (html.parser)", "segment (sentences)", "build template",
                            "format (msgcat layout)", "write (temp+rename)"), 0.0)
    now = catalog.po_date()
    wall_write = 0.0
    for path in proj.article_paths():
        t0 = clock()
        shown = proj.relative(path)
        text = decode_article(shown, pofile.read_bytes(path))
        t1 = clock()
        raw = parse_article(shown, text)
        t2 = clock()
        article = segment_article(raw)
        t3 = clock()
        template = catalog.build_template(article, now)
        t4 = clock()
        data = pofile.format_po(template).encode("utf-8")
        t5 = clock()
        # What pofile.stage_po + commit_staged do after formatting (a .pot: no fsync).
        w = time.perf_counter()
        target = proj.pot_path(article.slug)
        current = pofile.fingerprint(target)
        tmp = pofile._write_temp(target, data, fsync=False, exists=current != pofile.MISSING)
        pofile.commit_staged(pofile.StagedWrite(target, tmp, current, False))
        wall_write += time.perf_counter() - w
        t6 = clock()
        for key, a, b in zip(stages, (t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6)):
            stages[key] += b - a
    stages["write (temp+rename), wall"] = wall_write
    return stages


def html2po_in_process(root: Path, out: Path) -> dict[str, float]:
    """CPU seconds of html2po's converter on every .html file in this process: converting
    and serialising (to memory), then writing the bytes to a new file."""
    import io

    # benchmarks/translate.py (the MT benchmark) would shadow the translate package.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    if getattr(sys.modules.get("translate"), "__file__", "").startswith(here):
        del sys.modules["translate"]
    from translate.convert.html2po import html2po

    clock = time.process_time
    convert = write = 0.0
    for path in sorted((root / "html").iterdir()):
        t0 = clock()
        with open(path, "rb") as source:
            buffer = io.BytesIO()
            html2po().convertfile(source, path.name, duplicatestyle="msgctxt", keepcomments=False).serialize(buffer)
        t1 = clock()
        with open(out / (path.stem + ".pot"), "wb") as target:
            target.write(buffer.getvalue())
        t2 = clock()
        convert += t1 - t0
        write += t2 - t1
    return {"read+convert+serialise": convert, "write (new file)": write}


def byte_compile_newsloc() -> None:
    """Byte-compile newsloc's modules, as installing a package does.

    translate-toolkit was installed by pip, which wrote its .pyc files.  An
    editable install of newsloc has none until Python writes them on a first
    import, and with PYTHONDONTWRITEBYTECODE set (as on the development VM)
    it never does: every newsloc process then compiled its sources again
    (~15-20 ms of start-up that an installed newsloc does not pay).
    """
    import compileall
    import newsloc

    folder = Path(newsloc.__file__).parent
    compileall.compile_dir(folder, quiet=1)
    print(f"newsloc's modules byte-compiled in {folder} (as pip does when installing a package)")


# -- main ----------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of every tool (medians are shown)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first")
    parser.add_argument("--no-growth", action="store_true", help="skip the memory-vs-corpus-size table")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to put the corpus (default: the system's temporary folder)")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp) / "corpus"
        size = build_corpus(root, args.articles)
        mb = size / 1e6
        print(f"corpus: {args.articles} articles, {mb:.2f} MB of text, in {tmp}, "
              f"{args.warmup} warm-up round(s) and {args.rounds} timed rounds")

        newsloc = str(BIN / "newsloc")
        byte_compile_newsloc()
        print(f"creating an empty file in a new folder there costs {creation_cost(Path(tmp)):.0f} us "
              "(kernel time, paid once per output file by every tool)\n")
        # name -> function(run number) -> (command, working folder); every run
        # writes into a folder of its own, and nothing is deleted until the
        # end (see creation_cost: deleting files makes creating the next ones
        # slow on ext4 without a journal).
        def newsloc_run(codes=(), glossary=False, jobs=None):
            def command(run: int):
                folder = fresh_project(root, f"p{run}", codes, glossary)
                return [newsloc, "--project", str(folder), "extract", *(["--jobs", str(jobs)] if jobs else [])], folder
            return command

        def toolkit_run(tool: str, source: str):
            def command(run: int):
                return [str(BIN / tool), "-P", "--progress=none", "-i", source, "-o", f"out{run}"], root
            return command

        commands = {
            "newsloc extract": newsloc_run(),
            "newsloc extract --jobs 1": newsloc_run(jobs=1),
            "newsloc +ru +hy catalogs": newsloc_run(("ru", "hy")),
            "newsloc +ru +hy +glossary": newsloc_run(("ru", "hy"), glossary=True),
            "txt2po -P (paragraphs)": toolkit_run("txt2po", "source"),
            "html2po -P (paragraphs)": toolkit_run("html2po", "html"),
        }

        runs: dict[str, list[Run]] = {name: [] for name in commands}
        names = list(commands)
        number = 0
        html2po_outputs = []
        for round_ in range(-args.warmup, args.rounds):
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            for name in order:
                number += 1
                cmd, cwd = commands[name](number)
                run = timed(cmd, cwd)
                if round_ >= 0:
                    runs[name].append(run)
                if name.startswith("html2po"):  # it writes an empty template for a file it cannot parse
                    sizes = [p.stat().st_size for p in (root / f"out{number}").iterdir()]
                    html2po_outputs.append((len(sizes), sizes.count(0)))
        print(f"html2po: {len(html2po_outputs)} runs wrote {sorted({n for n, _ in html2po_outputs})} templates, "
              f"{sum(e for _, e in html2po_outputs)} of them empty")

        html_wall = statistics.median(r.wall for r in runs["html2po -P (paragraphs)"])
        html_cpu = statistics.median(r.cpu for r in runs["html2po -P (paragraphs)"])
        print(f"{'tool':27} {'wall s':>7} {'(min-max)':>11} {'CPU s':>6} {'art/s':>6} {'MB/s':>5} "
              f"{'RSS MiB':>7} {'PSS MiB':>7} {'vs html2po':>10} {'(CPU)':>6}")
        for name, results in runs.items():
            wall = statistics.median(r.wall for r in results)
            cpu = statistics.median(r.cpu for r in results)
            spread = f"{min(r.wall for r in results):.2f}-{max(r.wall for r in results):.2f}"
            print(f"{name:27} {wall:7.2f} {spread:>11} {cpu:6.2f} {args.articles / wall:6.0f} {mb / wall:5.2f} "
                  f"{max(r.rss for r in results):7.0f} {max(r.pss for r in results):7.0f} "
                  f"{html_wall / wall:9.2f}x {html_cpu / cpu:5.2f}x")
        print("(wall/CPU: medians; RSS: largest process; PSS: whole process tree; "
              "vs html2po: its median time / this tool's)")
        ratio = html_wall / statistics.median(r.wall for r in runs["newsloc extract"])
        print(f"goal, newsloc extract (sentences) >= 2x html2po (paragraphs): "
              f"{'met' if ratio >= 2 else 'not met'} ({ratio:.2f}x; "
              f"{len(os.sched_getaffinity(0))} CPUs for the worker processes)")

        print("\nstart-up (--version, median of 5): "
              f"newsloc {startup([newsloc, '--version']):.3f} s, "
              f"html2po {startup([str(BIN / 'html2po'), '--version']):.3f} s")

        stages = newsloc_stages(fresh_project(root, "in-process"))
        out = root / "out-in-process"
        out.mkdir()
        theirs = html2po_in_process(root, out)
        print(f"\nin-process, one process, CPU per article (us) over {args.articles} articles:")
        for tool, figures in (("newsloc", stages), ("html2po", theirs)):
            for key, seconds in figures.items():
                print(f"  {tool} {key:31} {seconds * 1e6 / args.articles:7.0f}")
            total = sum(v for k, v in figures.items() if not k.endswith("wall"))
            print(f"  {tool} {'total CPU':31} {total * 1e6 / args.articles:7.0f}")

        if not args.no_growth:
            print("\npeak memory as the corpus grows (articles are streamed):")
            print(f"  {'articles':>8} {'jobs':>6} {'wall s':>7} {'RSS MiB':>8} {'PSS MiB':>8}")
            for count in (args.articles // 4, args.articles // 2, args.articles, args.articles * 2):
                sub = Path(tmp) / f"grow{count}"
                build_corpus(sub, count, with_html=False)
                for jobs in (None, 1):
                    folder = fresh_project(sub, f"jobs{jobs}")
                    cmd = [newsloc, "--project", str(folder), "extract", *(["--jobs", str(jobs)] if jobs else [])]
                    run = timed(cmd, folder)
                    print(f"  {count:8d} {jobs or 'auto':>6} {run.wall:7.2f} {run.rss:8.0f} {run.pss:8.0f}")
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
