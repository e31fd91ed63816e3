"""The whole pipeline in one call: extract, translate, check, build.

Each stage is the library function its own command uses; this module only
runs them in order and gathers what a newsroom wants to see at the end: per
article and locale, whether an edition was built (and where) or what blocks
it.  A locale without a translation model is not an error here: it is
reported (with the package to install) and the other stages go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, mt
from .bundle import BuildReport, EditionResult, Policy, build_project, check_output_folder
from .draft import DraftReport, MissingModelError, draft_project


@dataclass
class PipelineReport:
    """What :func:`run_pipeline` did, stage by stage."""

    extract: catalog.ExtractReport
    drafts: dict[str, DraftReport] = field(default_factory=dict)  # locale -> report
    missing_models: dict[str, str] = field(default_factory=dict)  # locale -> how to install
    failing: dict[tuple[str, str], int] = field(default_factory=dict)  # (article, locale) -> count
    build: BuildReport | None = None

    def rows(self) -> list[dict]:
        """One summary row per article and locale, in build order."""
        rows = []
        for result in self.build.results if self.build else []:
            rows.append({
                "article": result.slug,
                "locale": result.locale,
                "drafts": self._draft_note(result.slug, result.locale),
                "checks": self._check_note(result),
                "edition": result,
            })
        return rows

    def _draft_note(self, slug: str, locale: str) -> str:
        if locale in self.missing_models:
            return "no model"
        report = self.drafts.get(locale)
        if report is None:
            return "-"
        if (slug, locale) in report.not_written:
            return "not written: changed on disk"
        done = report.by_catalog.get((slug, locale), 0)  # this article's, not the locale's
        return f"{done} drafted" if done else "nothing to draft"

    def _check_note(self, result: EditionResult) -> str:
        failing = self.failing.get((result.slug, result.locale), 0)
        return f"{failing} failing" if failing else "ok"

    @property
    def conflicts(self) -> list:
        """One error per catalog not written: extract and drafting may both have met the
        same change on disk, and that is one catalog, reported once."""
        unique = {}
        for conflict in self.extract.conflicts + [c for r in self.drafts.values() for c in r.conflicts]:
            unique.setdefault(conflict.path, conflict)
        return list(unique.values())


def run_pipeline(
    project,
    slugs: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
    out: Path | str = Path("dist"),
    policy: Policy | None = None,
    device: str = "cpu",
    threads: int | None = None,
    draft_progress: Callable[[int, int], None] | None = None,
) -> PipelineReport:
    """Extract, draft (where a model is installed), check and build (which runs the checks)."""
    slugs = list(slugs) if slugs else None
    codes = project.select_locales(list(locales) if locales else None)
    out = Path(out)
    check_output_folder(project, out if out.is_absolute() else project.root / out)  # before any work
    # A device CTranslate2 cannot use is an error of the whole run (ModelError), not a
    # missing model of each locale: stop before any work, as `newsloc translate` does.
    mt.check_device(device)
    report = PipelineReport(extract=catalog.extract(project, slugs, codes))
    for code in codes:
        try:
            report.drafts[code] = draft_project(
                project, slugs, [code], device=device, threads=threads, progress=draft_progress)
        except MissingModelError as exc:  # (a damaged model or other ModelError stops the run)
            report.missing_models[code] = exc.message
    report.build = build_project(project, slugs, codes, out, policy=policy or Policy())
    # The build ran every check on every catalog it read: count from there
    # rather than checking everything a second time.
    report.failing = {(r.slug, r.locale): r.failing for r in report.build.results if r.failing}
    return report
