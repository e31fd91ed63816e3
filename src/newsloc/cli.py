"""The ``newsloc`` command line: a thin layer over the library.

Each command parses its options, makes one library call and turns
:class:`~newsloc.errors.NewslocError` into a one-line message and a non-zero exit.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import __version__, catalog
from .errors import NewslocError
from .project import Project


def reports_errors(func):
    """Turn library errors into click errors (message naming file and line, exit 1)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NewslocError as exc:
            project = click.get_current_context().find_object(Project)
            if project is not None and exc.path is not None and exc.path.is_absolute():
                exc.path = project.relative(exc.path)
            raise click.ClickException(str(exc)) from None
        except FileNotFoundError as exc:
            raise click.ClickException(f"{exc.filename}: no such file") from None
        except BrokenPipeError:
            raise  # (`newsloc status | head -1`: click ends quietly)
        except OSError as exc:  # a file or folder in the way, unreadable, unwritable, a link loop...
            raise click.ClickException(_os_error_message(exc)) from None

    return wrapper


def _os_error_message(exc: OSError) -> str:
    """``<file>: <reason>`` for an operating-system error (the file as the project shows it)."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    path = Path(os.fsdecode(exc.filename))
    project = click.get_current_context().find_object(Project)
    if project is not None and path.is_absolute():
        path = project.relative(path)
    where = f"{path} -> {os.fsdecode(exc.filename2)}" if exc.filename2 is not None else str(path)
    return f"{where}: {reason}"


pass_project = click.make_pass_decorator(Project, ensure=True)


@click.group()
@click.version_option(__version__, prog_name="newsloc")
@click.option(
    "--project",
    "project_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Root of the localization project (holds source/, locales/, glossary.yaml).",
)
@click.pass_context
def cli(ctx: click.Context, project_root: Path) -> None:
    """newsloc: translate and localize news articles offline.

    A project holds articles in source/, gettext catalogs in
    locales/<lang>/LC_MESSAGES/<article>.po and a glossary.yaml.

    \b
    Typical session:
        newsloc extract            # source/ -> locales/*.pot and *.po
        newsloc translate          # offline machine drafts (fuzzy)
        (review the .po files in Poedit)
        newsloc check              # glossary, markup, numbers, links
        newsloc build              # dist/<article>/<lang>/index.html
    """
    if ctx.invoked_subcommand != "models" and not project_root.is_dir():  # models need no project
        raise click.ClickException(f"{project_root}: no such project folder (one holding source/ and locales/)")
    if ctx.invoked_subcommand in _ARTICLE_COMMANDS and not (project_root / "source").is_dir():
        # (a wrong --project, or a wrong folder: not an empty success, nor a dist/ made there)
        raise click.ClickException(f"{project_root}: not a newsloc project: it has no source/ folder of articles")
    ctx.obj = Project(project_root)


_ARTICLE_COMMANDS = frozenset({"extract", "status", "check", "build", "run", "translate"})


def main() -> None:
    if sys.stdout is None:  # started with its output closed (`>&-`): nowhere to say what it did
        if sys.stderr is not None:
            sys.stderr.write("Error: standard output is closed\n")
        sys.exit(1)
    try:
        cli(prog_name="newsloc")
    except BrokenPipeError:
        # `newsloc status | head -1`: the reader has what it wanted; say nothing more
        # (Python's own flush at exit would raise again: hand it /dev/null).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)  # as a command killed by SIGPIPE
    except OSError as exc:  # the output cannot be written (a full disk: `--help >/dev/full`)
        click.echo(f"Error: cannot write the output: {exc.strerror or exc}", err=True)
        sys.exit(1)


article_option = click.option(
    "--article", "articles", multiple=True, metavar="SLUG",
    help="Only this article (file name without extension); repeatable.",
)
locale_option = click.option(
    "--locale", "locales", multiple=True, metavar="LANG",
    help="Only this locale (e.g. ru); repeatable.",
)


def _echo_path(project: Project, path: Path) -> str:
    return str(project.relative(path))


def _paths_under(project: Project, folder: Path) -> Callable[[Path], str]:
    """How paths under ``folder`` are shown (as :func:`_echo_path` shows them), with ``folder``
    resolved once: outside the project, resolving every path would cost a system call per path
    component for each line printed (a sixth of a 2,000-article build with --out elsewhere)."""
    shown = project.relative(folder)

    def show(path: Path) -> str:
        try:
            return str(shown / path.relative_to(folder))
        except ValueError:
            return _echo_path(project, path)

    return show


@cli.command()
@article_option
@locale_option
@click.option("--source-lang", metavar="LANG", help="Source language of the articles (default: en, or the file name's .LANG suffix).")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), metavar="N",
    help="Worker processes (default: one per CPU from 256 files to write on; 1 = in this process).",
)
@pass_project
@reports_errors
def extract(project: Project, articles, locales, source_lang, jobs) -> None:
    """Extract articles into a template and one PO catalog per locale.

    Reads source/*.txt and source/*.html, cuts paragraphs into sentences and
    writes locales/<article>.pot and locales/<lang>/LC_MESSAGES/<article>.po.
    Existing translations are kept (like msgmerge --previous); removed
    sentences become obsolete entries. Files that would not change are not
    rewritten. Repairs of broken markup are printed as warnings.

    \b
    Example:
        newsloc extract
        newsloc extract --article the-friend-of-my-enemy --locale ru
        newsloc extract --jobs 1      # no worker processes
    """
    report = catalog.extract(
        project, articles, locales, source_lang,
        on_repair=lambda repair: click.echo(str(repair), err=True),
        jobs=jobs,
    )
    if report.written:  # one write for thousands of lines
        click.echo("".join(f"wrote {_echo_path(project, path)}\n" for path in report.written), nl=False)
    if report.unchanged:
        click.echo(f"{len(report.unchanged)} file(s) unchanged")
    if report.conflicts:
        for conflict in report.conflicts:
            click.echo(f"error: {conflict}", err=True)
        raise click.ClickException(f"{len(report.conflicts)} catalog(s) not written")


@cli.command("add-locale")
@click.argument("lang")
@pass_project
@reports_errors
def add_locale(project: Project, lang: str) -> None:
    """Add a target locale (a folder under locales/).

    LANG is a gettext locale code that Babel knows (ru, hy, pt_BR...). Run
    `newsloc extract` afterwards to create its catalogs.

    \b
    Example:
        newsloc add-locale de
    """
    existed = (project.locales_dir / lang / "LC_MESSAGES").is_dir()  # (for the message: add_locale validates)
    folder = project.add_locale(lang)
    if existed:
        click.echo(f"locale {lang} is there already ({_echo_path(project, folder)})")
    else:
        click.echo(f"added locale {lang} ({_echo_path(project, folder)}); run `newsloc extract` to create its catalogs")


@cli.command()
@article_option
@locale_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_project
@reports_errors
def status(project: Project, articles, locales, as_json: bool) -> None:
    """Show translation progress per article and locale.

    Counts entries, source words, translated, fuzzy (needs work: machine
    drafts and changed sources), of those the machine drafts nobody has
    edited yet ("(mt)"), and untranslated entries.

    \b
    Example:
        newsloc status
        newsloc status --locale ru --json
    """
    rows = catalog.status(project, articles, locales)
    if as_json:
        import json  # only for --json output: not loaded at start-up

        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
    else:
        _status_table(rows)
    for slug, code in catalog.not_extracted(project, articles, locales):  # (shown on no row)
        click.echo(f"{slug} {code}: no catalog yet; run `newsloc extract`", err=True)


def _status_table(rows) -> None:
    header = ("article", "locale", "entries", "words", "translated", "fuzzy", "(mt)", "untranslated", "done")
    table = [header] + [
        (r.article, r.locale, str(r.entries), str(r.words), str(r.translated), str(r.fuzzy),
         str(r.drafts), str(r.untranslated), f"{r.percent:.1f}%")
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:])]
        click.echo("  ".join(cells).rstrip())
    for r in rows:  # entries of the template a catalog lacks: counted as untranslated
        if r.missing:
            entries = "entry of the template is" if r.missing == 1 else "entries of the template are"
            click.echo(f"{r.article} {r.locale}: {r.missing} {entries} missing from the catalog "
                       "(counted as untranslated); run `newsloc extract`", err=True)


# --- build command ---
@cli.command()
@article_option
@locale_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Output folder (relative paths are inside the project).")
@click.option("--zip", "make_zip", is_flag=True, help="Also write <out>/<article>-<lang>.zip per edition.")
@click.option("--allow-drafts", is_flag=True,
              help="Publish unreviewed (fuzzy) machine drafts, marked as drafts on the page.")
@click.option("--allow-incomplete", is_flag=True,
              help="Show the source sentence where a translation is missing (marked with its language).")
@click.option("--min-translated", type=click.FloatRange(0, 100), metavar="PCT",
              help="Publish an incomplete edition if at least PCT% of entries are translated (like po4a).")
@click.option("--jobs", type=click.IntRange(1), metavar="N",
              help="Worker processes (default: one per CPU when there are many editions; 1: none). "
                   "The output is the same.")
@pass_project
@reports_errors
def build(project: Project, articles, locales, out: Path, make_zip: bool, allow_drafts: bool,
          allow_incomplete: bool, min_translated: float | None, jobs: int | None) -> None:
    """Build publishable bundles: dist/<article>/<lang>/index.html and friends.

    Each edition folder holds index.html (stylesheet embedded), article.txt,
    the compiled <article>.mo and bundle.json (manifest); the source-language
    edition is built too, and dist/<article>/index.html lists the editions. By default a locale is published only when every sentence is
    translated and reviewed (not fuzzy) and no critical or functional check
    fails; otherwise its blocking entries are listed, nothing is written for
    it, the other locales still build, and the command exits with status 1.

    \b
    Example:
        newsloc build
        newsloc build --article the-friend-of-my-enemy --locale ru --zip
        newsloc build --locale hy --allow-drafts --min-translated 80
    """
    from .bundle import Policy, build_project

    policy = Policy(allow_drafts=allow_drafts, allow_incomplete=allow_incomplete,
                    min_translated=min_translated)
    report = build_project(project, articles or None, locales or None, out, make_zip, policy, jobs=jobs)
    show = _paths_under(project, report.out)
    for result in report.sources + report.results:
        if result.built:
            extra = f" + {show(result.zip_path)}" if result.zip_path else ""
            kind = "source" if result.source else result.label
            click.echo(f"{result.slug} {result.locale}: {kind}: {show(result.path)}{extra}")
        else:
            click.echo(f"{result.slug} {result.locale}: {result.label}; nothing written", err=True)
            for blocker in result.blockers:
                click.echo(f"  {blocker}", err=True)
    for index in report.indexes:
        click.echo(f"index: {show(index)}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.blocked:
        raise click.ClickException(
            f"{len(report.blocked)} edition(s) blocked by the publication policy "
            "(see above; --allow-drafts / --allow-incomplete / --min-translated relax it)"
        )
# --- end build command ---


# --- check command ---
@cli.command("check")
@article_option
@locale_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line per problem and a summary; json: an array for tools.")
@click.option("--list-checks", is_flag=True, help="List the checks (name, severity, title) and exit.")
@pass_project
@reports_errors
def check_command(project: Project, articles, locales, output_format: str, list_checks: bool) -> None:
    """Check translations: markup, links, placeholders, numbers, glossary, style.

    Every entry of the selected catalogs goes through the checks (pofilter
    style); each problem is printed as

        path:line: severity: check: message [entry "msgid start…"]

    critical: inline markup differs from the source, a URL changed, an MT
    placeholder is left; functional: numbers differ (in each locale's
    notation), a glossary term is not in an agreed form, untranslated, fuzzy
    (unreviewed draft), identical to the source in another script, sentence
    count differs; cosmetic: end punctuation, quotation marks, double spaces,
    length, markup order. Exits with status 1 when a critical or functional
    check fails.

    \b
    Example:
        newsloc check
        newsloc check --article the-friend-of-my-enemy --locale ru
        newsloc check --format json > findings.json
        newsloc check --list-checks
    """
    from . import check as checks

    if list_checks:
        width = max(len(name) for name in checks.CHECKS)
        for registered in checks.CHECKS.values():
            click.echo(f"{registered.name.ljust(width)}  {registered.severity.ljust(10)}  {registered.title}")
        return
    findings = checks.check_project(project, articles or None, locales or None)
    if output_format == "json":
        import json  # only for --json output: not loaded at start-up

        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
        click.echo(checks.summary_line(findings), err=True)
    else:
        for finding in findings:
            click.echo(str(finding))
        click.echo(checks.summary_line(findings))
    if checks.failed(findings):
        sys.exit(1)
# --- end check command ---


# --- glossary commands ---
@cli.group("glossary")
def glossary_group() -> None:
    """Work with glossary.yaml: validate it, find missing terms, exchange it as TBX.

    The glossary lists named entities (people, organisations, places...) with
    their agreed form and accepted inflected forms per locale. Extraction
    shows them to translators as notes, translation pins them, and
    `newsloc check` verifies that translations use them.

    \b
    Example:
        newsloc glossary check
        newsloc glossary suggest --limit 20
        newsloc glossary export --format tbx -o glossary.tbx
    """


@glossary_group.command("check")
@pass_project
@reports_errors
def glossary_check(project: Project) -> None:
    """Validate glossary.yaml alone (exit 1 on the first error, naming file and line).

    Checks the schema, types, duplicate ids and source forms, locale codes
    (Babel) and that every target locale is configured (a folder under
    locales/). Terms without a target for a configured locale are warnings.

    \b
    Example:
        newsloc glossary check
    """
    from .glossary import check_glossary_file

    glossary, warnings = check_glossary_file(project.glossary_path, project.locales())
    for warning in warnings:
        click.echo(warning, err=True)
    locales = ", ".join(sorted(glossary.locales())) or "no locale"
    click.echo(f"{_echo_path(project, project.glossary_path)}: {len(glossary.terms)} terms, targets for {locales}: OK")


@glossary_group.command("suggest")
@click.option("--limit", type=click.IntRange(1), metavar="N", help="Show only the N most frequent candidates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_project
@reports_errors
def glossary_suggest(project: Project, limit: int | None, as_json: bool) -> None:
    """List candidate named entities in source/ that the glossary lacks.

    Acronyms, runs of capitalised words and names after titles ("Prime
    Minister ..."), ranked by frequency, each with its first location and a
    context snippet. Without glossary.yaml every candidate is listed.

    \b
    Example:
        newsloc glossary suggest --limit 10
    """
    from .suggest import suggest

    candidates = suggest(project, project.load_glossary())[:limit]
    if as_json:
        rows = [{"text": c.text, "kind": c.kind, "count": c.count, "location": c.location,
                 "locations": c.locations, "snippet": c.snippet} for c in candidates]
        import json  # only for --json output: not loaded at start-up

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not candidates:
        click.echo("no candidates: the glossary covers every name found in source/")
    for c in candidates:
        click.echo(f"{c.count:4}  {c.text}  ({c.kind})  {c.location}  {c.snippet}")


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx"]), default="tbx", show_default=True,
              help="Output format: TBX-Basic, read by Weblate, OmegaT and other CAT tools.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@pass_project
@reports_errors
def glossary_export(project: Project, fmt: str, output: Path | None) -> None:
    """Export glossary.yaml as TBX-Basic.

    \b
    Example:
        newsloc glossary export --format tbx -o glossary.tbx
    """
    from .glossary import load_glossary
    from .tbx import export_tbx, write_tbx

    glossary = load_glossary(project.glossary_path, project.locales())
    if output is None:
        click.echo(export_tbx(glossary), nl=False)  # bytes: written to the binary stream as is
    else:
        write_tbx(glossary, output)
        click.echo(f"wrote {output} ({len(glossary.terms)} terms)", err=True)


@glossary_group.command("import")
@click.argument("tbx_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the YAML here (default: the project's glossary.yaml).")
@click.option("--replace", is_flag=True, help="Overwrite an existing glossary file.")
@pass_project
@reports_errors
def glossary_import(project: Project, tbx_file: Path, output: Path | None, replace: bool) -> None:
    """Import a TBX file (TBX-Basic, TBX 2 or 3) as glossary YAML.

    The TBX is validated like glossary.yaml (errors name the TBX file and
    line) before anything is written; an existing glossary is only replaced
    with --replace.

    \b
    Example:
        newsloc glossary import terms.tbx --replace
        newsloc glossary import terms.tbx -o /tmp/imported.yaml
    """
    from .tbx import import_tbx_to_yaml

    out = output or project.glossary_path
    glossary = import_tbx_to_yaml(tbx_file, out, project.locales(), replace=replace)
    click.echo(f"wrote {out} ({len(glossary.terms)} terms)")
# --- end glossary commands ---


# --- translate/models commands ---
def _drafting_progress():
    """A click progress bar on a terminal (entries done / total, rate); silent otherwise."""
    import time

    state: dict = {}

    def progress(advance: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if "bar" not in state:
            state["start"] = time.perf_counter()
            state["done"] = 0

            def rate(_item):
                elapsed = time.perf_counter() - state["start"]
                return f"{state['done'] / elapsed:.0f} entries/s" if elapsed > 0 else ""

            state["bar"] = click.progressbar(
                length=total, label="Drafting", file=sys.stderr, show_pos=True,
                show_eta=True, item_show_func=rate,
            )
            state["bar"].__enter__()
        state["done"] += advance
        state["bar"].update(advance, current_item=True)

    def close() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return progress, close


@cli.command()
@article_option
@locale_option
@click.option("--redraft", is_flag=True,
              help="Also replace machine drafts nobody has edited (e.g. after a model upgrade).")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
              help="Run the models on the CPU or on an NVIDIA GPU (CTranslate2).")
@click.option("--threads", type=click.IntRange(min=1), metavar="N",
              help="CPU threads to use (default: every available core).")
@click.option("--pivot", is_flag=True,
              help="Allow a locale without a direct model to be drafted through another "
                   "language (e.g. en→ru→hy); such drafts say so in their comment.")
@click.option("--beam-size", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Beam search width (1 = greedy, fastest).")
@pass_project
@reports_errors
def translate(project: Project, articles, locales, redraft: bool, device: str,
              threads: int | None, pivot: bool, beam_size: int) -> None:
    """Fill untranslated entries with offline machine drafts (Argos Translate).

    Every untranslated entry of the selected catalogs gets a draft from the
    installed Argos model for the article's language and the locale. Glossary
    terms and inline markup are protected and restored with the agreed forms.
    Drafts are marked fuzzy ("Needs work" in Poedit) and carry a translator
    comment with their provenance (engine, package, version, date) and any
    warning (a glossary pin the model lost, an unreliable output).

    Entries a human wrote or touched are never changed. --redraft replaces
    only drafts nobody has edited. A locale without a model stops the command
    before anything is written, naming the package to install. No network is
    used.

    \b
    Example:
        newsloc models install translate-en_ru-1_9.argosmodel
        newsloc translate --locale ru
        newsloc translate --article the-friend-of-my-enemy --redraft
    """
    from . import draft

    progress, close = _drafting_progress()
    try:
        report = draft.draft_project(
            project, articles, locales, redraft=redraft, device=device, threads=threads,
            progress=progress, pivot=pivot, beam_size=beam_size,
        )
    finally:
        close()
    for route in report.routes:
        click.echo(f"model {route}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in report.written:
        click.echo(f"wrote {_echo_path(project, path)}")
    for line in report.summary():
        click.echo(line)
    if report.conflicts:
        for conflict in report.conflicts:
            click.echo(f"error: {conflict}", err=True)
        raise click.ClickException(f"{len(report.conflicts)} catalog(s) not written")


@cli.group("models")
def models_group() -> None:
    """Manage the offline translation models (Argos Translate packages).

    Packages live where Argos Translate keeps them (ARGOS_PACKAGES_DIR, or
    $XDG_DATA_HOME/argos-translate/packages), so models installed with argospm
    are used too.

    \b
    Example:
        newsloc models list
        newsloc models install translate-en_ru-1_9.argosmodel
        newsloc models install --from en --to hy
        newsloc models remove translate-en_hy
    """


@models_group.command("list")
@reports_errors
def models_list() -> None:
    """List installed translation packages (name, languages, version).

    \b
    Example:
        newsloc models list
    """
    from . import models

    packages, problems = models.scan_packages()
    click.echo(f"packages folder: {models.packages_dir()}")
    if not packages:
        click.echo("no translation packages installed")
    for package in packages:
        click.echo(f"{package.name}  {package.pair}  version {package.package_version or '?'}"
                   + (f"  ({package.from_name} → {package.to_name})"
                      if package.from_name and package.to_name else ""))
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)


@models_group.command("install")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "from_code", metavar="LANG", help="Source language (with --to: download).")
@click.option("--to", "to_code", metavar="LANG", help="Target language (with --from: download).")
@click.option("--replace", is_flag=True,
              help="Replace an installed package for the same languages (upgrade).")
@reports_errors
def models_install(path: Path | None, from_code: str | None, to_code: str | None,
                   replace: bool) -> None:
    """Install a package from a .argosmodel file, or download one (--from/--to).

    The archive is checked before anything is extracted (one top folder,
    metadata.json, model/, tokenizer; no absolute paths, '..' or links; a
    size cap) and installed atomically. Downloading uses the Argos package
    index and needs the network.

    \b
    Example:
        newsloc models install ~/Downloads/translate-en_ru-1_9.argosmodel
        newsloc models install --from en --to ru
    """
    from . import models, mt

    if path is not None and (from_code or to_code):
        raise click.UsageError("give either PATH or --from/--to, not both")
    if path is None:
        if not (from_code and to_code):
            raise click.UsageError("give a PATH to a .argosmodel file, or both --from and --to")
        package = models.install_from_index(from_code, to_code, replace=replace)
    else:
        package = models.install_package(path, replace=replace)
    mt.clear_cache()
    click.echo(f"installed {package.name} ({package.pair}, version "
               f"{package.package_version or '?'}) in {package.path.parent}")


@models_group.command("remove")
@click.argument("name")
@reports_errors
def models_remove(name: str) -> None:
    """Remove an installed package (folder name, translate-en_ru, or en_ru).

    \b
    Example:
        newsloc models remove translate-en_ru
    """
    from . import models, mt

    package = models.remove_package(name)
    mt.clear_cache()
    click.echo(f"removed {package.name} ({package.pair})")
# --- end translate/models commands ---


# --- run command ---
@cli.command("run")
@article_option
@locale_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Output folder for the editions (relative paths are inside the project).")
@click.option("--allow-drafts", is_flag=True, help="Publish unreviewed machine drafts, marked as drafts.")
@click.option("--allow-incomplete", is_flag=True, help="Show the source sentence where a translation is missing.")
@click.option("--min-translated", type=click.FloatRange(0, 100), metavar="PCT",
              help="Publish an incomplete edition if at least PCT% of entries are translated.")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
              help="Where the translation models run.")
@click.option("--threads", type=click.IntRange(min=1), metavar="N", help="CPU threads for the models.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any edition is blocked or a model is missing.")
@pass_project
@reports_errors
def run_command(project: Project, articles, locales, out: Path, allow_drafts: bool, allow_incomplete: bool,
                min_translated: float | None, device: str, threads: int | None, strict: bool) -> None:
    """Run the whole pipeline: extract, translate, check and build.

    Machine drafts are made for locales with an installed model; for the
    others the command says which model is missing and goes on. It ends with
    a table: per article and locale, what was built (with its path) and what
    is blocked and why. Blocked editions are an expected state (a catalog
    still being translated), so the exit status is 0 unless something failed
    (a catalog changed on disk meanwhile, a model or --device that cannot be
    used) or --strict is given.

    \b
    Example:
        newsloc run
        newsloc run --locale ru
        newsloc run --allow-drafts --strict
    """
    from .bundle import Policy
    from .pipeline import run_pipeline

    progress, close = _drafting_progress()
    policy = Policy(allow_drafts=allow_drafts, allow_incomplete=allow_incomplete,
                    min_translated=min_translated)
    try:
        report = run_pipeline(project, articles, locales, out, policy, device, threads, progress)
    finally:
        close()
    for repair in report.extract.repairs:
        click.echo(str(repair), err=True)
    changed = len(report.extract.written)
    click.echo(f"extract: {changed} file(s) written, {len(report.extract.unchanged)} unchanged")
    for code, draft_report in report.drafts.items():
        for warning in draft_report.warnings:
            click.echo(f"warning: {warning}", err=True)
    rows = report.rows()
    table = [("article", "locale", "drafts", "checks", "edition")] + [
        (row["article"], row["locale"], row["drafts"], row["checks"],
         f"{row['edition'].label}: {_echo_path(project, row['edition'].path)}" if row["edition"].built
         else row["edition"].label)
        for row in rows
    ]
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    click.echo()
    for row in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
    for source in report.build.sources:
        if source.built:
            click.echo(f"source edition: {_echo_path(project, source.path)}")
    for index in report.build.indexes:
        click.echo(f"editions index: {_echo_path(project, index)}")
    for code, message in report.missing_models.items():
        click.echo(f"\n{code}: {message}")
    for warning in report.build.warnings:
        click.echo(f"warning: {warning}", err=True)
    for result in report.build.blocked:
        click.echo(f"\n{result.slug} {result.locale} is blocked by:")
        for blocker in result.blockers[:10]:
            click.echo(f"  {blocker}")
        if len(result.blockers) > 10:
            click.echo(f"  … and {len(result.blockers) - 10} more (newsloc check --locale {result.locale})")
    if report.conflicts:
        for conflict in report.conflicts:
            click.echo(f"error: {conflict}", err=True)
        raise click.ClickException(f"{len(report.conflicts)} catalog(s) not written")
    if strict and (report.build.blocked or report.missing_models):
        raise click.ClickException("some editions are blocked or models are missing (--strict)")
# --- end run command ---
