#!/usr/bin/env python3
"""Translate benchmark: newsloc drafting vs raw CTranslate2 vs argostranslate per segment.

Run by hand from the repository root:

    .venv/bin/python benchmarks/translate.py [--segments 2000] [--baseline-sample 300]

Everything runs offline, in one process, on the same model and the same
segments:

* the model is the test suite's Argos package (tests/argos_package.py: a valid
  en→ru .argosmodel with a tiny hand-set CTranslate2 Transformer, d=168, one
  encoder and one decoder layer), its SentencePiece model also trained on the
  article's words so that a sentence is ~40 pieces, as with a real Argos
  vocabulary; installed into a private Argos folder;
* the corpus is ``--segments`` distinct English sentences (the shipped
  article's sentences, each prefixed ``Update N:``), in articles of 100
  sentences, extracted with ``newsloc extract`` into ``ru`` catalogs;
* **newsloc**: ``draft_project`` end to end (load catalogs, pin, translate,
  restore, write fuzzy drafts with provenance, save), model loading included;
* **raw ceiling**: one ``translate_batch`` over all the pinned texts newsloc
  sends (same tokenizer, threads, beam and decoding cap), plus tokenisation and
  decoding: the engine with nothing around it;
* **argostranslate** ``translate()`` once per segment, the way Argos is
  normally called, with Argos's defaults (beam 4, CTranslate2's default
  threads) and again with ``ARGOS_INTRA_THREADS=1`` and newsloc's beam size.
  Argos's MiniSBD sentence splitter cannot download its model offline, so it
  is replaced by the identity (each segment is one sentence already): that
  only makes the baseline faster.  It runs on a sample of the segments.

Each measurement is repeated (best of ``--repeat``), wall clock; the machine
may be shared, so the ratios matter more than the absolute figures.  Goal:
newsloc >= 0.9x the raw ceiling and >= 10x the per-segment baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "source" / "the-friend-of-my-enemy.txt"


def _isolate() -> Path:
    """Private Argos folders, set before argostranslate is imported (it reads them once)."""
    home = Path(tempfile.mkdtemp(prefix="newsloc-bench-"))
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "data" / "argos-translate" / "packages")
    os.environ["SOURCE_DATE_EPOCH"] = "1764403200"
    return home


def build_project(root: Path, segments: int) -> None:
    from newsloc import catalog
    from newsloc.project import Project

    base = [s.text for s in Project(REPO).read_article(ARTICLE).segments()]
    sentences = [f"Update {n}: {base[n % len(base)]}" for n in range(segments)]
    (root / "source").mkdir(parents=True)
    (root / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    for number, start in enumerate(range(0, segments, 100)):
        chunk = sentences[start:start + 100]
        paragraphs = [" ".join(chunk[i:i + 4]) for i in range(0, len(chunk), 4)]
        text = f"Benchmark article {number}\n" + "\n".join(paragraphs) + "\n"
        (root / "source" / f"bench-{number:03d}.txt").write_text(text, encoding="utf-8")
    catalog.extract(Project(root))


ARGOS_DEFAULTS: tuple[int, int] = (0, 4)  # (intra_threads, beam_size), read at start


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        times.append(run())
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--baseline-sample", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--beam-size", type=int, default=2)
    parser.add_argument("--size", choices=["tiny", "base", "both"], default="both",
                        help="test model size: tiny (d=168, 1+1 layers) or base "
                             "(d=512, 6+6 layers, like a real Argos model)")
    args = parser.parse_args()
    home = _isolate()
    sys.path.insert(0, str(REPO / "tests"))
    from argostranslate import settings

    global ARGOS_DEFAULTS
    ARGOS_DEFAULTS = (settings.intra_threads, settings.beam_size)
    for size in (["tiny", "base"] if args.size == "both" else [args.size]):
        run(size, args, home / size)
    shutil.rmtree(home, ignore_errors=True)


def run(size: str, args, home: Path) -> None:
    from argos_package import build_argos_package

    from newsloc import draft, models, mt, pofile
    from newsloc.pinning import protect
    from newsloc.project import Project

    # The tokenizer also learns the article's words, so sentences are ~40 pieces
    # long (about what a real Argos vocabulary gives), not spelled out in bytes.
    from newsloc.glossary import plain_text

    corpus = [plain_text(s.text) for s in Project(REPO).read_article(ARTICLE).segments()]
    package = models.install_package(
        build_argos_package(home / "build", extra_text=corpus * 3, vocab_size=1200, size=size),
        replace=True)
    template = home / "template"
    build_project(template, args.segments)
    pending = sum(
        1 for path in (template / "locales" / "ru" / "LC_MESSAGES").glob("*.po")
        for e in pofile.load_po(path).po if e.msgid and not e.obsolete
    )
    threads = mt.cpu_count()
    print(f"\n{size} model: {package.name}, {threads} CPU thread(s), beam {args.beam_size}; "
          f"{pending} catalog entries in {len(list((template / 'source').iterdir()))} articles")

    # -- newsloc, end to end --------------------------------------------------------------
    runs = iter(range(10**6))

    def newsloc_run() -> tuple[float, float]:
        work = home / f"run-{next(runs)}"
        shutil.copytree(template, work)
        mt.clear_cache()  # model loading is part of the run
        start, cpu = time.perf_counter(), time.process_time()
        report = draft.draft_project(Project(work), locales=["ru"], beam_size=args.beam_size)
        elapsed = time.perf_counter() - start, time.process_time() - cpu
        assert report.drafted == pending, report.summary()
        shutil.rmtree(work)
        return elapsed

    # -- raw CTranslate2 ceiling -------------------------------------------------------------
    import ctranslate2

    texts = []
    for path in sorted((template / "locales" / "ru" / "LC_MESSAGES").glob("*.po")):
        texts += [protect(e.msgid, "ru", None).text
                  for e in pofile.load_po(path).po if e.msgid and not e.obsolete]
    sp = package.argos.tokenizer.lazy_processor()
    raw = ctranslate2.Translator(str(package.path / "model"), device="cpu",
                                 inter_threads=threads, intra_threads=1)

    def raw_run() -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        tokens = sp.encode(texts, out_type=str)
        results = raw.translate_batch(tokens, max_batch_size=mt.BATCH_EXAMPLES,
                                      beam_size=args.beam_size, max_decoding_length=512)
        outputs = [sp.decode_pieces(r.hypotheses[0]) for r in results]
        elapsed = time.perf_counter() - start, time.process_time() - cpu
        assert len(outputs) == len(texts)
        return elapsed

    # -- argostranslate translate() per segment ------------------------------------------------
    from argostranslate import sbd, settings
    from argostranslate import translate as argos_translate

    # Offline, MiniSBD cannot fetch its model: use the identity splitter (faster, not slower).
    sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
    sample = texts[: args.baseline_sample]

    def argos_run(intra: int, beam: int) -> float:
        settings.intra_threads, settings.beam_size = intra, beam
        settings.package_data_dir = models.packages_dir()
        settings.package_dirs = [models.packages_dir()]
        argos_translate.installed_translates.clear()
        argos_translate.get_installed_languages.cache_clear()
        start = time.perf_counter()
        for text in sample:
            argos_translate.translate(text, "en", "ru")
        return time.perf_counter() - start

    default_intra, default_beam = ARGOS_DEFAULTS
    # Interleaved, best of --repeat: on a shared machine the load drifts.
    walls = {"newsloc": [], "raw": []}
    cpus = {"newsloc": [], "raw": []}
    for _ in range(args.repeat):
        for name, fn in (("newsloc", newsloc_run), ("raw", raw_run)):
            wall, cpu = fn()
            walls[name].append(wall)
            cpus[name].append(cpu)
    t_argos = best(max(1, args.repeat - 1), lambda: argos_run(default_intra, default_beam))
    t_argos1 = best(max(1, args.repeat - 1), lambda: argos_run(1, args.beam_size))

    r_newsloc = pending / min(walls["newsloc"])
    r_raw = len(texts) / min(walls["raw"])
    c_newsloc = pending / min(cpus["newsloc"])
    c_raw = len(texts) / min(cpus["raw"])
    r_argos = len(sample) / t_argos
    r_argos1 = len(sample) / t_argos1
    print(f"newsloc translate (draft_project)    {r_newsloc:8.1f} entries/s   "
          f"({min(walls['newsloc']):.2f} s; per CPU-second {c_newsloc:.1f})")
    print(f"raw CTranslate2 translate_batch      {r_raw:8.1f} sentences/s "
          f"({min(walls['raw']):.2f} s; per CPU-second {c_raw:.1f})")
    print(f"  newsloc / ceiling: {r_newsloc / r_raw:.2f}x wall clock, "
          f"{c_newsloc / c_raw:.2f}x per CPU-second")
    print(f"argostranslate translate()/segment   {r_argos:8.1f} sentences/s "
          f"(Argos defaults: beam {default_beam}, intra_threads {default_intra})   "
          f"newsloc = {r_newsloc / r_argos:.1f}x")
    print(f"  ARGOS_INTRA_THREADS=1, beam {args.beam_size}         {r_argos1:8.1f} sentences/s"
          f"   newsloc = {r_newsloc / r_argos1:.1f}x")


if __name__ == "__main__":
    main()
