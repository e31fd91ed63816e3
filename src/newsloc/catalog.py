"""Catalog stage: articles -> gettext template and per-locale PO catalogs.

Entries are keyed by content (the sentence in msgid form), never by position,
so inserting, deleting or moving paragraphs keeps every translation.  Updating
a catalog follows ``msgmerge --previous``:

* an unchanged sentence keeps its translation, flags and translator comments;
* an edited sentence gets the closest old translation, ``#, fuzzy`` and
  ``#| msgid`` with the old source;
* a removed sentence that had a translation (or a translator comment) becomes
  an obsolete ``#~`` entry; nothing a translator wrote is deleted;
* new sentences are added untranslated.

Nothing here touches the disk except :func:`extract`, which reads and writes
through :mod:`newsloc.pofile`.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polib

from .errors import ArticleError, CatalogError, ConcurrentEditError
from .locales import english_name, is_known_locale, plural_forms, validate_locale
from .model import Article, Repair
from .pofile import MISSING, LoadedPO, WriteBatch, discard_staged, load_po, read_bytes, stage_po

HEADLINE_NOTE = "Headline of the article"
HEADLINE_CONTEXT = "headline"
FUZZY_THRESHOLD = 0.6  # msgmerge's own threshold for fuzzy matches
# difflib's ratio takes time quadratic in the length of the strings (an edited
# paragraph of 800,000 words that the segmenter could not split: minutes).  A
# string longer than this (no sentence is) is not matched fuzzily: its old
# translation is kept as an obsolete entry, so nothing is lost.
FUZZY_MAX_CHARS = 20000
WRAP_WIDTH = 79
_TAG = re.compile(r"<[^>]*>")


def po_date(now: float | None = None) -> str:
    """A PO header date; honours SOURCE_DATE_EPOCH for reproducible builds."""
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        now = float(epoch) if epoch else time.time()
    return datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def plain_text(msgid: str) -> str:
    """The text of a segment without its inline markup (for counting words)."""
    if "<" not in msgid and "&" not in msgid:  # no markup, no references: the text itself
        return msgid
    import html

    return html.unescape(_TAG.sub("", msgid))


def word_count(msgid: str) -> int:
    return len(plain_text(msgid).split())


# -- templates ---------------------------------------------------------------
# A new entry's attributes, as polib.POEntry() sets them.  _new_entry copies
# them rather than calling POEntry(**kwargs), whose two constructors look up
# every keyword (a third of building a template).
_ENTRY_DEFAULTS = polib.POEntry().__dict__
# Its only mutable attributes, made anew for each entry (checked: another
# polib could have others, and then entries are made by POEntry itself).
_FRESH_OK = {k for k, v in _ENTRY_DEFAULTS.items() if isinstance(v, (list, dict, set))} == {
    "msgstr_plural", "occurrences", "flags"
}


def _new_entry(**fields) -> polib.POEntry:
    """``polib.POEntry(**fields)``, but cheaper (same attributes and values)."""
    if not _FRESH_OK:
        return polib.POEntry(**fields)
    entry = polib.POEntry.__new__(polib.POEntry)
    attributes = _ENTRY_DEFAULTS.copy()
    attributes["msgstr_plural"] = {}
    attributes["occurrences"] = []
    attributes["flags"] = []
    attributes.update(fields)
    entry.__dict__ = attributes
    return entry


def template_entries(article: Article) -> list[polib.POEntry]:
    """One entry per distinct sentence, in document order, with all its references."""
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    body_texts = {seg.text for block in article.blocks for seg in block.segments}
    reference = str(article.path)
    headline = article.headline.segments[0]
    context = HEADLINE_CONTEXT if headline.text in body_texts else None
    entries[(context, headline.text)] = _new_entry(
        msgid=headline.text,
        msgctxt=context,
        msgstr="",
        comment=HEADLINE_NOTE,
        occurrences=[(reference, str(headline.line))],
    )
    for block in article.blocks:
        for seg in block.segments:
            key = (None, seg.text)
            occurrence = (reference, str(seg.line))
            if key in entries:
                if occurrence not in entries[key].occurrences:
                    entries[key].occurrences.append(occurrence)
            else:
                entries[key] = _new_entry(msgid=seg.text, msgstr="", occurrences=[occurrence])
    return list(entries.values())


def template_metadata(article: Article, creation_date: str) -> dict[str, str]:
    return {
        "Project-Id-Version": article.slug,
        "POT-Creation-Date": creation_date,
        # A template has no translator yet; msgfmt -c wants the fields present.
        "PO-Revision-Date": creation_date,
        "Last-Translator": "",
        "Language-Team": "",
        # msgfmt -c rejects an empty Language; the template's language is its source's.
        "Language": article.source_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": article.source_lang,
    }


def build_template(article: Article, creation_date: str, glossary=None) -> polib.POFile:
    """The gettext template (.pot) of an article."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.metadata = template_metadata(article, creation_date)
    # As xgettext does: a template's header is "fuzzy" (Poedit adds the flag otherwise).
    pot.metadata_is_fuzzy = True
    for entry in template_entries(article):
        entry.comment = _notes(entry, glossary, None)
        pot.append(entry)
    return pot


def _notes(entry: polib.POEntry, glossary, locale: str | None) -> str:
    """Extracted comments: the headline note and the glossary terms of the entry."""
    lines = []
    if entry.msgctxt == HEADLINE_CONTEXT or (entry.comment and HEADLINE_NOTE in entry.comment):
        lines.append(HEADLINE_NOTE)
    if glossary is not None:
        lines.extend(glossary.notes_for(entry.msgid, locale))
    return "\n".join(lines)


# -- updating catalogs ---------------------------------------------------------
def catalog_metadata(template: polib.POFile, locale: str, old: polib.POFile | None, now: str) -> dict[str, str]:
    """Headers of a locale catalog: the translator's own headers are kept."""
    previous = dict(old.metadata) if old is not None else {}
    ours = {
        "Project-Id-Version": template.metadata["Project-Id-Version"],
        "POT-Creation-Date": template.metadata["POT-Creation-Date"],
        "PO-Revision-Date": previous.get("PO-Revision-Date", now),
        "Last-Translator": previous.get("Last-Translator", ""),
        "Language-Team": previous.get("Language-Team", english_name(locale)),
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": previous.get("Plural-Forms", plural_forms(locale)),
        "X-Source-Language": template.metadata["X-Source-Language"],
    }
    # The existing header keeps its order and its other fields (X-Poedit-*,
    # X-Generator...); new fields are appended in our order.
    metadata = dict(previous)
    metadata.update(ours)
    return metadata


_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)


@functools.lru_cache(maxsize=64)  # every catalog of a locale has the same header
def plural_forms_problem(value: str | None) -> str | None:
    """What is wrong with a ``Plural-Forms`` header value, or None if it is usable.

    A compiled catalog carries the header to every gettext runtime, which
    refuses (or miscounts with) an expression it cannot evaluate, so it is
    checked as msgfmt does: ``nplurals=N; plural=EXPR;`` with EXPR a C
    expression of n that gives 0..N-1.  A catalog without the header is fine.
    """
    if value is None:
        return None
    match = _PLURAL_FORMS.match(value)
    if match is None:
        return f"invalid Plural-Forms header {value!r}: expected 'nplurals=N; plural=EXPRESSION;'"
    count = int(match.group(1))
    if not 1 <= count <= 100:
        return f"invalid Plural-Forms header {value!r}: nplurals must be a count of forms, 1 or more"
    import gettext  # its C-expression compiler is what Python's own gettext runtime uses

    try:
        plural = gettext.c2py(match.group(2))
        out_of_range = next((n for n in range(1000) if not 0 <= plural(n) < count), None)
    except (ValueError, RecursionError, ZeroDivisionError):
        return f"invalid Plural-Forms header {value!r}: the plural expression is not valid C"
    if out_of_range is not None:
        return (f"invalid Plural-Forms header {value!r}: the plural expression gives "
                f"{plural(out_of_range)} for n={out_of_range}, outside 0..{count - 1}")
    return None


def header_line(path: Path, field: str) -> int | None:
    """The line of a header field in a PO file (for messages about it), if it is there."""
    try:
        lines = read_bytes(path).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    prefix = f'"{field}:'
    return next((number for number, line in enumerate(lines, 1) if line.lstrip().startswith(prefix)), None)


def _similarity(a: str, b: str) -> float:
    if len(a) > FUZZY_MAX_CHARS or len(b) > FUZZY_MAX_CHARS:
        return 0.0
    import difflib  # only when a catalog's msgids changed

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def _has_work(entry: polib.POEntry) -> bool:
    """True if a translator (or a draft) put something into this entry (msgstr[N] included)."""
    return bool(entry.msgstr or entry.tcomment or (entry.msgstr_plural and any(entry.msgstr_plural.values())))


def _take_plural(entry: polib.POEntry, source: polib.POEntry) -> None:
    """Give a (singular) template entry the translation of an old entry with plural forms.

    As ``msgmerge --previous`` does: msgstr[0] becomes the translation, marked
    fuzzy, with the old msgid and msgid_plural as ``#|`` lines.  msgmerge drops
    the other forms; they are translator's work, so they go into the entry's
    translator comment (one line each, as PO strings), which every later merge keeps.
    """
    forms = [source.msgstr_plural[index] for index in sorted(source.msgstr_plural, key=int)]
    entry.msgstr = forms[0] if forms else ""
    kept = [f'was msgstr[{index}] "{polib.escape(form)}"' for index, form in enumerate(forms) if index and form]
    entry.tcomment = "\n".join(([source.tcomment] if source.tcomment else []) + kept)
    others = [flag for flag in source.flags if flag != "fuzzy"]
    entry.flags = (["fuzzy"] + others) if entry.msgstr else others
    if "fuzzy" in source.flags and source.previous_msgid:  # the oldest source, as msgmerge keeps
        entry.previous_msgid = source.previous_msgid
        entry.previous_msgid_plural = source.previous_msgid_plural
        entry.previous_msgctxt = source.previous_msgctxt
    else:
        entry.previous_msgid = source.msgid
        entry.previous_msgid_plural = source.msgid_plural or None


# A machine draft's translator comment lines start so (newsloc.draft); one of them holds a
# hash of its text: while the text matches it, the draft is unedited and drafting may replace it.
PROVENANCE = "newsloc-mt:"
DRAFT_HASH_LINE = f"{PROVENANCE} sha256="


def _accepted(tcomment: str) -> str:
    """The comment of a draft a reviewer accepted, when its source changed: without the hash
    line, so that, fuzzy again, it is human work (drafting does not replace it)."""
    return "\n".join(line for line in tcomment.split("\n") if not line.startswith(DRAFT_HASH_LINE))


def update_catalog(
    template: polib.POFile,
    old: polib.POFile | None,
    locale: str,
    glossary=None,
    now: str | None = None,
) -> polib.POFile:
    """Merge a new template into a locale catalog like ``msgmerge --previous``."""
    now = now or po_date()
    new = polib.POFile(wrapwidth=WRAP_WIDTH)
    new.metadata = catalog_metadata(template, locale, old, now)
    old_entries = list(old) if old is not None else []
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in old_entries:  # an active entry wins over an obsolete twin
        key = (entry.msgctxt, entry.msgid)
        if key not in exact or exact[key].obsolete:
            exact[key] = entry
    used: set[int] = set()
    pending: list[polib.POEntry] = []
    for tmpl in template:
        entry = _new_entry(
            msgid=tmpl.msgid,
            msgctxt=tmpl.msgctxt,
            msgstr="",
            occurrences=list(tmpl.occurrences),
        )
        entry.comment = _notes(tmpl, glossary, locale)
        source = exact.get((tmpl.msgctxt, tmpl.msgid))
        if source is not None:
            used.add(id(source))
            if source.msgid_plural or source.msgstr_plural:  # a translator made it a plural entry
                _take_plural(entry, source)
                new.append(entry)
                continue
            entry.msgstr = source.msgstr
            entry.flags = list(source.flags)
            entry.tcomment = source.tcomment
            if "fuzzy" in source.flags:
                entry.previous_msgid = source.previous_msgid
                entry.previous_msgctxt = source.previous_msgctxt
                entry.previous_msgid_plural = source.previous_msgid_plural
        else:
            pending.append(entry)
        new.append(entry)

    candidates = [e for e in old_entries if id(e) not in used and e.msgstr]
    for entry in pending:
        best, best_score = None, FUZZY_THRESHOLD
        for candidate in candidates:
            score = _similarity(entry.msgid, candidate.msgid)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = candidate, score
        if best is None:
            continue
        used.add(id(best))
        entry.msgstr = best.msgstr
        entry.tcomment = best.tcomment
        if "fuzzy" not in best.flags and DRAFT_HASH_LINE in best.tcomment:
            entry.tcomment = _accepted(best.tcomment)  # (a reviewed draft: made fuzzy below)
        entry.flags = ["fuzzy"] + [f for f in best.flags if f != "fuzzy"]
        # Keep the oldest source the translation was made for, as msgmerge does.
        if "fuzzy" in best.flags and best.previous_msgid:
            entry.previous_msgid = best.previous_msgid
        else:
            entry.previous_msgid = best.msgid
        if best.msgctxt != entry.msgctxt and best.msgctxt:
            entry.previous_msgctxt = best.msgctxt

    for entry in old_entries:
        if id(entry) in used or not _has_work(entry):
            continue
        obsolete = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=entry.msgstr,
            tcomment=entry.tcomment,
            flags=list(entry.flags),
            obsolete=True,
        )
        if entry.previous_msgid:
            obsolete.previous_msgid = entry.previous_msgid
        if entry.msgid_plural:  # a plural entry keeps all its forms
            obsolete.msgid_plural = entry.msgid_plural
            obsolete.msgstr_plural = dict(entry.msgstr_plural)
        if entry.previous_msgid_plural:
            obsolete.previous_msgid_plural = entry.previous_msgid_plural
        new.append(obsolete)
    return new


# -- the extract command ---------------------------------------------------------
@dataclass
class ExtractReport:
    """What :func:`extract` did.

    ``articles`` holds the parsed articles only when :func:`extract` was
    asked to ``keep`` them (memory then grows with the corpus); ``repairs``
    always holds every repair, in article order.
    """

    articles: list[Article] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    conflicts: list[ConcurrentEditError] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)


TEMPLATE_DATES = ("POT-Creation-Date", "PO-Revision-Date")
# Catalog writes are made durable together (one syncfs, see newsloc.pofile)
# in batches of this many staged files; a batch is also what an interrupted
# run may not have written (all of its files keep their old content).
BATCH_FILES = 256
# From this many files to write (a template and a catalog per locale for each
# article) on, extraction runs in worker processes, one per available CPU:
# below it, starting them costs more than it saves (measured on 2 CPUs: equal
# at 256 templates, 0.29 -> 0.24 s at 512, 0.87 -> 0.57 s at 2,000).
PARALLEL_MIN_FILES = 256
# Extraction makes many short-lived objects and next to no reference cycles:
# collecting the youngest generation every 700 allocations (Python's default)
# took ~7% of its time.  During extract() it is collected every this many.
GC_YOUNG_THRESHOLD = 5000
# Articles per task sent to a worker, and tasks in flight per worker: enough
# to keep the workers busy, few enough that memory stays flat.
CHUNK_ARTICLES = 32
CHUNKS_PER_WORKER = 2


def _same_template(old: polib.POFile, new: polib.POFile) -> bool:
    if [(e.msgctxt, e.msgid, e.occurrences, e.comment) for e in old] != [
        (e.msgctxt, e.msgid, e.occurrences, e.comment) for e in new
    ]:
        return False
    ignore = TEMPLATE_DATES
    return {k: v for k, v in old.metadata.items() if k not in ignore} == {
        k: v for k, v in new.metadata.items() if k not in ignore
    }


def extract(
    project,
    slugs: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
    source_lang: str | None = None,
    keep: bool = False,
    on_article: Callable[[Article], None] | None = None,
    on_repair: Callable[[Repair], None] | None = None,
    jobs: int | None = None,
) -> ExtractReport:
    """Extract the selected articles into their template and locale catalogs.

    Every selected article is decoded before anything is written, so an
    unusable article stops the command with nothing written.  Articles are
    then streamed, not kept (memory stays flat however many there are)
    unless ``keep`` is true.  ``on_article`` is called with each parsed
    article, ``on_repair`` with each repair, in order.  A catalog that a
    translator saved meanwhile is not written; it is listed in
    ``report.conflicts``.  If an article or a catalog cannot be read, the
    articles before it are written and the error is raised.

    ``jobs`` is the number of worker processes: None picks one per available
    CPU when there are :data:`PARALLEL_MIN_FILES` files or more to write,
    and works in-process below that; 1 always works in-process.  Workers parse,
    merge and stage the files; this process reports and commits them in
    article order, so the outcome (files, report, errors) is the same.
    """
    if source_lang is not None:
        validate_locale(source_lang)  # (--source-lang zz, en-US: before any work)
    old_threshold = gc.get_threshold()
    if 0 < old_threshold[0] < GC_YOUNG_THRESHOLD:  # forked workers inherit it
        gc.set_threshold(GC_YOUNG_THRESHOLD, *old_threshold[1:])
    try:
        return _extract(project, slugs, locales, source_lang, keep, on_article, on_repair, jobs)
    finally:
        gc.set_threshold(*old_threshold)


def _extract(project, slugs, locales, source_lang, keep, on_article, on_repair, jobs) -> ExtractReport:
    from .articles import decode_article

    glossary = project.load_glossary()
    codes = project.select_locales(list(locales) if locales else None)
    paths = project.select_articles(list(slugs) if slugs else None)
    job = _Job(project, codes, glossary, po_date(), source_lang, keep or on_article is not None)
    workers = _workers(jobs, len(paths), len(paths) * (1 + len(codes)))
    pool = None
    if workers > 1 and all(os.path.isdir(folder) for folder in _folders(project, codes)):
        # Workers start on the first articles while the check below runs:
        # they only stage temporary files (removed if the check fails) and,
        # all the folders being there, create nothing else.
        pool = _WorkerResults(job, paths, workers)
    try:
        for path in paths:  # fail before writing anything
            try:
                decode_article(path, read_bytes(path))
            except ArticleError as exc:  # named as the project shows it (only worked out when needed)
                exc.path = project.relative(path)
                raise
    except BaseException:
        if pool is not None:
            pool.close()
        raise
    report = ExtractReport()
    if pool is None and workers > 1:
        pool = _WorkerResults(job, paths, workers)
    results = pool if pool is not None else (job.run(path) for path in paths)
    _collect(results, report, keep, on_article, on_repair)
    return report


def _folders(project, codes: list[str]) -> list[Path]:
    """The folders an extract run writes into."""
    return [project.pot_path("x").parent] + [project.po_path("x", code).parent for code in codes]


def _workers(jobs: int | None, articles: int, files: int) -> int:
    if jobs is not None:
        return max(1, min(jobs, articles))
    if files < PARALLEL_MIN_FILES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, articles // CHUNK_ARTICLES))


# The job of a worker process, set by its initializer.
_worker_job: _Job | None = None


def _init_worker(job: _Job) -> None:
    global _worker_job
    # Ctrl-C reaches the whole process group.  Interrupted, a worker would
    # leave the files it staged behind whenever the interrupt came between
    # staging them and handing them over (sending its results back, or
    # waiting for the next chunk).  So workers ignore it: the main process,
    # interrupted, cancels the chunks not started, waits for those running
    # and removes what they staged (_WorkerResults.close).
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threshold = gc.get_threshold()
    if 0 < threshold[0] < GC_YOUNG_THRESHOLD:  # not forked from extract(): see GC_YOUNG_THRESHOLD
        gc.set_threshold(GC_YOUNG_THRESHOLD, *threshold[1:])
    if job.glossary is _LOAD_IN_WORKER:  # not forked: load the glossary here
        job = dataclasses.replace(job, glossary=job.project.load_glossary())
    _worker_job = job


def _run_chunk(paths: list[Path]) -> list[_Done]:
    """Process articles in a worker; stop at the first error (what follows would be discarded)."""
    results: list[_Done] = []
    try:
        for path in paths:
            done = _worker_job.run(path)
            results.append(done)
            if done.error is not None:
                break
    except BaseException:
        for done in results:
            done.discard()
        raise
    return results


_LOAD_IN_WORKER = "load in worker"


class _WorkerResults:
    """The articles' results in order, computed by a pool of worker processes.

    The pool starts (and the first chunks are sent) when this object is
    made.  At most ``workers * CHUNKS_PER_WORKER`` chunks are in flight.
    :meth:`close` (however the consumer stops: done, an error, an
    interrupt) waits for the results not taken and removes their
    temporary files.
    """

    def __init__(self, job: _Job, paths: list[Path], workers: int):
        import multiprocessing
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor

        # fork: workers start at once and inherit the loaded glossary; elsewhere
        # each worker loads it (the parent has already checked that it loads).
        forking = "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux")
        context = multiprocessing.get_context("fork" if forking else None)
        if not forking:
            job = dataclasses.replace(job, glossary=_LOAD_IN_WORKER if job.glossary is not None else None)
        if forking:
            # Objects made so far (modules, the glossary) move to a generation
            # the collector never scans, so a worker's collections do not write
            # to (and copy) every page it shares with this process.  This
            # process unfreezes them once the workers are forked.
            gc.freeze()
        self.chunks = [paths[i:i + CHUNK_ARTICLES] for i in range(0, len(paths), CHUNK_ARTICLES)]
        self.window = workers * CHUNKS_PER_WORKER
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(job,)
        )
        self.in_flight: deque = deque()
        self.submitted = 0
        self.current: list[_Done] = []
        self.taken = 0
        try:
            self._submit()  # forks the workers
        except BaseException:
            self.close()
            raise
        finally:
            if forking:
                gc.unfreeze()

    def _submit(self) -> None:
        while self.submitted < len(self.chunks) and len(self.in_flight) < self.window:
            self.in_flight.append(self.pool.submit(_run_chunk, self.chunks[self.submitted]))
            self.submitted += 1

    def __iter__(self):
        while self.in_flight:
            # The future leaves in_flight only once its results are in
            # self.current: an interrupt in between leaves them to close().
            self.current = self.in_flight[0].result()
            self.taken = 0
            self.in_flight.popleft()
            self._submit()
            for done in self.current:
                self.taken += 1
                yield done

    def close(self) -> None:
        for done in self.current[self.taken:]:
            done.discard()
        self.current = []
        for future in self.in_flight:
            future.cancel()
        for future in self.in_flight:
            if future.cancelled():
                continue
            try:
                leftovers = future.result()
            except BaseException:  # its worker already removed what it staged
                continue
            for done in leftovers:
                done.discard()
        self.in_flight.clear()
        self.pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Done:
    """What processing one article gave: its repairs, its staged writes (in order), or an error."""

    repairs: list[Repair]
    article: Article | None = None  # only when the caller wants the articles
    # ("staged", StagedWrite) | ("unchanged", Path) | ("conflict", ConcurrentEditError)
    outcomes: list[tuple[str, object]] = field(default_factory=list)
    error: Exception | None = None
    unread: bool = False  # the error came from reading the article itself

    def discard(self) -> None:
        for kind, value in self.outcomes:
            if kind == "staged":
                discard_staged(value)


@dataclass
class _Job:
    """Everything needed to process one article of an extract run."""

    project: object
    codes: list[str]
    glossary: object
    now: str
    source_lang: str | None
    want_articles: bool

    def run(self, path: Path) -> _Done:
        # The article's template first: the language it records (an earlier
        # `extract --source-lang`) is the default for an article that names none.
        old_pot = template_error = None
        try:
            old_pot = _load_if_exists(self.project.pot_path(self.project.slug_for(path)))
        except CatalogError as exc:  # reported after the article's own warnings
            template_error = exc
        recorded = old_pot.po.metadata.get("X-Source-Language") if old_pot else None
        try:
            article = self.project.read_article(path, self.source_lang,
                                                default_lang=recorded if recorded and is_known_locale(recorded) else "en")
        except Exception as exc:
            return _Done([], error=exc, unread=True)
        done = _Done(article.repairs, article if self.want_articles else None)
        try:
            if template_error is not None:
                raise template_error
            _extract_article(self.project, article, self.codes, self.glossary, self.now, done.outcomes, old_pot)
        except Exception as exc:
            # An article's files are written all or none: what was staged for it
            # is removed (nothing is renamed before all its files are staged).
            staged = [value for kind, value in done.outcomes if kind == "staged"]
            if staged:
                for item in staged:
                    discard_staged(item)
                done.outcomes = [outcome for outcome in done.outcomes if outcome[0] != "staged"]
                if isinstance(exc, CatalogError):
                    exc.message += ("; nothing of this article was written (its template and other "
                                    "catalogs keep their content)")
            done.error = exc
        except BaseException:
            done.discard()
            raise
        return done


def _collect(results, report: ExtractReport, keep: bool, on_article, on_repair) -> None:
    """Consume article results in order: callbacks, report, batched commits."""
    batch = WriteBatch()
    outcomes: list[tuple[str, object]] = []
    done = None
    try:
        for done in results:
            if done.unread:
                raise done.error
            if keep:
                report.articles.append(done.article)
            if on_article is not None:
                on_article(done.article)
            report.repairs.extend(done.repairs)
            if on_repair is not None:
                for repair in done.repairs:
                    on_repair(repair)
            for kind, value in done.outcomes:
                outcomes.append((kind, value))
                if kind == "staged":
                    batch.add(value)
            if done.error is not None:
                raise done.error
            if len(batch) >= BATCH_FILES:
                _commit(batch, outcomes, report)
        _commit(batch, outcomes, report)
    except Exception:
        # Articles before the failure are written, as they were one at a time.
        _commit(batch, outcomes, report)
        raise
    except BaseException:  # interrupted: nothing more is written
        batch.discard()
        if done is not None:  # (taken from results, perhaps not all in the batch yet)
            done.discard()
        raise
    finally:  # a generator, or the worker pool: stop it and clean up
        results.close()


def _commit(batch: WriteBatch, outcomes: list[tuple[str, object]], report: ExtractReport) -> None:
    """Sync and rename a batch; record every outcome in its original order."""
    try:
        results = iter(batch.commit())
    except BaseException:  # the batch is gone (its temporary files removed): nothing left to record
        outcomes.clear()
        raise
    for kind, value in outcomes:
        if kind == "unchanged":
            report.unchanged.append(value)
        elif kind == "conflict":
            report.conflicts.append(value)
        else:
            error = next(results)
            if error is None:
                report.written.append(value.path)
            else:
                report.conflicts.append(error)
    outcomes.clear()


def _load_if_exists(path: Path) -> LoadedPO | None:
    try:
        return load_po(path)
    except FileNotFoundError:
        return None


def _extract_article(project, article: Article, codes, glossary, now: str, outcomes: list,
                     old_pot: LoadedPO | None = None) -> None:
    pot_path = project.pot_path(article.slug)
    if old_pot is None:
        old_pot = _load_if_exists(pot_path)
    po_paths = {code: project.po_path(article.slug, code) for code in codes}
    olds = {code: _load_if_exists(po_paths[code]) for code in codes}
    template = build_template(article, now, glossary)
    if old_pot is not None and _same_template(old_pot.po, template):
        for key in TEMPLATE_DATES:  # unchanged content keeps its dates: no rewrite
            template.metadata[key] = old_pot.po.metadata.get(key, now)
    layouts: dict = {}  # the template and the catalogs share their msgids: wrap each once
    _stage(template, pot_path, old_pot.stamp if old_pot else MISSING, outcomes, layouts)
    for code, loaded in olds.items():
        if code == article.source_lang:
            if loaded is None:
                continue  # no catalog in the article's own language: its source edition is the article
            translated = [e for e in loaded.po if e.msgid and e.msgstr and not e.obsolete]
            if translated:  # (after `extract --source-lang ru`, say, on an article in English)
                article.repairs.append(Repair(
                    project.relative(po_paths[code]), translated[0].linenum,
                    f"{len(translated)} translation(s) here are not used: {code} is the source language of "
                    f"{article.path}, whose {code} edition is the article itself"))
        catalog = update_catalog(template, loaded.po if loaded else None, code, glossary, now)
        _stage(catalog, po_paths[code], loaded.stamp if loaded else MISSING, outcomes, layouts)


def stage_catalog(po: polib.POFile, path: Path, stamp: str | None, sync: bool = False,
                  cache: dict | None = None):
    """:func:`newsloc.pofile.stage_po`, with a catalog that cannot be written (a read-only
    folder, a full disk) reported as a :class:`CatalogError` naming it, not its temporary file."""
    try:
        return stage_po(po, path, stamp, sync=sync, cache=cache)
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path) from None


def _stage(po: polib.POFile, path: Path, stamp: str, outcomes: list, layouts: dict) -> None:
    try:
        staged = stage_catalog(po, path, stamp, sync=False, cache=layouts)
    except ConcurrentEditError as exc:
        outcomes.append(("conflict", exc))
        return
    outcomes.append(("unchanged", path) if staged is None else ("staged", staged))


# -- status ---------------------------------------------------------------------
@dataclass
class StatusRow:
    article: str
    locale: str
    entries: int
    words: int
    translated: int
    fuzzy: int
    untranslated: int
    drafts: int = 0  # of the fuzzy entries: machine drafts nobody has edited yet
    # Of the untranslated entries: entries of the template (locales/<slug>.pot)
    # that the catalog does not have (deleted, or the catalog predates them).
    missing: int = 0

    @property
    def percent(self) -> float:
        return round(100.0 * self.translated / self.entries, 1) if self.entries else 100.0

    def as_dict(self) -> dict:
        return {
            "article": self.article,
            "locale": self.locale,
            "entries": self.entries,
            "source_words": self.words,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "machine_drafts": self.drafts,
            "untranslated": self.untranslated,
            "missing": self.missing,
            "percent_translated": self.percent,
        }


def catalog_counts(po: polib.POFile) -> tuple[int, int, int, int, int]:
    """(entries, source words, translated, fuzzy, untranslated) of active entries."""
    entries = words = translated = fuzzy = untranslated = 0
    for entry in po:
        if entry.obsolete:
            continue
        entries += 1
        words += word_count(entry.msgid)
        if not entry.msgstr:
            untranslated += 1
        elif "fuzzy" in entry.flags:
            fuzzy += 1
        else:
            translated += 1
    return entries, words, translated, fuzzy, untranslated


def is_machine_draft(entry: polib.POEntry) -> bool:
    """An unedited machine draft (see :mod:`newsloc.draft`; imported here only when asked)."""
    from .draft import is_machine_draft as check

    return check(entry)


def status(project, slugs: Iterable[str] | None = None, locales: Iterable[str] | None = None) -> list[StatusRow]:
    """Translation progress per article and locale (from the catalogs on disk).

    Progress is counted against the article's template (``locales/<slug>.pot``,
    which extract writes with the catalogs): an entry of the template that a
    catalog lacks counts as untranslated (and as ``missing``), so a catalog
    with entries deleted is not shown as done.  Without a template, the
    catalog's own active entries are counted.
    """
    rows = []
    codes = project.select_locales(list(locales) if locales else None)
    for path in project.select_articles(list(slugs) if slugs else None):
        slug = project.slug_for(path)
        template: list[tuple[str | None, str]] | None = None
        template_read = False
        for code in codes:
            # (not exists(): it is False for a link that loops, which is an error)
            loaded = _load_if_exists(project.po_path(slug, code))
            if loaded is None:
                continue
            if not template_read:  # once per article, only if it has a catalog
                pot = _load_if_exists(project.pot_path(slug))
                template = [(e.msgctxt, e.msgid) for e in pot.po if not e.obsolete] if pot is not None else None
                template_read = True
            rows.append(_status_row(slug, code, loaded.po, template))
    return rows


def not_extracted(project, slugs: Iterable[str] | None = None,
                  locales: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(article, locale) of the selected ones that have no catalog yet (a new article or
    locale, before ``newsloc extract``), but for an article's own language."""
    pairs = []
    codes = project.select_locales(list(locales) if locales else None)
    for path in project.select_articles(list(slugs) if slugs else None):
        slug = project.slug_for(path)
        absent = [code for code in codes if not os.path.lexists(project.po_path(slug, code))]
        if absent:
            try:
                own = project.source_language(path)
            except (ArticleError, CatalogError):
                own = None  # (extract says what is wrong with it)
            pairs += [(slug, code) for code in absent if code != own]
    return pairs


def _status_row(slug: str, code: str, po: polib.POFile, template: list[tuple[str | None, str]] | None) -> StatusRow:
    if template is None:
        drafts = sum(1 for entry in po if not entry.obsolete and is_machine_draft(entry))
        return StatusRow(slug, code, *catalog_counts(po), drafts=drafts)
    active = {(entry.msgctxt, entry.msgid): entry for entry in po if not entry.obsolete}
    words = translated = fuzzy = untranslated = missing = drafts = 0
    for key in template:
        words += word_count(key[1])
        entry = active.get(key)
        if entry is None:
            missing += 1
            untranslated += 1
        elif not entry.msgstr:
            untranslated += 1
        elif "fuzzy" in entry.flags:
            fuzzy += 1
            drafts += is_machine_draft(entry)
        else:
            translated += 1
    return StatusRow(slug, code, len(template), words, translated, fuzzy, untranslated, drafts, missing)
