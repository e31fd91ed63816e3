"""Drafting stage: fill untranslated catalog entries with offline machine drafts.

For every selected catalog (article x locale), every entry nobody has
translated gets a draft from the installed Argos model for the article's
source language and the locale:

* glossary terms and inline markup are replaced by placeholders before the
  model sees the sentence and put back afterwards (:mod:`newsloc.pinning`), so
  names come out in the locale's agreed form and tags come out intact;
* all pending sentences of all selected articles for a locale go through one
  loaded model in large batches (:mod:`newsloc.mt`); identical sentences are
  translated once;
* each draft is ``#, fuzzy`` and carries its provenance in the translator
  comment::

      # newsloc-mt: engine=argos package=translate-en_ru version=1.9 date=2025-11-29
      # newsloc-mt: sha256=3f0c6a1e9b2d4c55
      # newsloc-mt: warning: pin ZQ1 (CSTO → ОДКБ) dropped

  The ``sha256`` line is a hash of the draft msgstr: a fuzzy entry whose text
  no longer matches it was edited by a human.

What counts as human work, and is never changed: a translated entry that is
not fuzzy (written by a translator, or a draft a reviewer accepted); a fuzzy
entry whose text differs from its recorded draft (an edited draft, or a
msgmerge fuzzy match of a human translation); any entry whose translator
comment has lines of its own.  ``redraft=True`` replaces only unedited drafts
(e.g. after a model upgrade); an unedited draft whose source sentence changed
since (re-extraction marks it fuzzy with ``#| msgid``) is redrafted anyway,
since it translates a sentence that no longer exists.

Nothing is written until every draft is made: a missing model, a bad catalog
or an interruption leaves every catalog as it was; the changed catalogs are
then written together (:class:`newsloc.pofile.WriteBatch`: temporary files,
one sync, renames), each atomically, and a catalog a translator saved
meanwhile is left alone and reported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polib

from . import models, mt, textchars
from .errors import CatalogError, ConcurrentEditError, ModelError
from .catalog import DRAFT_HASH_LINE, PROVENANCE, stage_catalog
from .pofile import WriteBatch, load_po

ENGINE = "argos"

# Progress callback: progress(entries_just_done, total_entries).
Progress = Callable[[int, int], None]


# -- telling drafts from human work ---------------------------------------------------


def draft_hash(msgstr: str) -> str:
    return hashlib.sha256(msgstr.encode("utf-8")).hexdigest()[:16]


def _lines(entry: polib.POEntry) -> list[str]:
    return (entry.tcomment or "").splitlines()


def is_machine_draft(entry: polib.POEntry) -> bool:
    """An unedited newsloc draft: fuzzy, only newsloc-mt comment lines, hash matches msgstr."""
    lines = _lines(entry)
    if not lines or "fuzzy" not in entry.flags or not entry.msgstr:
        return False
    if any(not line.startswith(PROVENANCE) for line in lines):
        return False
    return f"{DRAFT_HASH_LINE}{draft_hash(entry.msgstr)}" in lines


def classify(entry: polib.POEntry) -> str:
    """'untranslated', 'draft', 'stale-draft' (its source changed) or 'human'."""
    if is_machine_draft(entry):
        return "stale-draft" if entry.previous_msgid else "draft"
    if entry.msgstr or any(entry.msgstr_plural.values()):
        return "human"
    if any(not line.startswith(PROVENANCE) for line in _lines(entry)):
        return "human"  # an empty entry with a translator's comment
    return "untranslated"  # (with a draft's stale lines, if a translator cleared its text)


# -- locale codes to Argos codes ------------------------------------------------------


def argos_codes(locale: str) -> list[str]:
    """Argos language codes for a gettext locale, best first (pt_BR -> pb, pt; zh_TW -> zt, zh)."""
    parts = re.split(r"[_@.-]", locale)
    language = parts[0].lower()
    rest = {p.upper() for p in parts[1:]} | {p.title() for p in parts[1:]}
    codes = [locale]
    if language == "zh" and rest & {"Hant", "TW", "HK", "MO"}:
        codes.append("zt")  # Argos's code for traditional Chinese
    if language == "pt" and "BR" in rest:
        codes.append("pb")  # LibreTranslate's Brazilian Portuguese
    codes.append(language)
    return list(dict.fromkeys(codes))


@dataclass
class Route:
    """The model(s) that translate one source language into one locale."""

    source: str
    locale: str
    packages: list[models.ModelPackage]

    @property
    def pivot(self) -> str | None:
        return self.packages[0].to_code if len(self.packages) > 1 else None

    def provenance(self, date: str) -> str:
        names = "+".join(p.argospm_name for p in self.packages)
        versions = "+".join(p.package_version or "?" for p in self.packages)
        line = f"{PROVENANCE} engine={ENGINE} package={names} version={versions} date={date}"
        if self.pivot:
            line += f" pivot={self.pivot}"
        return line


def find_route(source: str, locale: str, pivot: bool) -> Route | None:
    for src in argos_codes(source):
        for dst in argos_codes(locale):
            packages = models.find_route(src, dst, pivot=False)
            if packages:
                return Route(source, locale, packages)
    if pivot:
        for src in argos_codes(source):
            for dst in argos_codes(locale):
                packages = models.find_route(src, dst, pivot=True)
                if packages:
                    return Route(source, locale, packages)
    return None


# -- the report -------------------------------------------------------------------------


@dataclass
class DraftReport:
    """What :func:`draft_project` did."""

    drafted: int = 0  # untranslated entries that got a draft
    redrafted: int = 0  # drafts replaced (--redraft, or their source changed)
    kept_drafts: int = 0  # unedited drafts left as they are (no --redraft, or redrafted the same)
    human: int = 0  # entries skipped as human work
    # Of the drafts this run translated (a redraft that came out the same included):
    pins_lost: int = 0  # drafts with a dropped, duplicated or altered pin
    unreliable: int = 0  # drafts the engine flagged (garbage, loops, over-long)
    failed: int = 0  # empty model output: left untranslated
    warnings: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    conflicts: list[ConcurrentEditError] = field(default_factory=list)
    # Per catalog, as (article slug, locale): entries drafted or redrafted in it, and the
    # catalogs whose drafts were not written (changed on disk meanwhile).
    by_catalog: dict[tuple[str, str], int] = field(default_factory=dict)
    not_written: set[tuple[str, str]] = field(default_factory=set)
    seconds: float = 0.0
    segments: int = 0  # distinct sentences sent to the models

    def summary(self) -> list[str]:
        """Two lines for the end of a run: what happened to the entries, and to the files."""
        entries = (f"drafted {self.drafted}, redrafted {self.redrafted}, "
                   f"skipped as human work {self.human}, kept existing drafts {self.kept_drafts}, "
                   f"pins lost {self.pins_lost}, unreliable {self.unreliable}")
        if self.failed:
            entries += f", failed {self.failed}"
        files = f"{len(self.written)} catalog(s) written, {len(self.unchanged)} unchanged"
        if self.conflicts:
            files += f", {len(self.conflicts)} not written (changed on disk)"
        if self.segments and self.seconds:
            files += (f" ({self.segments} sentences in {self.seconds:.1f}s, "
                      f"{self.segments / self.seconds:.0f} sentences/s)")
        return [entries, files]


# -- the stage ----------------------------------------------------------------------------


@dataclass
class _Catalog:
    slug: str
    locale: str
    path: Path
    po: polib.POFile
    stamp: str
    source: str
    changed: bool = False
    drafts: int = 0  # entries drafted or redrafted in this catalog


@dataclass
class _Job:
    catalog: _Catalog
    entry: polib.POEntry
    kind: str  # untranslated | draft | stale-draft
    pinned: object = None
    # (the MTResult it was made from, restored text, comment lines, warnings):
    # made while the model still translates other sentences (see _prepare).
    prepared: tuple | None = None


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = float(epoch) if epoch else time.time()
    return datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%d")


def _source_language(po: polib.POFile, slug_lang: str | None) -> str:
    return (po.metadata.get("X-Source-Language") or slug_lang or "en").strip()


def _load_catalogs(project, articles, locales) -> list[_Catalog]:
    from .articles import slug_and_lang

    codes = project.select_locales(list(locales) if locales else None)
    paths = project.select_articles(list(articles) if articles else None)
    catalogs = []
    for path in paths:
        slug, slug_lang = slug_and_lang(path)
        for code in codes:
            po_path = project.po_path(slug, code)
            try:  # (not exists(): it is False for a link that loops, which is an error)
                loaded = load_po(po_path)
            except FileNotFoundError:
                if code == project.source_language(path):
                    continue  # the article's own language has no catalog (extract makes none)
                raise CatalogError(
                    "no catalog for this article and locale; run `newsloc extract` first",
                    project.relative(po_path),
                ) from None
            source = _source_language(loaded.po, slug_lang)
            catalogs.append(_Catalog(slug, code, po_path, loaded.po, loaded.stamp, source))
    return catalogs


class MissingModelError(ModelError):
    """No installed model translates an article's language into a locale (nothing was written)."""


def _missing_models_error(missing: list[tuple[str, str]], pivot: bool) -> MissingModelError:
    lines = []
    for source, locale in missing:
        if argos_codes(source)[-1] == argos_codes(locale)[-1]:
            # en -> en_GB: one language, which no model translates into itself
            lines.append(f"no machine translation {source}→{locale}: {locale} is a variant of the "
                         "source language; its translators write it (or copy the source with msgen and edit)")
            continue
        line = (f"no translation model {source}→{locale} is installed; "
                + models.install_hint(argos_codes(source)[-1], argos_codes(locale)[-1]))
        if not pivot:
            indirect = find_route(source, locale, pivot=True)
            if indirect is not None:
                line += (f"; or draft through {indirect.pivot} with --pivot ("
                         + " + ".join(p.argospm_name for p in indirect.packages) + ")")
        lines.append(line)
    return MissingModelError("\n".join(lines))


def draft_project(
    project,
    articles: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
    redraft: bool = False,
    device: str = "cpu",
    threads: int | None = None,
    progress: Progress | None = None,
    pivot: bool = False,
    beam_size: int = 2,
) -> DraftReport:
    """Draft every untranslated entry of the selected catalogs; see the module docstring."""
    started = time.perf_counter()
    report = DraftReport()
    mt.check_device(device)
    glossary = project.load_glossary()
    catalogs = _load_catalogs(project, articles, locales)

    # What needs a model, per (source language, locale).
    work: dict[tuple[str, str], list[_Job]] = {}
    for catalog in catalogs:
        for entry in catalog.po:
            if entry.obsolete or not entry.msgid or entry.msgid_plural:
                continue
            kind = classify(entry)
            if kind == "human":
                report.human += 1
            elif kind == "draft" and not redraft:
                report.kept_drafts += 1
            else:
                work.setdefault((catalog.source, catalog.locale), []).append(
                    _Job(catalog, entry, kind))

    # Every model is found and loaded before anything is translated or written.
    routes: dict[tuple[str, str], Route] = {}
    missing = []
    for key in work:
        route = find_route(*key, pivot=pivot)
        if route is None:
            missing.append(key)
        else:
            routes[key] = route
    if missing:
        raise _missing_models_error(missing, pivot)
    translators = {
        key: [mt.get_translator(p, device, threads, beam_size) for p in route.packages]
        for key, route in routes.items()
    }

    from .pinning import protect

    total = sum(len(jobs) for jobs in work.values())
    if progress is not None and total:
        progress(0, total)
    date = _today()
    for key, jobs in work.items():
        route = routes[key]
        report.routes.append(
            f"{route.source}→{route.locale}: "
            + " + ".join(p.label for p in route.packages)
            + (f" (pivot through {route.pivot})" if route.pivot else "")
        )
        for job in jobs:
            job.pinned = protect(job.entry.msgid, route.locale, glossary)
        texts = list(dict.fromkeys(job.pinned.text for job in jobs))
        report.segments += len(texts)
        results = _translate(
            translators[key], texts, jobs, progress, total,
            lambda job, result, route=route: _prepare(job, result, route, date))
        for job in jobs:
            _apply(job, results[job.pinned.text], route, date, report, project)

    # Every changed catalog is staged (temporary file), made durable with one
    # sync for all, then renamed into place: one fsync per catalog would cost
    # more than the drafting itself on a small model.
    batch = WriteBatch()
    staged_catalogs = []
    try:
        for catalog in catalogs:
            if catalog.drafts:
                report.by_catalog[(catalog.slug, catalog.locale)] = catalog.drafts
            if not catalog.changed:
                report.unchanged.append(catalog.path)
                continue
            try:
                staged = stage_catalog(catalog.po, catalog.path, catalog.stamp, sync=False)
            except ConcurrentEditError as exc:
                report.conflicts.append(exc)
                report.not_written.add((catalog.slug, catalog.locale))
                continue
            if staged is None:
                report.unchanged.append(catalog.path)
            else:
                batch.add(staged)
                staged_catalogs.append(catalog)
    except BaseException:
        batch.discard()
        raise
    for catalog, conflict in zip(staged_catalogs, batch.commit()):
        if conflict is None:
            report.written.append(catalog.path)
        else:
            report.conflicts.append(conflict)
            report.not_written.add((catalog.slug, catalog.locale))
    report.seconds = time.perf_counter() - started
    return report


def _translate(chain: list[mt.Translator], texts: list[str], jobs: list[_Job],
               progress: Progress | None, total: int,
               prepare: Callable[[_Job, mt.MTResult], None] | None = None,
               ) -> dict[str, mt.MTResult]:
    """Run texts through one model, or two for a pivot; progress counts entries.

    ``prepare(job, result)`` is called for the jobs of each text as its final
    result arrives, while the model is still busy with other sentences.
    """
    groups: dict[str, list[_Job]] = {}
    for job in jobs:
        groups.setdefault(job.pinned.text, []).append(job)
    weights = [len(groups[text]) for text in texts]  # identical sentences are translated once
    current = texts
    results: list[mt.MTResult] = []
    for hop, translator in enumerate(chain):
        last = hop == len(chain) - 1
        before_hop = results

        def on_result(index: int, after: mt.MTResult, before_hop=before_hop) -> None:
            if before_hop:  # as merged below, once every text is done
                before = before_hop[index]
                after = dataclasses.replace(
                    after, warnings=before.warnings + after.warnings,
                    hit_length_limit=before.hit_length_limit or after.hit_length_limit)
            for job in groups[texts[index]]:
                prepare(job, after)

        hop_results = translator.translate_full(
            current,
            progress=(lambda n: progress(n, total)) if progress is not None and last else None,
            weights=weights,
            on_result=on_result if last and prepare is not None else None,
        )
        for before, after in zip(results, hop_results):  # keep the first hop's warnings
            after.warnings[:0] = before.warnings
            after.hit_length_limit |= before.hit_length_limit
        results = hop_results
        current = [r.text for r in hop_results]
    return dict(zip(texts, results))


def _undated(lines: list[str]) -> list[str]:
    return [re.sub(r" date=\S+", "", line) for line in lines]


def _route_lines(route: Route, date: str) -> tuple[str, str | None]:
    """The provenance line and the pivot note (or None) of a route's drafts: the same for
    all its entries, so made once (kept on the route) rather than once per entry."""
    cached = route.__dict__.get("_lines")
    if cached is None or cached[0] != date:
        note = (f"{PROVENANCE} note: pivot translation through {route.pivot} "
                "(two models): check the meaning closely") if route.pivot else None
        cached = route.__dict__["_lines"] = (date, route.provenance(date), note)
    return cached[1], cached[2]


def _prepare(job: _Job, result: mt.MTResult, route: Route, date: str) -> tuple:
    """The draft for one entry (restored text, comment lines, warnings), entry untouched.

    Called as the entry's sentence comes out of the model, so this work
    overlaps with the translation of the rest; :func:`_apply` then only
    changes the entry, in entry order, after every draft is made.
    """
    from .pinning import restore

    restored = restore(textchars.remove_forbidden(result.text), job.pinned)
    if not restored.text.strip():
        job.prepared = (result, restored, None, None)
        return job.prepared
    warnings = list(result.warnings) + list(restored.problems)
    provenance, note = _route_lines(route, date)
    lines = [provenance, f"{DRAFT_HASH_LINE}{draft_hash(restored.text)}"]
    if note:
        lines.append(note)
    lines += [f"{PROVENANCE} warning: {w}" for w in warnings]
    job.prepared = (result, restored, lines, warnings)
    return job.prepared


def _apply(job: _Job, result: mt.MTResult, route: Route, date: str, report: DraftReport,
           project) -> None:
    entry = job.entry
    prepared = job.prepared
    if prepared is None or prepared[0] != result:  # not seen while translating, or redone
        prepared = _prepare(job, result, route, date)
    _, restored, lines, warnings = prepared

    def where() -> str:
        return f"{project.relative(job.catalog.path)}: {entry.msgid[:60]!r}"

    if lines is None:
        report.failed += 1
        report.warnings.append(f"{where()}: the model returned nothing; left untranslated")
        return
    if job.kind == "draft" and entry.msgstr == restored.text and \
            _undated(_lines(entry)) == _undated(lines):
        # Same model, same draft: leave the entry (and file) alone; it is a kept draft,
        # whose warnings (in its comment already) still count below.
        report.kept_drafts += 1
    else:
        entry.msgstr = restored.text
        entry.tcomment = "\n".join(lines)
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
        job.catalog.changed = True
        job.catalog.drafts += 1
        if job.kind == "untranslated":
            report.drafted += 1
        else:
            report.redrafted += 1
    if restored.problems:
        report.pins_lost += 1
    if result.warnings:
        report.unreliable += 1
    for warning in warnings:
        report.warnings.append(f"{where()}: {warning}")
