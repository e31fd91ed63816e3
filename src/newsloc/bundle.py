"""Build stage: source articles + reviewed catalogs -> publishable bundles.

For every article and locale, ``dist/<slug>/<lang>/`` receives ``index.html``
(with the stylesheet embedded), ``article.txt``, the compiled ``<slug>.mo`` and
``bundle.json``;
``dist/<slug>/`` also gets the source-language edition and an ``index.html``
listing the editions.

How a page is made (translate-toolkit's ``po2html`` approach): the *source*
article is read and segmented again, and every segment is looked up in the
catalog by ``(msgctxt, msgid)``; the translated segment texts are joined with
the block's separators (:meth:`newsloc.model.Block.join`).  The page structure
therefore always comes from the source; a catalog only supplies sentences.

Publication policy (:class:`Policy`): by default an edition is built only when
every sentence is translated, none is fuzzy and no critical or functional check
of :mod:`newsloc.check` fails.  Otherwise the edition is *blocked*: nothing is
written for it and the blocking entries are reported (file:line, check); the
other editions still build.  ``allow_drafts`` admits fuzzy machine drafts
(``data-status="draft"`` on the segment and a visible notice);
``allow_incomplete`` shows the source sentence for untranslated ones (marked
with the source ``lang``); ``min_translated`` is po4a's threshold.

Safety: translated markup is never trusted.  Each translation is sanitised
with nh3 using an allowlist taken from its *source segment* (its tags, and for
each tag the exact attribute values), and a translation the sanitiser would
have to change is rejected with :class:`~newsloc.errors.UnsafeMarkupError`
naming the catalog entry; it never reaches the page.  The source markup itself
is checked against a fixed baseline (inline tags, no event handlers, only
http/https/mailto or relative URLs).  Everything else on the page goes through
Jinja2 autoescaping.  Output paths are made from validated slugs and locale
codes and must resolve inside the output folder.

Determinism: files depend only on their inputs; the one exception is
``build_time`` in ``bundle.json`` (which honours ``SOURCE_DATE_EPOCH``).  The
publication date shown on the pages is the article's ``POT-Creation-Date`` (the
date its current source text was first extracted), not a clock reading.

Writing: an article (or edition) folder that does not exist yet is filled in a
hidden staging folder next to it and renamed into place in one step, so
readers see nothing or the whole folder; in an existing folder every file is
replaced atomically (temporary file and rename), and only if its bytes change;
an edition's changed files are all written before any is renamed in, and
Ctrl-C / SIGTERM / SIGHUP are held back while an article is written
(:func:`_write_article`), so an interrupted build leaves each edition folder
wholly old or wholly new and no temporary file.
Nothing is fsync'ed: the output can always be built again.  With many
editions, forked worker processes read, check and render the articles while
the main process writes them in input order (:func:`build_project`'s
``jobs``), so files, messages and errors are those of a sequential build.
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import gc
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parseaddr
from functools import lru_cache
from .htmlparse import HTMLParser
from importlib import resources
from pathlib import Path

import nh3
import orjson
import polib
from babel.dates import format_date
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import __version__
from .articles import INLINE_TAGS, VOID_TAGS
from .catalog import HEADLINE_CONTEXT, catalog_counts, header_line, plural_forms_problem
from .errors import BuildError, CatalogError, NewslocError, UnsafeMarkupError
from .locales import english_name, is_known_locale, native_name, text_direction, validate_locale
from .model import Article, Block, Segment
from .pofile import load_po, mo_bytes, read_bytes
from .project import is_article_name

BLOCKING_SEVERITIES = ("critical", "functional")
# Checks of newsloc.check that restate what the policy itself decides
# (untranslated / fuzzy entries): the policy reports them once, with its waivers.
POLICY_CHECKS = frozenset({"untranslated", "fuzzy"})

# -- markup safety ------------------------------------------------------------
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# Attributes a *source* segment may carry; a translation may only repeat them.
SOURCE_ATTRIBUTES = frozenset({
    "href", "title", "lang", "dir", "class", "id", "style", "rel", "target", "hreflang", "name",
})
# Removed together with their content if a translation smuggles them in.
DANGEROUS_CONTENT_TAGS = frozenset({
    "script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
    "title", "svg", "math", "frame", "frameset", "noembed", "noframes", "xmp",
})


class _Tokens(HTMLParser):
    """Markup of a fragment as comparable tokens (html.parser, not regexes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.items.append(("end", tag))

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.items.append(("end", tag))

    def handle_data(self, data):
        if self.items and self.items[-1][0] == "data":
            self.items[-1] = ("data", self.items[-1][1] + data)
        else:
            self.items.append(("data", data))

    def handle_comment(self, data):
        self.items.append(("comment", data))

    def handle_decl(self, decl):
        self.items.append(("decl", decl))

    def handle_pi(self, data):
        self.items.append(("pi", data))

    def unknown_decl(self, data):
        self.items.append(("decl", data))


def _tokens(fragment: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(fragment)
    parser.close()
    return parser.items


def _plain(fragment: str) -> bool:
    """No markup and no character references: nothing to sanitise."""
    return "<" not in fragment and "&" not in fragment


def _escape_plain(fragment: str) -> str:
    return fragment.replace(">", "&gt;")


@dataclass(frozen=True)
class Allowlist:
    """The markup one source segment allows: tag -> attribute -> exact values."""

    tags: frozenset[str]
    values: tuple[tuple[str, tuple[tuple[str, frozenset[str]], ...]], ...]

    def attributes(self, tag: str) -> dict[str, frozenset[str]]:
        return dict(dict(self.values).get(tag, ()))


def _url_is_safe(value: str) -> bool:
    scheme, colon, _ = value.strip().partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # relative URL
    return scheme.lower() in SAFE_URL_SCHEMES


@lru_cache(maxsize=4096)
def source_allowlist(source: str) -> Allowlist:
    """The allowlist of a source segment (its own tags and exact attribute values).

    Raises UnsafeMarkupError (without a location; callers add it) if the
    source itself carries markup no page may contain.
    """
    if _plain(source):
        return Allowlist(frozenset(), ())
    tags: set[str] = set()
    values: dict[str, dict[str, set[str]]] = {}
    for token in _tokens(source):
        kind = token[0]
        if kind in ("comment", "decl", "pi"):
            raise UnsafeMarkupError(f"source segment contains a {kind}")
        if kind != "start":
            continue
        tag, attrs = token[1], token[2]
        if tag not in INLINE_TAGS and tag not in VOID_TAGS:
            raise UnsafeMarkupError(f"source segment contains <{tag}>, which is not inline markup")
        tags.add(tag)
        for name, value in attrs:
            if name not in SOURCE_ATTRIBUTES:
                raise UnsafeMarkupError(f"source segment has attribute {name!r} on <{tag}>")
            if name in URL_ATTRIBUTES and not _url_is_safe(value):
                raise UnsafeMarkupError(f"source segment has an unsafe URL {value!r} on <{tag}>")
            values.setdefault(tag, {}).setdefault(name, set()).add(value)
    frozen = tuple(sorted(
        (tag, tuple(sorted((name, frozenset(v)) for name, v in attrs.items())))
        for tag, attrs in values.items()
    ))
    return Allowlist(frozenset(tags), frozen)


@lru_cache(maxsize=1024)
def _cleaner(allow: Allowlist) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(allow.tags),
        clean_content_tags=set(DANGEROUS_CONTENT_TAGS - allow.tags),
        # No attribute is allowed by name alone (not even ammonia's default generic
        # lang/title, which attributes={} would keep): every attribute goes through
        # tag_attribute_values, i.e. only the exact values of the source segment.
        attributes={"*": set()},
        tag_attribute_values={
            tag: {name: set(values) for name, values in attrs} for tag, attrs in allow.values
        },
        url_schemes=set(SAFE_URL_SCHEMES),
        link_rel=None,  # do not add rel=...: the page must carry the source's attributes only
        strip_comments=True,
    )


def _explain(translation_tokens: list[tuple], allow: Allowlist) -> str:
    """Why a translation's markup is not allowed (first offending token)."""
    for token in translation_tokens:
        kind = token[0]
        if kind in ("comment", "decl", "pi"):
            return f"HTML {kind} is not allowed in a translation"
        if kind not in ("start", "end"):
            continue
        tag = token[1]
        if tag not in allow.tags:
            shown = f"<{tag}>" if kind == "start" else f"</{tag}>"
            return f"tag {shown} is not in the source segment"
        if kind == "start":
            allowed = allow.attributes(tag)
            for name, value in token[2]:
                if name not in allowed:
                    return f"attribute {name}={value!r} on <{tag}> is not in the source segment"
                if value not in allowed[name]:
                    return f"attribute {name}={value!r} on <{tag}> differs from the source segment"
    return "markup is malformed (unclosed or misnested tags)"


def sanitize_segment(source: str, translation: str, path: Path | str | None = None,
                     line: int | None = None) -> str:
    """The safe HTML of ``translation``, whose markup must be that of ``source``.

    ``path`` and ``line`` name the catalog entry in error messages.  Raises
    UnsafeMarkupError if the translation has a tag, attribute or attribute
    value its source segment does not have, or markup the sanitiser would
    change (script, handlers, javascript: URLs, comments, broken nesting...).
    """
    try:
        allow = source_allowlist(source)
    except UnsafeMarkupError as exc:
        raise UnsafeMarkupError(exc.message, path, line) from None
    if _plain(translation):
        return _escape_plain(translation)
    cleaned = _cleaner(allow).clean(translation)
    wanted = _tokens(translation)
    if _tokens(cleaned) != wanted or not _exact_values(wanted, allow):
        raise UnsafeMarkupError(f"unsafe markup in translation: {_explain(wanted, allow)}", path, line)
    return cleaned


def _exact_values(tokens: list[tuple], allow: Allowlist) -> bool:
    """Whether every attribute value is one of the source segment's, exactly: ammonia's
    value lists ignore case (it would publish href="…/X" for a source's "…/x")."""
    for token in tokens:
        if token[0] == "start" and token[2]:
            allowed = allow.attributes(token[1])
            for name, value in token[2]:
                if value not in allowed.get(name, ()):
                    return False
    return True


def sanitize_source(segment: str, path: Path | str | None = None, line: int | None = None) -> str:
    """The safe HTML of a source segment (checked against the baseline allowlist)."""
    return sanitize_segment(segment, segment, path, line)


# -- policy and results ---------------------------------------------------------
@dataclass(frozen=True)
class Policy:
    """What an edition needs to be published."""

    allow_drafts: bool = False  # admit fuzzy (unreviewed machine) drafts, marked as such
    allow_incomplete: bool = False  # show the source sentence for untranslated ones
    min_translated: float | None = None  # percent; like po4a's --keep (implies fallback)

    @property
    def fallback(self) -> bool:
        return self.allow_incomplete or self.min_translated is not None


@dataclass(frozen=True)
class Blocker:
    """One reason why an edition cannot be published."""

    path: str
    line: int | None
    check: str
    message: str
    msgid: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        entry = ""
        if self.msgid:  # (labelled as `newsloc check` labels an entry)
            from .check import entry_label

            entry = f' [entry "{entry_label(self.msgid)}"]'
        return f"{where}: {self.check}: {self.message}{entry}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "check": self.check,
                "message": self.message, "msgid": self.msgid}


@dataclass
class EditionResult:
    """The outcome for one article and locale."""

    slug: str
    locale: str
    status: str  # "built" or "blocked"
    path: Path | None = None  # index.html of the edition when built
    zip_path: Path | None = None
    blockers: list[Blocker] = field(default_factory=list)
    errors: list[NewslocError] = field(default_factory=list)  # e.g. UnsafeMarkupError
    translated_percent: float = 0.0
    drafts: int = 0  # segments shown as unreviewed drafts
    fallbacks: int = 0  # segments shown in the source language
    source: bool = False  # the source-language edition
    failing: int = 0  # critical and functional check findings in its catalog (as `newsloc check` counts them)

    @property
    def built(self) -> bool:
        return self.status == "built"

    @property
    def label(self) -> str:
        """A short description for summary tables."""
        if not self.built:
            checks = sorted({b.check for b in self.blockers})
            return f"blocked ({len(self.blockers)}: {', '.join(checks)})"
        notes = []
        if self.drafts:
            notes.append(f"{self.drafts} draft(s)")
        if self.fallbacks:
            notes.append(f"{self.fallbacks} in source language")
        return "built" + (f" ({', '.join(notes)})" if notes else "")


@dataclass
class BuildReport:
    """What :func:`build_project` did."""

    out: Path
    results: list[EditionResult] = field(default_factory=list)  # translated editions
    sources: list[EditionResult] = field(default_factory=list)  # source-language editions
    indexes: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a catalog in an article's own language (not used)

    @property
    def built(self) -> list[EditionResult]:
        return [r for r in self.results if r.built]

    @property
    def blocked(self) -> list[EditionResult]:
        return [r for r in self.results if not r.built]

    @property
    def ok(self) -> bool:
        return not self.blocked


# -- paths ------------------------------------------------------------------------
def validate_slug(slug: str) -> str:
    if not is_article_name(slug):
        raise BuildError(
            f"article slug {slug!r} cannot be used as a folder name "
            "(letters, digits, '.', '_', '-'; not starting with '.'; no '..')"
        )
    return slug


def edition_dir(out: Path, slug: str, lang: str) -> Path:
    """dist/<slug>/<lang>, checked to resolve inside ``out``."""
    validate_slug(slug)
    _facts(lang)  # a valid locale code: letters and one underscore, nothing else
    return _checked(out, slug, lang)


@lru_cache(maxsize=64)
def _resolved(out: Path) -> Path:
    return out.resolve()


def _inside(out: Path, path: Path) -> Path:
    root = _resolved(out)
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise BuildError(f"output path {path} resolves to {resolved}, outside the output folder {root}")
    return path


def _checked(out: Path, *names: str) -> Path:
    """``out/<names...>``, refused (BuildError) if it resolves outside ``out``.

    The names are validated slugs, locale codes or fixed file names: single
    path components, never ``.`` or ``..``.  Below the resolved output folder
    only a symbolic link can then lead elsewhere, so each existing component
    is ``lstat``-ed (one call each, instead of resolving the whole absolute
    path); if one is a link, the full resolution of :func:`_inside` decides.
    """
    path = out.joinpath(*names)
    current = str(_resolved(out))
    for name in names:
        if not name or os.sep in name or name in (".", ".."):
            return _inside(out, path)
        current = os.path.join(current, name)
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return path  # nothing there yet (nor below): it will be created by us
        if stat.S_ISLNK(mode):
            return _inside(out, path)
    return path


def _missing(path: str) -> bool:
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    return False


def _umask() -> int | None:
    """The process's umask, read without changing it (Linux: /proc/self/status); None if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _create(path: str, data: bytes) -> None:
    """A new file in a staging folder of ours (see :func:`_stage`): exclusive create, mode 0644."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        if not _UMASK_KEEPS_0644:
            os.fchmod(fd, 0o644)  # whatever the umask, as _write does
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


# Whether files created with mode 0644 get exactly 0644 (the usual umask 022 clears none of its bits);
# then _create needs no chmod.  Read once per build (build_project), as the umask may change.
_UMASK_KEEPS_0644 = False


def _staging_folder(parent: str, name: str) -> str:
    """A new, empty, hidden folder in ``parent`` that will be renamed to ``name``."""
    while True:
        folder = os.path.join(parent, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            os.mkdir(folder)
            return folder
        except FileExistsError:
            continue
        except OSError as exc:
            raise _target_error(exc, folder, os.path.join(parent, name)) from None


def _stage(parent: str, name: str, fill: Callable[[str], None]) -> bool:
    """Create ``parent/name`` atomically: fill a staging folder, then one rename.

    Used when ``parent/name`` does not exist yet (a first build): readers see
    either nothing or the complete folder, and each file costs an exclusive
    create and a write instead of a temp file, a chmod and a rename.  Returns
    False, leaving nothing behind, if ``parent/name`` appeared meanwhile
    (the caller then writes file by file); other errors propagate.
    """
    staging = _staging_folder(parent, name)
    try:
        fill(staging)
        os.rename(staging, os.path.join(parent, name))  # never over a file, a link or a non-empty folder
        return True
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            return False  # something is there now
        raise _target_error(exc, staging, os.path.join(parent, name)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _target_error(exc: OSError, temporary: str, target: str) -> OSError:
    """``exc`` naming ``target`` where it names our ``temporary`` file or staging folder (or a
    file inside it): the user knows the file being written, not our temporary name for it.
    A ``temporary`` ending in "." is a temporary file's prefix (its name was not known yet)."""
    name = os.fsdecode(exc.filename) if exc.filename is not None else None
    if name is None:
        return exc
    if temporary.endswith("."):
        rest = "" if name.startswith(temporary) and name.endswith(".tmp") else None
    elif name == temporary or name.startswith(temporary + os.sep):
        rest = name[len(temporary):]
    else:
        rest = None
    if rest is None:
        return exc
    return OSError(exc.errno, exc.strerror, target + rest)  # (the errno picks the subclass)


def _write(path: Path, data: bytes) -> None:
    """Atomic write (temp file + rename): readers never see half a page.

    A file that already holds exactly these bytes is left alone (its mtime
    too), so syncing dist/ to a web server only moves what changed.  The
    folder must exist.  ``os.replace`` replaces a symlink at ``path`` itself,
    never the file it points to.
    """
    _write_files([(path, data)])


def _write_files(files: list[tuple[Path, bytes]]) -> None:
    """:func:`_write` for several files (one edition's), in two steps: every changed file goes
    to a temporary file first, and only once all are written are they renamed into place.  An
    error while writing (disk full, a folder not writable) thus leaves every file as it was, and
    no temporary file; an error names the file, not its temporary file."""
    pending: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            try:
                if path.stat().st_size == len(data) and not path.is_symlink() and path.read_bytes() == data:
                    continue
            except FileNotFoundError:
                pass
            tmp = None
            try:
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
                pending.append((tmp, path))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(tmp, 0o644)
            except OSError as exc:
                if exc.filename is None:  # a failed write (a full disk) names no file
                    raise OSError(exc.errno, exc.strerror, str(path)) from None
                raise _target_error(exc, tmp or os.path.join(path.parent, f".{path.name}."), str(path)) from None
        for tmp, path in pending:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _target_error(exc, tmp, str(path)) from None
    except BaseException:
        for tmp, _path in pending:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass  # renamed into place
            except OSError:
                pass  # (the first error is the one to report)
        raise


# -- rendering helpers ----------------------------------------------------------------
@dataclass(frozen=True)
class _LocaleFacts:
    locale: object  # babel.Locale
    direction: str
    native: str
    english: str


@lru_cache(maxsize=256)
def _facts(code: str) -> _LocaleFacts:
    """What a page needs about a locale, from Babel (validated; cached: Babel parsing is slow)."""
    return _LocaleFacts(validate_locale(code), text_direction(code), native_name(code), english_name(code))


@lru_cache(maxsize=1024)
def _date_text(day: date, code: str) -> str:
    return format_date(day, format="long", locale=_facts(code).locale)


def bcp47(code: str) -> str:
    """gettext locale code -> BCP 47 language tag (pt_BR -> pt-BR) for lang/hreflang."""
    return code.replace("_", "-")


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def text_of(fragment: str) -> str:
    """Plain text of an inline HTML fragment (<br> becomes a line break)."""
    if _plain(fragment):
        return fragment
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


# Page notices.  Babel supplies language names and dates; these few sentences
# are ours.  A locale without its own wording shows the English one, marked
# lang="en" so screen readers and hyphenation get it right.
NOTICES = {
    "en": {
        "draft": "This edition contains unreviewed machine-translation drafts; they are highlighted.",
        "incomplete": "Parts of this edition are not translated yet and are shown in the original language.",
        "editions": "Editions",
    },
    "ru": {
        "draft": "В этом выпуске есть непроверенные черновики машинного перевода; они выделены.",
        "incomplete": "Часть текста ещё не переведена и приведена на языке оригинала.",
        "editions": "Версии",
    },
}


def _notice(lang: str, key: str) -> dict:
    facts = _facts(lang)
    for code in (lang, facts.locale.language):
        if code in NOTICES:
            return {"text": NOTICES[code][key], "lang": None, "dir": None}
    # English in the page's stead: on a right-to-left page it needs its own direction,
    # or its full stop is drawn at the wrong end.
    return {"text": NOTICES["en"][key], "lang": "en", "dir": "ltr" if facts.direction == "rtl" else None}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("newsloc", "templates"),
        autoescape=True,  # every value is escaped unless it is sanitised Markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=8)
def _template(name: str):
    """A compiled template, looked up once (get_template would check the file on every page)."""
    return _environment().get_template(name)


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """The edition stylesheet, embedded in every page's <style> element.

    Embedding keeps each page (and each zip bundle) self-contained, and
    saves writing a file per edition: on a slow disk, file creation is what
    a build mostly waits for.  It is our own file, not user data; a <style>
    element is raw text, so it must not be HTML-escaped.
    """
    css = resources.files("newsloc").joinpath("static", "newsloc.css").read_text("utf-8")
    if "</" in css:  # would end the <style> element early
        raise BuildError("newsloc.css must not contain '</'")
    return Markup(css)  # noqa: S704 - package data


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _build_time() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = float(epoch) if epoch else time.time()
    return datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _header_date(value: str | None) -> date | None:
    """The date of a PO header field such as '2026-11-29 08:07+0000'."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


# One header line of a catalog as newsloc (and msgmerge, xgettext) write it.
_HEADER_FIELD = re.compile(r'"([^"\\:]*):([^"\\]*)\\n"')


def _template_fields(path: Path) -> dict[str, str]:
    """The header fields of a template, read from its header entry only (templates can be big).

    The header of a file in the usual layout (comments, ``msgid ""``,
    ``msgstr ""``, then one ``"Field: value\\n"`` string per line, no escapes)
    is read line by line; anything else goes to polib.
    """
    try:
        lines = _header_lines(path)
        if lines is None:
            lines = _header_lines_as_text(path)
    except UnicodeDecodeError:
        return load_po(path).po.metadata  # raises CatalogError with the line
    fields: dict[str, str] = {}
    state = "comments"
    for line in lines:
        line = line.rstrip("\n")
        if state == "comments" and line.startswith("#") and not line.startswith(("#~", "#|")):
            continue
        if state == "comments" and line == 'msgid ""':
            state = "msgid"
        elif state == "msgid" and line == 'msgstr ""':
            state = "msgstr"
        elif state == "msgstr" and (field := _HEADER_FIELD.fullmatch(line)):
            fields[field.group(1)] = field.group(2).strip()  # polib: the last one wins
        else:
            return _pot_header(lines, path)
    if state != "msgstr":
        return _pot_header(lines, path)
    return fields


def _header_lines_as_text(path: Path) -> list[str]:
    """The lines before a template's first blank line, read in text mode line by line."""
    with open(path, encoding="utf-8") as handle:
        lines = []
        for line in handle:
            if not line.strip():
                break
            lines.append(line)
    return lines


_TEXT_CHUNK = 8192  # what a text-mode file reads and decodes at a time (io.TextIOWrapper._CHUNK_SIZE)


def _header_lines(path: Path) -> list[str] | None:
    """The lines before a template's first blank line, from one read of its first chunk.

    The same lines (and the same UnicodeDecodeError) as
    :func:`_header_lines_as_text`, the fallback, which costs a text wrapper
    and a call per line; None if the first chunk cannot tell (no blank line in it, or a
    carriage return, which text mode also takes as a line end).
    """
    with open(path, "rb", buffering=0) as handle:
        chunk = handle.read(_TEXT_CHUNK)
    whole_file = len(chunk) < _TEXT_CHUNK
    # Like the text wrapper: the whole chunk is decoded (an invalid byte anywhere in it raises),
    # a character cut at its end waits for the next chunk.
    decoder = codecs.getincrementaldecoder("utf-8")()
    text = decoder.decode(chunk)
    if "\r" in text:
        return None
    lines = []
    pieces = text.split("\n")
    for piece in pieces[:-1]:
        line = piece + "\n"
        if not line.strip():
            return lines
        lines.append(line)
    if not whole_file:
        return None  # the last piece may go on in the next chunk
    decoder.decode(b"", final=True)  # reading on to the end: a character cut there is an error
    if pieces[-1] and pieces[-1].strip():
        lines.append(pieces[-1])  # a last line without a line end
    return lines


def _pot_header(lines: list[str], path: Path) -> dict[str, str]:
    """The header fields of a template's first entry, parsed by polib."""
    try:
        return dict(polib.pofile("".join(lines)).metadata)
    except (OSError, ValueError):
        return load_po(path).po.metadata  # an unusual layout: full parse, with proper errors


def publication_date(project, article: Article, catalogs: Iterable[polib.POFile] = (),
                     template: dict[str, str] | None = None) -> date:
    """The article's date: POT-Creation-Date of its template (or a catalog), else the file's mtime.

    POT-Creation-Date only changes when the source text changes, so
    rebuilding never changes the date on the page.  ``template``: the
    template's header fields, if read already ({} for no template).
    """
    if template is None:
        pot_path = project.pot_path(article.slug)
        template = _template_fields(pot_path) if pot_path.exists() else {}
    found = _header_date(template.get("POT-Creation-Date"))
    if found:
        return found
    for po in catalogs:
        found = _header_date(po.metadata.get("POT-Creation-Date"))
        if found:
            return found
    mtime = (project.root / article.path).stat().st_mtime
    return datetime.fromtimestamp(mtime, timezone.utc).date()


# A gettext credit line: "Name <mail>, 2024, 2025." or "Name <mail>, 2019-2021." (the years are dropped).
_CREDIT_LINE = re.compile(r"(?P<who>.*?)(?:\s*,\s*\d{4}(?:\s*[-–]\s*\d{4})?)+\.?")


def translators(po: polib.POFile) -> list[str]:
    """Last-Translator plus the credit lines of the header comment ("Name <mail>, 2024.")."""
    people: list[str] = []
    last = (po.metadata.get("Last-Translator") or "").strip()
    if last and "FULL NAME" not in last:
        people.append(last)
    for line in (po.header or "").splitlines():
        credit_line = _CREDIT_LINE.fullmatch(line.strip())
        if credit_line is None:
            continue
        who = credit_line["who"]
        name, mail = parseaddr(who.strip())
        if not (name or mail) or "FIRST AUTHOR" in who or "EMAIL@ADDRESS" in who:
            continue
        credit = who.strip()
        if all(parseaddr(p)[1] != mail or not mail for p in people) and credit not in people:
            people.append(credit)
    return people


# -- one edition ------------------------------------------------------------------------
@dataclass
class _Segment:
    html: str  # safe inner HTML of the segment (already wrapped when marked)
    text: str  # plain text
    status: str  # "translated", "draft", "untranslated" (source shown), "source"


@dataclass
class _Edition:
    """Everything needed to write one edition, computed before anything is written."""

    slug: str
    lang: str
    result: EditionResult
    blocks: list[tuple[Block, list[_Segment]]] = field(default_factory=list)
    headline: list[_Segment] = field(default_factory=list)
    po: polib.POFile | None = None
    po_rel: str | None = None
    po_sha256: str | None = None
    counts: tuple[int, int, int, int, int] | None = None
    findings: list = field(default_factory=list)


def _headline_key(article: Article) -> tuple[str | None, str]:
    text = article.headline.segments[0].text
    body = {seg.text for block in article.blocks for seg in block.segments}
    return (HEADLINE_CONTEXT if text in body else None, text)


def _relative(project, path: Path) -> str:
    """``path`` relative to the project root, for messages and manifests."""
    try:
        return str(path.relative_to(project.root))  # paths built from the root: no resolve needed
    except ValueError:
        return str(project.relative(path))


def _source_segment(article: Article, seg: Segment) -> str:
    return sanitize_source(seg.text, article.path, seg.line)


def _plain_segment(text: str, status: str) -> _Segment:
    """A segment without markup or references: its HTML is the text with '>' escaped
    (what sanitising gives; '<' and '&' are absent), and its text is itself."""
    return _Segment(_escape_plain(text), text, status)


def _plan_source(article: Article) -> _Edition:
    result = EditionResult(article.slug, article.source_lang, "built", translated_percent=100.0, source=True)
    edition = _Edition(article.slug, article.source_lang, result)

    def resolve(block: Block, seg: Segment, key) -> _Segment:
        if _plain(seg.text):
            return _plain_segment(seg.text, "source")
        return _Segment(_source_segment(article, seg), "", "source")

    _fill(edition, article, resolve)
    return edition


def _fill(edition: _Edition, article: Article, resolve) -> None:
    """The edition's headline and blocks: ``resolve(block, segment, catalog key)`` for each
    segment in document order (None leaves it out; an empty text is taken from the HTML)."""
    head = article.headline
    if head.segments and (rendered := resolve(head, head.segments[0], _headline_key(article))) is not None:
        if not rendered.text:
            rendered.text = text_of(rendered.html)
        edition.headline.append(rendered)
    blocks = edition.blocks
    for block in article.blocks:
        segments = []
        for seg in block.segments:
            rendered = resolve(block, seg, (None, seg.text))
            if rendered is None:
                continue
            if not rendered.text:
                rendered.text = text_of(rendered.html)
            segments.append(rendered)
        if segments:
            blocks.append((block, segments))


def _run_checks(po, po_rel: str, lang: str, source_lang: str, glossary) -> list:
    from .check import check_catalog

    return list(check_catalog(po, Path(po_rel), lang, source_lang, glossary))


def _plan_translation(project, article: Article, lang: str, policy: Policy, glossary) -> _Edition:
    result = EditionResult(article.slug, lang, "blocked")
    edition = _Edition(article.slug, lang, result)
    blockers: list[Blocker] = []
    po_path = project.po_path(article.slug, lang)
    po_rel = _relative(project, po_path)
    if not po_path.exists() and not po_path.is_symlink():  # (a link that loops is an error, below)
        result.blockers.append(Blocker(po_rel, None, "no-catalog",
                                       "no catalog for this locale; run `newsloc extract`"))
        return edition
    try:
        loaded = load_po(po_path)
        problem = plural_forms_problem(loaded.po.metadata.get("Plural-Forms"))
        if problem is not None:  # it would go into the .mo, which gettext then refuses
            raise CatalogError(problem, po_rel, header_line(po_path, "Plural-Forms"))
    except CatalogError as exc:
        # (named as the project shows it: load_po names the path it was given)
        result.blockers.append(Blocker(_relative(project, exc.path) if exc.path else po_rel, exc.line,
                                       "catalog", exc.message))
        result.errors.append(exc)
        return edition
    po = loaded.po
    edition.po, edition.po_rel = po, po_rel
    edition.po_sha256 = loaded.stamp  # sha256 of the bytes parsed
    edition.counts = catalog_counts(po)
    lookup = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    source_dir = _facts(article.source_lang).direction
    page_dir = _facts(lang).direction

    def fallback(seg: Segment) -> _Segment:
        inner = _source_segment(article, seg)
        attrs = f'lang="{bcp47(article.source_lang)}"'
        if source_dir != page_dir:
            attrs += f' dir="{source_dir}"'
        return _Segment(f'<span {attrs} data-status="untranslated">{inner}</span>',
                        text_of(inner), "untranslated")

    def resolve(block: Block, seg: Segment, key) -> _Segment | None:
        entry = lookup.get(key)
        if entry is None:
            if policy.fallback:
                return fallback(seg)
            blockers.append(Blocker(str(article.path), seg.line, "missing",
                                    "sentence is not in the catalog; run `newsloc extract`", seg.text))
            return None
        if not entry.msgstr:
            if policy.fallback:
                return fallback(seg)
            blockers.append(Blocker(po_rel, entry.linenum, "untranslated",
                                    "not translated", entry.msgid))
            return None
        fuzzy = "fuzzy" in entry.flags
        if fuzzy and policy.fallback and not policy.allow_drafts:
            # An unadmitted draft counts as untranslated (po4a, msgfmt): the source is
            # shown, so what the draft holds (even markup the page would refuse) cannot block.
            return fallback(seg)
        if _plain(entry.msgstr) and _plain(seg.text):  # nothing to sanitise (see sanitize_segment)
            if not fuzzy:
                return _plain_segment(entry.msgstr, "translated")
            inner = _escape_plain(entry.msgstr)
        else:
            try:
                inner = sanitize_segment(seg.text, entry.msgstr, po_rel, entry.linenum)
            except UnsafeMarkupError as exc:
                result.errors.append(exc)
                blockers.append(Blocker(str(exc.path), exc.line, "unsafe-markup", exc.message, entry.msgid))
                return None
        if fuzzy:
            if not policy.allow_drafts:
                blockers.append(Blocker(po_rel, entry.linenum, "fuzzy",
                                        "fuzzy (unreviewed draft); review it or use --allow-drafts",
                                        entry.msgid))
                return None
            return _Segment(f'<span data-status="draft">{inner}</span>', text_of(inner), "draft")
        return _Segment(inner, "", "translated")

    _fill(edition, article, resolve)

    entries, _words, translated, fuzzy, _untranslated = edition.counts
    usable = translated + (fuzzy if policy.allow_drafts else 0)
    result.translated_percent = round(100.0 * usable / entries, 1) if entries else 100.0
    if policy.min_translated is not None and result.translated_percent < policy.min_translated:
        blockers.append(Blocker(po_rel, None, "min-translated",
                                f"{result.translated_percent:.1f}% translated, "
                                f"below the required {policy.min_translated:g}%"))

    edition.findings = _run_checks(po, po_rel, lang, article.source_lang, glossary)
    result.failing = sum(f.severity in BLOCKING_SEVERITIES for f in edition.findings)
    for finding in edition.findings:
        if finding.severity not in BLOCKING_SEVERITIES or finding.check in POLICY_CHECKS:
            continue
        entry = lookup.get((finding.msgctxt, finding.msgid))
        if (entry is not None and "fuzzy" in entry.flags and not policy.allow_drafts
                and policy.fallback):
            continue  # a draft that is not published (the source is shown instead)
        blockers.append(Blocker(str(finding.path), finding.line, finding.check,
                                finding.message, finding.msgid))

    seen = set()
    for blocker in blockers:  # one line per entry and check (a sentence may repeat)
        # (the msgid too: sentences missing from the catalog share their paragraph's line)
        key = (blocker.path, blocker.line, blocker.check, blocker.message, blocker.msgid)
        if key not in seen:
            seen.add(key)
            result.blockers.append(blocker)
    result.drafts = sum(s.status == "draft" for _, segs in edition.blocks for s in segs) + sum(
        s.status == "draft" for s in edition.headline)
    result.fallbacks = sum(s.status == "untranslated" for _, segs in edition.blocks for s in segs) + sum(
        s.status == "untranslated" for s in edition.headline)
    if not result.blockers:
        result.status = "built"
    return edition


# -- writing --------------------------------------------------------------------------
def _body_html(edition: _Edition) -> Markup:
    """The article's blocks as HTML, one per line; consecutive items of one list are one <ol> or <ul>.

    Joined here rather than looped over in the template: a Jinja loop costs
    an escape call per value and per line, and this is the largest part of
    a page.  Block tags come from the article reader's fixed set and every
    segment's HTML is sanitised (or escaped) already.  The paragraphs of one
    quotation or list item (blocks of one group) are ``<p>`` in one element;
    a list nested in an item is written inside that item.
    """
    lines: list[str] = []
    # the lists open on the page, outermost first: [tag, number, group of the item open in it]
    lists: list[list] = []

    def close_lists(depth: int) -> None:
        while len(lists) > depth:
            tag, _number, item = lists.pop()
            if item:
                lines.append("</li>\n")
            lines.append(f"</{tag}>\n")

    blocks = edition.blocks
    count = len(blocks)
    index = 0
    while index < count:
        block, segments = blocks[index]
        tag = block.tag
        end = index + 1
        group = block.group
        if group:
            while end < count and blocks[end][0].group == group and blocks[end][0].tag == tag:
                end += 1
        if end == index + 1:
            html = block.join([s.html for s in segments])
        else:  # (a group is never empty: every block in it has text)
            html = "\n" + "".join(f"<p>{b.join([s.html for s in segs])}</p>\n" for b, segs in blocks[index:end])
        index = end
        if tag != "li":
            close_lists(0)
            lines.append(f"<{tag}>{html}</{tag}>\n")
            continue
        depth = 0  # where this item's list is: in the item it is nested in, if that is open
        if block.list_parent:
            depth = next((level + 1 for level, open_list in enumerate(lists) if open_list[2] == block.list_parent), 0)
        if len(lists) > depth and lists[depth][1] == (block.list_id or -1):
            close_lists(depth + 1)
        else:
            close_lists(depth)
            if lists:  # a nested list: inside the item open around it, on lines of its own
                lines.append("\n")
            list_tag = block.list_tag or "ul"
            start = f' start="{block.list_start}"' if list_tag == "ol" and block.list_start != 1 else ""
            lines.append(f"<{list_tag}{start}>\n")
            lists.append([list_tag, block.list_id or -1, 0])
        level = lists[depth]
        if level[2] and level[2] == group:  # the item goes on after a list nested in it
            lines.append(html if html.startswith("\n") else f"<p>{html}</p>\n")
            continue
        if level[2]:
            lines.append("</li>\n")
        lines.append(f"<li>{html}")
        level[2] = group or -1
    close_lists(0)
    return Markup("".join(lines))  # noqa: S704 - sanitised above


def _article_text(edition: _Edition) -> str:
    """The plain-text edition: paragraphs apart by a blank line, list items marked "- ",
    or "1. ", "2. "... in an ordered list; a nested list indented under its item."""
    parts = [" ".join(s.text for s in edition.headline)]
    numbers: dict[int, int] = {}  # a list's last number
    items: dict[int, tuple[int, int]] = {}  # an item's group -> (its indentation, its marker's width)
    for block, segments in edition.blocks:
        text = block.join([s.text for s in segments])
        text = text_of(text) if "<br" in text else text
        if block.tag != "li":
            parts.append(text)
            continue
        if block.group in items:
            # a further paragraph of an item (after a paragraph or a list nested in it): under its marker
            indent, width = items[block.group]
            parts.append(" " * (indent + width) + text)
            continue
        indent = 0
        if block.list_parent in items:
            parent_indent, parent_width = items[block.list_parent]
            indent = parent_indent + parent_width
        if block.list_tag == "ol":
            number = numbers.get(block.list_id, block.list_start - 1) + 1
            numbers[block.list_id] = number
            marker = f"{number}. "
        else:
            marker = "- "
        if block.group:
            items[block.group] = (indent, len(marker))
        parts.append(" " * indent + marker + text)
    return "\n\n".join(parts) + "\n"


def _mo_bytes(edition: _Edition, policy: Policy) -> bytes:
    """The compiled catalog: reviewed entries, plus admitted drafts (msgfmt --use-fuzzy).

    A plural entry is compiled as a singular one (its msgstr); the bytes
    are those polib's to_binary writes (see newsloc.pofile.mo_bytes).
    """
    return mo_bytes(edition.po.metadata, [
        (entry.msgctxt, entry.msgid, entry.msgstr) for entry in edition.po
        if entry.msgstr and not entry.obsolete and (policy.allow_drafts or "fuzzy" not in entry.flags)])


def _edition_link(lang: str, current: str, is_source: bool) -> dict:
    return {
        "code": lang,
        "hreflang": bcp47(lang),
        "name": _capitalised(_facts(lang).native),
        "href": f"../{lang}/index.html",
        "current": lang == current,
        "source": is_source,
    }


@lru_cache(maxsize=256)
def _edition_links_html(editions: tuple[tuple[str, bool], ...], current: str) -> tuple[Markup, Markup]:
    """A page's alternate links (in its head) and editions menu, for one set of built editions.

    ``editions``: (locale, is the source) in menu order.  Rendered once per set
    and current locale: every article built in the same editions shares them.
    """
    links = [_edition_link(lang, current, is_source) for lang, is_source in editions]
    alternates = _template("alternates.html.j2").render(
        alternates=[link for link in links if not link["current"]],
        x_default=next(link for link in links if link["source"]),
    )
    nav = _template("editions-nav.html.j2").render(links=links, editions_label=_notice(current, "editions"))
    return Markup(alternates), Markup(nav)  # noqa: S704 - rendered with autoescaping


def _render_page(edition: _Edition, article: Article, editions: tuple[tuple[str, bool], ...],
                 pub_date: date) -> str:
    lang = edition.lang
    headline_html = Markup("".join(s.html for s in edition.headline))  # noqa: S704 - sanitised
    notices = []
    if edition.result.drafts:
        notices.append(dict(_notice(lang, "draft"), kind="draft"))
    if edition.result.fallbacks:
        notices.append(dict(_notice(lang, "incomplete"), kind="incomplete"))
    alternates, editions_nav = _edition_links_html(editions, lang)
    return _template("article.html.j2").render(
        lang=bcp47(lang),
        dir=_facts(lang).direction,
        title=" ".join(s.text for s in edition.headline),
        headline=headline_html,
        body=_body_html(edition),
        alternates=alternates,
        editions_nav=editions_nav,
        date_iso=pub_date.isoformat(),
        date_text=_date_text(pub_date, lang),
        notices=notices,
        stylesheet=stylesheet(),
        generator=f"newsloc {__version__}",
        status="draft" if edition.result.drafts else ("incomplete" if edition.result.fallbacks else "complete"),
    )


def _manifest(project, article: Article, edition: _Edition, source_bytes: bytes, build_time: str,
              policy: Policy) -> dict:
    lang = edition.lang
    result = edition.result
    manifest = {
        "slug": article.slug,
        "locale": lang,
        "language": {"code": lang, "tag": bcp47(lang), "name": _facts(lang).native,
                     "english_name": _facts(lang).english},
        "direction": _facts(lang).direction,
        "source": {"path": str(article.path), "language": article.source_lang,
                   "sha256": _sha256(source_bytes)},
        "newsloc_version": __version__,
        "build_time": build_time,
    }
    if result.source:
        manifest.update({"edition": "source", "catalog": None, "counts": None, "checks": None,
                         "translators": [], "status": "source"})
        return manifest
    entries, words, translated, fuzzy, untranslated = edition.counts
    findings = sorted(edition.findings, key=lambda f: (f.line or 0, f.check, f.message))
    summary = {severity: 0 for severity in ("critical", "functional", "cosmetic")}
    for finding in findings:
        summary[finding.severity] = summary.get(finding.severity, 0) + 1
    manifest.update({
        "edition": "translation",
        "status": "draft" if result.drafts else ("incomplete" if result.fallbacks else "complete"),
        "catalog": {"path": edition.po_rel, "sha256": edition.po_sha256,
                    "revision_date": edition.po.metadata.get("PO-Revision-Date", "")},
        "counts": {"entries": entries, "translated": translated, "fuzzy": fuzzy,
                   "untranslated": untranslated, "words": words,
                   "translated_percent": result.translated_percent},
        "policy": {"allow_drafts": policy.allow_drafts, "allow_incomplete": policy.allow_incomplete,
                   "min_translated": policy.min_translated},
        "drafts": result.drafts,
        "fallbacks": result.fallbacks,
        "checks": {
            "summary": summary,
            "findings": [f.as_dict() for f in findings],
        },
        "translators": translators(edition.po),
        "language_team": edition.po.metadata.get("Language-Team", ""),
    })
    return manifest


def _json(data: dict) -> bytes:
    """Indented, sorted, UTF-8 JSON: the bytes of ``json.dumps(data, ensure_ascii=False, indent=2,
    sort_keys=True)`` plus a newline (orjson writes them ~8x faster: the standard library's
    encoder falls back to pure Python as soon as ``indent`` is set)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest ZIP date: fixed, so archives are reproducible


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A reproducible ZIP: sorted names, fixed timestamps and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the build machine
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def _edition_files(project, article, edition, editions, pub_date, source_bytes, build_time,
                   policy) -> tuple[dict[str, bytes], dict]:
    """The files of one edition, and its manifest (also used for the editions index)."""
    manifest = _manifest(project, article, edition, source_bytes, build_time, policy)
    files = {
        "index.html": _render_page(edition, article, editions, pub_date).encode("utf-8"),
        "article.txt": _article_text(edition).encode("utf-8"),
        "bundle.json": _json(manifest),
    }
    if edition.po is not None:
        files[f"{article.slug}.mo"] = _mo_bytes(edition, policy)
    return files, manifest


def _index_row(code: str, manifest: dict) -> dict:
    facts = _facts(code)
    counts = manifest.get("counts") or {}
    return {
        "code": code,
        "hreflang": bcp47(code),
        "name": _capitalised(facts.native),
        "english": facts.english,
        "href": f"{code}/index.html",
        "status": manifest.get("status", ""),
        "percent": counts.get("translated_percent", 100.0),
        "translated": counts.get("translated"),
        "fuzzy": counts.get("fuzzy"),
        "entries": counts.get("entries"),
        "source": manifest.get("edition") == "source",
    }


def _sorted_rows(rows: list[dict]) -> list[dict]:
    rows.sort(key=lambda r: (not r["source"], r["code"]))
    return rows


def _published_editions(out: Path, slug: str, skip: set[str]) -> list[str]:
    """The locales of the editions in ``out/<slug>`` that the editions index lists, except ``skip``."""
    slug_dir = os.path.join(str(_resolved(out)), slug)
    try:
        names = os.listdir(slug_dir)
    except OSError:
        return []  # a new article folder (or one that cannot be read: writing it will say so)
    if all(name in skip or name == "index.html" for name in names):
        return []  # (a rebuild of the same editions: no manifest to read)
    return [row["code"] for row in _index_rows(Path(slug_dir), skip)]


def _index_rows(slug_dir: Path, skip: set[str]) -> list[dict]:
    """Editions present on disk (each folder with a bundle.json), except ``skip``."""
    rows = []
    for folder in sorted(p for p in slug_dir.iterdir() if p.is_dir()):
        manifest_path = folder / "bundle.json"
        if folder.name in skip or not manifest_path.is_file():
            continue
        try:
            _facts(folder.name)
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except (NewslocError, ValueError):
            continue  # not an edition folder of ours
        rows.append(_index_row(folder.name, manifest))
    return _sorted_rows(rows)


def _index_page(article: Article, rows: list[dict], pub_date: date) -> bytes:
    headline = text_of(article.headline.segments[0].text) if article.headline.segments else article.slug
    return _template("index.html.j2").render(
        lang=bcp47(article.source_lang),
        dir=_facts(article.source_lang).direction,
        title=headline,
        slug=article.slug,
        rows=rows,
        date_iso=pub_date.isoformat(),
        date_text=_date_text(pub_date, "en"),
        stylesheet=stylesheet(),
        generator=f"newsloc {__version__}",
    ).encode("utf-8")


def _write_index(out: Path, article: Article, skip: set[str], pub_date: date, index: bytes | None = None) -> Path:
    """The editions index of an article folder: ``index`` if a worker rendered it (see
    :func:`_compare_with_disk`), else rendered from the edition folders on disk."""
    slug_dir = _checked(out, article.slug)
    slug_dir.mkdir(parents=True, exist_ok=True)
    if index is None:
        index = _index_page(article, _index_rows(slug_dir, skip), pub_date)
    _write(slug_dir / "index.html", index)
    return slug_dir / "index.html"


def _write_edition(out: Path, slug: str, lang: str, files: dict[str, bytes]) -> None:
    """The files of one edition into ``out/slug/lang``.

    A new edition folder is staged and renamed into place in one step; in an
    existing one each file is replaced atomically, and only if its bytes
    change (:func:`_write`).
    """
    folder = _checked(out, slug, lang)
    if _missing(str(folder)):
        def fill(staging: str) -> None:
            for name, data in files.items():  # fixed names inside our own new folder
                _create(os.path.join(staging, name), data)

        if _stage(str(_checked(out, slug)), lang, fill):
            return
    folder.mkdir(parents=True, exist_ok=True)
    _checked(out, slug, lang)  # checked again now that it exists (a symlink planted meanwhile)
    _write_files([(folder / name, data) for name, data in files.items()])  # fixed names, a checked folder


@dataclass
class _Built:
    """One edition ready to be written: its files and manifest."""

    lang: str
    result: EditionResult
    files: dict[str, bytes]
    manifest: dict


@dataclass
class _PreparedArticle:
    """Everything :func:`_write_article` needs for one article, computed without writing anything."""

    article: Article
    pub_date: date
    source: EditionResult
    results: list[EditionResult]  # translated editions, built or blocked
    editions: list[_Built]  # what to write: the source edition first
    blocked: set[str]
    first_index: bytes  # the editions index when the article folder is new (it lists exactly these editions)
    # A worker's staged article folder (see _stage_in_worker), renamed into place by the main process.
    staged: str | None = None
    # Catalogs that the build does not use (e.g. one in the article's own language), as warnings.
    unused: list[str] = field(default_factory=list)
    # For an existing article folder, from a worker: the editions index as it will be once this
    # article's editions are written (the main process writes it if it differs).
    index: bytes | None = None


def _fill_article(staging: str, editions: list[_Built], first_index: bytes) -> None:
    """A new article folder's content: every edition folder and the editions index."""
    for edition in editions:
        folder = os.path.join(staging, edition.lang)
        os.mkdir(folder)
        for name, data in edition.files.items():
            _create(os.path.join(folder, name), data)
    _create(os.path.join(staging, "index.html"), first_index)


def _publish(out: Path, article: Article, editions: list[_Built], blocked: set[str], pub_date: date,
             first_index: bytes, staged: str | None = None, index: bytes | None = None) -> Path:
    """Write the built editions and the editions index of one article; return the index path.

    First build of an article (no ``out/<slug>`` yet): the whole article
    folder (every edition and the index, whose rows then are exactly the
    editions built now) is staged and renamed into place at once; ``staged``
    is such a folder already filled by a build worker.
    Otherwise edition by edition, and the index lists what is on disk.
    """
    slug = article.slug
    slug_dir = _checked(out, slug)
    if staged is not None:
        if _rename_staged(staged, slug_dir):
            return slug_dir / "index.html"
        _files_from(staged, editions)
    elif _missing(str(slug_dir)):
        if _stage(str(_resolved(out)), slug, lambda staging: _fill_article(staging, editions, first_index)):
            return slug_dir / "index.html"
    for edition in editions:
        _write_edition(out, slug, edition.lang, edition.files)
    return _write_index(out, article, blocked, pub_date, index)


def _prepare_article(project, path: Path, locales: list[str], out: Path, policy: Policy, glossary,
                     build_time: str) -> _PreparedArticle:
    """Plan, check and render every edition of one article (reads files, writes nothing)."""
    source_bytes = read_bytes(path)  # read once: parsed, and hashed for the manifests
    pot_path = project.pot_path(project.slug_for(path))
    template = _template_fields(pot_path) if pot_path.exists() else {}
    # The language extract read the article in (as its template records it: an
    # `extract --source-lang ru` holds for the build too), else the article's own.
    recorded = template.get("X-Source-Language")
    article = project.read_article(path, recorded if recorded and is_known_locale(recorded) else None,
                                   data=source_bytes)
    validate_slug(article.slug)

    plans = []
    unused = []
    for lang in locales:
        if lang == article.source_lang:  # the source edition is built from the article itself
            po_path = project.po_path(article.slug, lang)
            if os.path.lexists(po_path):  # (a translator's work there would be ignored without a word)
                unused.append(f"{_relative(project, po_path)} is not used: {lang} is the source language of "
                              f"{article.path}, whose {lang} edition is the article itself")
            continue
        edition_dir(out, article.slug, lang)  # reject a traversing locale before any work
        plans.append(_plan_translation(project, article, lang, policy, glossary))
    source = _plan_source(article)
    built = [source] + [p for p in plans if p.result.built]
    pub_date = publication_date(project, article, [p.po for p in plans if p.po is not None], template)
    blocked = {p.lang for p in plans if not p.result.built}
    # Editions published by an earlier build and not decided by this one (`build --locale ru`
    # after a full build) stay in the editions index, so the pages built now link to them too.
    published = _published_editions(out, article.slug, blocked | {e.lang for e in built})
    editions_key = tuple(sorted([(e.lang, e is source) for e in built] + [(lang, False) for lang in published],
                                key=lambda item: (not item[1], item[0])))

    editions = []
    edition_dir(out, article.slug, source.lang)  # (the others were checked before their planning)
    for edition in built:
        files, manifest = _edition_files(project, article, edition, editions_key, pub_date, source_bytes,
                                         build_time, policy)
        editions.append(_Built(edition.lang, edition.result, files, manifest))
    first_index = _index_page(article, _sorted_rows([_index_row(e.lang, e.manifest) for e in editions]),
                              pub_date)
    return _PreparedArticle(article, pub_date, source.result, [p.result for p in plans], editions,
                            blocked, first_index, unused=unused)


# Signals that stop a build (Ctrl-C, kill, a closed terminal).  They are held back while an
# article is written (see _write_article), so that an edition is never left half old, half new
# and no temporary file is left behind: the signal takes effect once the article is written.
_DEFERRED = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
_CAN_DEFER = hasattr(signal, "pthread_sigmask")


def _write_article(out: Path, prepared: _PreparedArticle, zip: bool, report: BuildReport) -> None:
    """Write one article's files, holding back Ctrl-C and termination signals meanwhile.

    Cheaper than staging a changed edition folder and swapping it in (a
    rebuild writes only the files that changed): two system calls per
    article.  An error while writing leaves the edition's files as they were
    (:func:`_write_files`).
    """
    if not _CAN_DEFER:
        _write_article_files(out, prepared, zip, report)
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        _write_article_files(out, prepared, zip, report)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal that came meanwhile acts now


def _write_article_files(out: Path, prepared: _PreparedArticle, zip: bool, report: BuildReport) -> None:
    article = prepared.article
    index = _publish(out, article, prepared.editions, prepared.blocked, prepared.pub_date, prepared.first_index,
                     prepared.staged, prepared.index)
    slug_dir = index.parent  # out/<slug>
    for edition in prepared.editions:
        edition.result.path = slug_dir.joinpath(edition.lang, "index.html")
        if zip:
            archive = _checked(out, f"{article.slug}-{edition.lang}.zip")
            _write(archive, zip_bytes(edition.files))
            edition.result.zip_path = archive
    report.sources.append(prepared.source)
    report.results.extend(prepared.results)
    report.warnings.extend(prepared.unused)
    report.indexes.append(index)


def build_article(project, path: Path, locales: list[str], out: Path, zip: bool = False,
                  policy: Policy = Policy(), glossary=None, build_time: str | None = None,
                  report: BuildReport | None = None) -> BuildReport:
    """Build the source edition and every admissible locale edition of one article."""
    report = report if report is not None else BuildReport(out)
    prepared = _prepare_article(project, path, locales, out, policy, glossary, build_time or _build_time())
    _write_article(out, prepared, zip, report)
    return report


# -- several articles at once ---------------------------------------------------------------
BUILD_GC_THRESHOLD = 20_000  # allocations between young-generation collections during a build
# Below this many editions a build runs in this process: starting workers costs more.
PARALLEL_MIN_EDITIONS = 48
_CHUNK = 8  # articles per task sent to a worker (8: fewer round trips than 4, ~3% faster; 16 no better)
# (project, locales, out, policy, glossary, build_time, zip, staging prefix), inherited by forked workers
_job: tuple | None = None


def _stage_in_worker(out: Path, prepared: _PreparedArticle, prefix: str, keep_files: bool) -> None:
    """Write a new article's folder from the worker, as a hidden staging folder in ``out``.

    The main process then only renames it into place, in article order (so
    a build still publishes articles in order and stops at the first
    error); the file bytes need not travel back to it.  Staging folders
    are named ``prefix + slug`` so that the main process can remove those of
    articles it never publishes (:func:`_remove_staged`).  An existing
    article folder is updated file by file by the main process, after the
    worker compared the files with the disk (:func:`_compare_with_disk`).
    """
    slug_dir = _checked(out, prepared.article.slug)
    if not _missing(str(slug_dir)):
        _compare_with_disk(slug_dir, prepared, keep_files)
    else:
        staging = os.path.join(str(_resolved(out)), prefix + prepared.article.slug)
        try:
            os.mkdir(staging)
            try:
                _fill_article(staging, prepared.editions, prepared.first_index)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        except OSError as exc:  # named as the article folder that the user sees
            raise _target_error(exc, staging, str(slug_dir)) from None
        prepared.staged = staging
        if not keep_files:  # (kept for --zip, which the main process writes)
            for edition in prepared.editions:
                edition.files = {}
    # Less to send back (unpickling is the main process's cost): what the main
    # process still needs is the slug, the results, the files it writes, and,
    # if a staged folder cannot be renamed in, the headline for the editions
    # index and the file names.
    prepared.article = dataclasses.replace(prepared.article, blocks=[], repairs=[])
    prepared.first_index = b""
    for edition in prepared.editions:
        edition.manifest = {}


def _unchanged(path: str, data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link) holding exactly ``data`` (what :func:`_write`
    leaves alone); False when in doubt, and :func:`_write` then decides (and reports errors)."""
    try:
        info = os.lstat(path)
        return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and read_bytes(path) == data
    except OSError:
        return False


def _compare_with_disk(slug_dir: Path, prepared: _PreparedArticle, keep_files: bool) -> None:
    """For an existing article folder (a rebuild), in a worker: do the reading the main process
    would do before writing.

    Files whose bytes are on disk already are dropped (unless kept for
    --zip), so the main process writes only what changed; and the editions
    index is rendered as it will be once this article's editions are
    written (its rows: these editions' manifests, and the other edition
    folders' bundle.json, as :func:`_index_rows` reads them).
    """
    writing = {edition.lang: edition.manifest for edition in prepared.editions}
    rows = _index_rows(slug_dir, prepared.blocked | set(writing))
    rows += [_index_row(lang, manifest) for lang, manifest in writing.items()]
    prepared.index = _index_page(prepared.article, _sorted_rows(rows), prepared.pub_date)
    if keep_files:
        return
    for edition in prepared.editions:
        folder = os.path.join(str(slug_dir), edition.lang)
        edition.files = {name: data for name, data in edition.files.items()
                         if not _unchanged(os.path.join(folder, name), data)}


def _rename_staged(staged: str, slug_dir: Path) -> bool:
    """Move a worker's staged article folder into place; False if something is there now.

    In that case the edition files are read back into memory by the caller
    (:func:`_files_from`) and the folder is removed.
    """
    try:
        os.rename(staged, slug_dir)  # never over a file, a link or a non-empty folder
        return True
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            return False
        shutil.rmtree(staged, ignore_errors=True)
        raise


def _files_from(staged: str, editions: list[_Built]) -> None:
    """Read a staged folder's edition files back (its target appeared meanwhile), then remove it."""
    try:
        for edition in editions:
            folder = os.path.join(staged, edition.lang)
            edition.files = {name: Path(folder, name).read_bytes() for name in sorted(os.listdir(folder))}
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _remove_staged(out: Path, prefix: str) -> None:
    """Remove the staging folders of this build that were never renamed into place."""
    try:
        names = os.listdir(_resolved(out))
    except OSError:
        return
    for name in names:
        if name.startswith(prefix):
            shutil.rmtree(os.path.join(_resolved(out), name), ignore_errors=True)


def _prepare_chunk(paths: list[Path]) -> list[_PreparedArticle | Exception]:
    """Prepare articles in a worker; an error ends the chunk and is returned in its article's place."""
    project, locales, out, policy, glossary, build_time, zip, prefix = _job
    prepared: list[_PreparedArticle | Exception] = []
    for path in paths:
        try:
            article = _prepare_article(project, path, locales, out, policy, glossary, build_time)
            _stage_in_worker(out, article, prefix, keep_files=zip)
            prepared.append(article)
        except Exception as exc:  # raised by the main process once the articles before it are written
            if not isinstance(exc, NewslocError):
                exc.add_note("in a build worker:\n" + "".join(traceback.format_exception(exc)).rstrip())
            prepared.append(exc)
            break
    return prepared


def _workers(jobs: int | None, editions: int) -> int:
    """How many worker processes to use (0: build in this process)."""
    if jobs is not None and jobs <= 1:
        return 0
    if not sys.platform.startswith("linux"):
        return 0  # workers are forked (they inherit the loaded project); elsewhere fork is unsafe
    cpus = len(os.sched_getaffinity(0))
    if jobs is None:
        if editions < PARALLEL_MIN_EDITIONS:
            return 0
        jobs = cpus
    return min(jobs, cpus) if cpus > 1 else 0


def _worker_loop(chunks: list[list[Path]], tasks, results, mask) -> None:
    """A build worker: prepare the chunks whose numbers arrive on ``tasks`` until a None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's: it stops us
    for signum in _TERMINATING:  # (not the main process's handler, inherited: terminate() ends us)
        signal.signal(signum, signal.SIG_DFL)
    if mask is not None:  # SIGINT was held back from the fork until now (see _prepared_in_order)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    while (number := tasks.get()) is not None:
        results.send((number, _prepare_chunk(chunks[number])))


def _prepared_in_order(paths: list[Path], workers: int) -> Iterator[_PreparedArticle]:
    """Prepared articles, in ``paths`` order, computed by ``workers`` forked processes.

    Chunk numbers go out on one queue, whichever worker is free taking the
    next, and each worker sends its results back on its own pipe.  At most a
    few chunks per worker are in flight, so memory stays flat however many
    articles there are; errors surface in order, as in a sequential build.
    No threads in this process: multiprocessing.Pool's task and result
    threads took a quarter of a core from the workers on a 2-CPU machine.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    chunks = [paths[i:i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    window = 3 * workers
    tasks = context.SimpleQueue()
    pipes = [context.Pipe(duplex=False) for _ in range(workers)]
    # A Ctrl-C between a worker's fork and its ignoring SIGINT would stop that worker with a
    # traceback: SIGINT is held back while the workers start (they inherit that, then ignore it).
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if _CAN_DEFER else None
    processes = [context.Process(target=_worker_loop, args=(chunks, tasks, sender, mask), daemon=True)
                 for _receiver, sender in pipes]
    receivers = [receiver for receiver, _sender in pipes]
    gc.freeze()  # the workers' collector then leaves the inherited objects (and their pages) alone
    try:
        for process in processes:
            process.start()
    finally:
        gc.unfreeze()
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    for _receiver, sender in pipes:
        sender.close()  # the workers' ends
    sentinels = [process.sentinel for process in processes]
    sent = 0
    kill = True  # unless every worker has been told to stop
    try:
        for _ in range(min(window, len(chunks))):
            tasks.put(sent)
            sent += 1
        done: dict[int, list] = {}
        for number in range(len(chunks)):
            while number not in done:
                for ready in wait(receivers + sentinels):
                    if ready in sentinels:  # a worker ended before being told to: killed, out of memory...
                        worker = sentinels.index(ready)
                        if not receivers[worker].poll():  # (what it sent before is read first)
                            processes[worker].join()
                            raise BuildError("a build worker stopped unexpectedly "
                                             f"(exit code {processes[worker].exitcode})")
                        continue
                    got, prepared = ready.recv()
                    done[got] = prepared
            if sent < len(chunks):  # keep the window full while this chunk is written
                tasks.put(sent)
                sent += 1
            for item in done.pop(number):
                if isinstance(item, Exception):
                    raise item
                yield item
        for _ in processes:
            tasks.put(None)
        kill = False
    finally:
        for process in processes:
            if kill:
                process.terminate()  # an error, or the build stopped early
            process.join()
        for receiver in receivers:
            receiver.close()
        tasks.close()


_TERMINATING = (signal.SIGTERM, signal.SIGHUP)


def _stop_on_termination() -> dict:
    """While workers run: make SIGTERM and SIGHUP (`kill PID`, a closed terminal) raise SystemExit
    in this process, as SIGINT raises KeyboardInterrupt, so that the build's cleanup stops the
    workers and removes their staging folders (killed outright, this process left its workers
    waiting for tasks forever).  Only signals left at their default action, in the main thread.
    Returns the handlers to restore."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for signum in _TERMINATING:
        if signal.getsignal(signum) == signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _raise_system_exit)
    return previous


def _raise_system_exit(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)  # the shell's status for a command ended by that signal


def check_output_folder(project, out: Path) -> None:
    """Refuse an output folder among the project's inputs: bundles in source/ would be read as
    articles, slug folders in locales/ as locales, and at the project root they would mix with both."""
    where = out.resolve()
    root = project.root.resolve()
    if where == root:
        problem = "the project folder itself"
    elif where.is_relative_to(project.source_dir.resolve()):
        problem = "inside source/, where articles are read from"
    elif where.is_relative_to(project.locales_dir.resolve()):
        problem = "inside locales/, where catalogs are read from"
    else:
        return
    raise BuildError(f"the output folder is {problem}; choose another --out, such as dist",
                     project.relative(out))


def build_project(
    project,
    slugs: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
    out: Path | str = Path("dist"),
    zip: bool = False,
    policy: Policy | None = None,
    progress: Callable[[EditionResult], None] | None = None,
    jobs: int | None = None,
) -> BuildReport:
    """Build bundles for the selected articles and locales under ``out``.

    A relative ``out`` is taken relative to the project root.  Editions that
    the policy blocks are reported in the result (with their blocking entries)
    and nothing is written for them; the others are built.  Raises
    LocaleError / ArticleError for an unknown locale or article, and
    BuildError for an output path outside ``out``.

    ``jobs``: worker processes that check and render articles while this
    process writes them, in order (same files, messages and errors as a
    sequential build).  None: one per CPU when there are many editions
    (Linux); 1: no workers.
    """
    global _job, _UMASK_KEEPS_0644
    umask = _umask()
    _UMASK_KEEPS_0644 = umask is not None and not umask & 0o644
    policy = policy or Policy()
    out = Path(out)
    if not out.is_absolute():
        out = project.root / out
    check_output_folder(project, out)
    codes = project.select_locales(list(locales) if locales else None)
    paths = project.select_articles(list(slugs) if slugs else None)
    glossary = project.load_glossary()
    build_time = _build_time()
    report = BuildReport(out)
    out.mkdir(parents=True, exist_ok=True)
    _resolved.cache_clear()  # the folder may have been replaced since an earlier build
    workers = _workers(jobs, len(paths) * (len(codes) + 1))
    prefix = f".newsloc-{secrets.token_hex(4)}-"  # this build's staging folders (workers)
    # A build makes many short-lived objects (tokens, segments, entries) and few cycles: the cyclic
    # collector's default (a young-generation pass every 700 allocations) cost ~4% of a build.
    # Its thresholds are raised meanwhile (workers inherit them) and restored after.
    thresholds = gc.get_threshold()
    gc.set_threshold(BUILD_GC_THRESHOLD, *thresholds[1:])
    handlers = {}
    if workers:
        _job = (project, codes, out, policy, glossary, build_time, zip, prefix)
        prepared_articles = _prepared_in_order(paths, workers)
        handlers = _stop_on_termination()
    else:
        prepared_articles = (_prepare_article(project, path, codes, out, policy, glossary, build_time)
                             for path in paths)
    try:
        for prepared in prepared_articles:
            _write_article(out, prepared, zip, report)
            if progress:
                for result in prepared.results:
                    progress(result)
    finally:
        gc.set_threshold(*thresholds)
        _job = None
        if workers:
            prepared_articles.close()  # stops the workers if the build ends early
            _remove_staged(out, prefix)  # articles prepared but not published (an error stopped the build)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    return report
