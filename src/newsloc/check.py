"""Translation checks: what an editor verifies before a translation goes live.

The model is translate-toolkit's ``pofilter``: every check is a small function
with one signature, ``check(ctx: CheckContext) -> Iterable[str]``, yielding one
message per problem, registered with a name, a severity and a title (the first
line of its docstring)::

    @check("urls", CRITICAL)
    def check_urls(ctx):
        '''A link target or URL differs from the source.'''
        ...

Severities:

* ``critical``: the page would be wrong or unsafe (markup, links, MT
  placeholders left in the text);
* ``functional``: the meaning may be wrong (numbers, glossary terms,
  untranslated, unreviewed drafts, sentence count);
* ``cosmetic``: house style (end punctuation, quotation marks, spacing,
  suspicious length, markup written differently).

A critical or functional finding fails ``newsloc check`` (exit code 1) and
blocks publication; cosmetic ones are reported for the reviewer.

Inline markup is compared with a real HTML parser (:mod:`html.parser`), numbers
with the locales' decimal and group symbols from Babel (CLDR), quotation marks
with the CLDR delimiters from ICU (Babel does not expose them), sentences with
:func:`newsloc.sentences.split_sentences`, glossary terms with
:func:`newsloc.glossary.check_compliance`.

Library entry points: :func:`check_project`, :func:`check_catalog` (used by
the build stage) and :func:`check_entry`.
"""

from __future__ import annotations

import html
import operator
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from .htmlparse import HTMLParser
from pathlib import Path
from typing import Any

import polib
from babel import Locale
from babel.core import get_global, parse_locale
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from . import textchars
from .errors import CatalogError
from .pofile import load_po
from .sentences import _base_lang as _sentence_lang
from .sentences import count_sentences

__all__ = [
    "CRITICAL", "FUNCTIONAL", "COSMETIC", "SEVERITIES", "BLOCKING",
    "Check", "CheckContext", "Finding", "CHECKS",
    "check", "check_entry", "check_catalog", "check_project",
    "failed", "summary_line",
]

CRITICAL = "critical"
FUNCTIONAL = "functional"
COSMETIC = "cosmetic"
SEVERITIES = (CRITICAL, FUNCTIONAL, COSMETIC)
BLOCKING = frozenset({CRITICAL, FUNCTIONAL})


# --------------------------------------------------------------------- model


@dataclass(frozen=True)
class Finding:
    """One failed check on one catalog entry."""

    path: str  # the PO file, as given (project-relative for check_project)
    line: int | None  # line of the entry in the PO file
    msgid: str
    check: str  # check name, e.g. "urls"
    severity: str  # critical | functional | cosmetic
    message: str
    msgctxt: str | None = None

    @property
    def title(self) -> str:
        registered = CHECKS.get(self.check)
        return registered.title if registered else self.check

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "line": self.line, "msgctxt": self.msgctxt, "msgid": self.msgid,
            "check": self.check, "title": self.title, "severity": self.severity,
            "message": self.message,
        }

    def __str__(self) -> str:
        """``path:line: severity: check: message [entry "text start…"]`` (the msgid's text, tags dropped)"""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.check}: {self.message} [entry \"{entry_label(self.msgid)}\"]"


def entry_label(msgid: str, width: int = 40) -> str:
    """The start of the msgid's text: its tags dropped and references decoded, so that two
    sentences that start with the same link are told apart (the line says where it is)."""
    if "<" in msgid or "&" in msgid:
        text = _parse_markup(msgid).text
        msgid = text if text.strip() else msgid  # (only markup: show the markup)
    flat = " ".join(msgid.split())
    return flat if len(flat) <= width else flat[:width].rstrip() + "…"


class _computed_once:
    """functools.cached_property without its per-instance lock (Python 3.11 takes one on
    every first access, a large share of a check's cost; 3.12 dropped it): the value
    is stored in the instance's __dict__, which later lookups find first."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


@dataclass(init=False)
class CheckContext:
    """Everything a check may look at for one entry (derived views are cached)."""

    source: str  # msgid (msgid form: inline HTML, &amp;)
    translation: str  # msgstr
    entry: polib.POEntry | None = None  # with .linenum, .flags, .tcomment
    locale: str = "ru"
    source_lang: str = "en"
    glossary: Any = None  # newsloc.glossary.Glossary | None
    po_path: Path | None = None

    def __init__(self, source: str, translation: str, entry: polib.POEntry | None = None, locale: str = "ru",
                 source_lang: str = "en", glossary: Any = None, po_path: Path | None = None) -> None:
        self.source = source
        self.translation = translation
        self.entry = entry
        self.locale = locale
        self.source_lang = source_lang
        self.glossary = glossary
        self.po_path = po_path
        # A segment without a tag or a character reference is its own text (see source_text):
        # set here, the usual segment's texts cost no property call (nearly every check reads them).
        source_plain = "<" not in source and "&" not in source
        translation_plain = "<" not in translation and "&" not in translation
        if source_plain:
            self.source_text = source
        if translation_plain:
            self.translation_text = translation
        # neither segment has a tag or a character reference (what several pre-tests ask first)
        self._plain = source_plain and translation_plain

    @_computed_once
    def source_markup(self) -> _Markup:
        return _parse_markup(self.source)

    @_computed_once
    def translation_markup(self) -> _Markup:
        return _parse_markup(self.translation)

    @_computed_once
    def source_text(self) -> str:
        """Plain text of the source (tags dropped, references decoded, <br> as newline)."""
        source = self.source
        # no tag and no reference: the text is the segment itself (what the parser makes of it)
        return source if "<" not in source and "&" not in source else self.source_markup.text

    @_computed_once
    def translation_text(self) -> str:
        translation = self.translation
        return translation if "<" not in translation and "&" not in translation else self.translation_markup.text

    # Facts several checks (and their pre-tests, see _GATES) share, each computed once per entry.

    @_computed_once
    def source_flat(self) -> str:
        """The source text with its whitespace runs as single spaces (how lengths are compared)."""
        return _flat(self.source_text)

    @_computed_once
    def translation_flat(self) -> str:
        return _flat(self.translation_text)

    @_computed_once
    def translation_placeholders(self) -> tuple[str, ...]:
        """MT placeholders (ZQ1...) written in the translation text."""
        return _placeholders_in(self.translation_text)  # (a prefix test first: no regex scan of most texts)


def _is_flat(text: str) -> bool:
    """Whether ``text`` is already in single spaces (``" ".join(text.split()) == text``).

    Every whitespace character but the space is unprintable (str.isprintable: Unicode
    categories Z* and C*; a test checks all of Unicode), so a printable text has no
    whitespace but spaces; without two in a row or one at either end, it is flat.  Most
    sentences are, and the test costs less than splitting them into words.
    """
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def _flat(text: str) -> str:
    """``" ".join(text.split())``: ``text`` itself when it is already in single spaces."""
    return text if _is_flat(text) else " ".join(text.split())


CheckFunc = Callable[[CheckContext], Iterable[str]]


@dataclass(frozen=True)
class Check:
    """A registered check."""

    name: str
    severity: str
    title: str
    func: CheckFunc = field(compare=False)
    # False: runs on untranslated entries too (only "untranslated" needs that).
    needs_translation: bool = True

    def __call__(self, ctx: CheckContext) -> list[str]:
        return list(self.func(ctx))


CHECKS: dict[str, Check] = {}


def check(name: str, severity: str, needs_translation: bool = True) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under ``name``; its docstring's first line is its title."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")

    def register(func: CheckFunc) -> CheckFunc:
        title = (func.__doc__ or name).strip().splitlines()[0]
        CHECKS[name] = Check(name, severity, title, func, needs_translation)
        return func

    return register


# ------------------------------------------------------------ markup parsing

# Attributes whose value is text (alt, title: pofilter's canchangetags) are compared as
# written, like the others: pofilter lets a translation change them, but the build publishes
# only the source segment's exact attribute values (newsloc.bundle.sanitize_segment).
# Attributes that hold a URL.
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "longdesc"})
VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
})


@dataclass(frozen=True)
class _Element:
    tag: str
    attrs: tuple[tuple[str, str | None], ...]  # sorted; translatable values masked to None
    raw: str  # the start tag as written
    ancestors: tuple[str, ...]  # enclosing tag names, outermost first
    values: tuple[tuple[str, str | None], ...] = ()  # the attributes as the parser read them, in order

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str | None], ...]]:
        return (self.tag, self.attrs)


@dataclass
class _Markup:
    """What the HTML parser saw in one segment."""

    text: str = ""
    elements: list[_Element] = field(default_factory=list)
    # Tag tokens in document order, for the order/spelling comparison.
    sequence: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # unclosed / stray / misnested tags
    urls: list[str] = field(default_factory=list)  # link targets and bare URLs, in order
    links: list[str] = field(default_factory=list)  # link targets (URL attribute values), in order
    raw_lt: int = 0  # "<" in text that is not a tag (should be &lt;)


class _MarkupParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = _Markup()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.text_urls: list[tuple[int, str]] = []  # (text offset, url) of link targets

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        # URL values are compared by the urls check; every other value as the parser decoded it
        # (references decoded, nothing stripped: what the build's sanitiser compares)
        masked = tuple(sorted((n, "…" if n in URL_ATTRIBUTES else v) for n, v in attrs))
        self.markup.elements.append(_Element(tag, masked, raw, tuple(self.stack), tuple(attrs)))
        # the raw spelling matters, except the values that the urls check compares
        shown = raw if not any(n in URL_ATTRIBUTES for n, _ in attrs) else _render(tag, masked)
        self.markup.sequence.append(shown)
        offset = sum(len(t) for t in self.text)
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                # as written (decoded, not stripped): the build refuses a target with a space
                # or a &#10; the source does not have, so check reports it
                self.text_urls.append((offset, value))
                self.markup.links.append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "br":
            self.text.append("\n")
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.markup.sequence.append(f"</{tag}>")
        if tag in VOID_ELEMENTS:
            return
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        elif tag in self.stack:
            # </a> while <em> is open: the tags overlap instead of nesting
            inner = self.stack[self.stack.index(tag) + 1:]
            self.markup.problems.append(
                f"</{tag}> closes <{tag}> while {', '.join(f'<{t}>' for t in inner)} inside it is still open"
            )
            del self.stack[self.stack.index(tag):]
        else:
            self.markup.problems.append(f"</{tag}> has no opening <{tag}>")

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] in ("script", "style"):
            return  # code, not text (the markup check reports the element itself)
        self.markup.raw_lt += data.count("<")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.markup.elements.append(_Element("!--", (), f"<!--{data}-->", tuple(self.stack)))
        self.markup.sequence.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.markup.elements.append(_Element("!", (), f"<!{decl}>", tuple(self.stack)))
        self.markup.sequence.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.markup.elements.append(_Element("?", (), f"<?{data}>", tuple(self.stack)))
        self.markup.sequence.append(f"<?{data}>")

    unknown_decl = handle_decl

    def finish(self) -> _Markup:
        self.close()
        for tag in self.stack:
            self.markup.problems.append(f"<{tag}> is never closed")
        text = "".join(self.text)
        self.markup.text = text
        # link targets and bare URLs in document order
        found = ([(m.start(), url) for m in _BARE_URL.finditer(text) if (url := _trim_url(m.group()))]
                 if _url_hint(text) else [])
        self.markup.urls = [url for _, url in sorted(self.text_urls + found, key=lambda item: item[0])]
        return self.markup


def _render(tag: str, attrs: Iterable[tuple[str, str | None]]) -> str:
    parts = [tag]
    for name, value in attrs:
        parts.append(name if value is None else f'{name}="{html.escape(value)}"')
    return "<" + " ".join(parts) + ">"


def _parse_markup(text: str) -> _Markup:
    if "<" not in text and "&" not in text:
        # No tag and no character reference: the parser would see one run of
        # text (what _MarkupParser.finish makes of it, without the parser).
        urls = [url for m in _BARE_URL.finditer(text) if (url := _trim_url(m.group()))] if _url_hint(text) else []
        return _Markup(text=text, urls=urls)
    parser = _MarkupParser()
    parser.feed(text)
    return parser.finish()


# Bare URLs in running text (link targets come from the attributes).
_BARE_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.|\bmailto:)[^\s<>\"«»“”„‘‚]+", re.IGNORECASE)


_URL_TRAILING = ".,;:!?…'’)]}"


def _url_hint(text: str) -> bool:
    """False when :data:`_BARE_URL` cannot match ``text``, found without a regex scan.

    Every match holds "://", "mailto:" or "www.": so "://", "o:" or "O:", "w." or "W."
    (under IGNORECASE, o and w match only themselves and their capitals: a test checks all
    of Unicode).  "o:" rather than ":" alone: times (11:58) and "says:" need no scan.  (":"
    first: a one-character test is several times faster, and most texts have no ":".)
    """
    return (":" in text and ("://" in text or "o:" in text or "O:" in text)) or "w." in text or "W." in text


def _without_urls(text: str) -> str:
    return _BARE_URL.sub(" ", text) if _url_hint(text) else text


def _trim_url(url: str) -> str:
    """Drop the sentence punctuation glued to a bare URL (keep a balanced closing bracket)."""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


# --------------------------------------------------------- critical checks


@check("markup", CRITICAL)
def check_markup(ctx: CheckContext) -> Iterator[str]:
    """Inline markup (tags, nesting, attributes) differs from the source segment."""
    if "<" not in ctx.source and "<" not in ctx.translation:
        return  # no tag on either side (and no stray "<"): nothing to compare
    src, tr = ctx.source_markup, ctx.translation_markup
    for problem in tr.problems:
        if problem not in src.problems:
            yield problem
    if tr.raw_lt > src.raw_lt:
        yield "unescaped '<' in the text (write &lt;, or copy the tag exactly from the source)"
    src_keys = Counter(e.key for e in src.elements)
    tr_keys = Counter(e.key for e in tr.elements)
    if src_keys != tr_keys:
        missing, added = _unmatched(src.elements, tr.elements)
        # a missing and an added element with the same tag: its attributes were changed
        # (each paired with its own source element: see _counterpart)
        for element in list(missing):
            same = _counterpart(element, src.elements, added, tr.elements)
            if same is not None:
                missing.remove(element)
                added.remove(same)
                yield f"attributes changed: {element.raw} became {same.raw}"
        for element in missing:
            yield f"missing {element.raw}"
        for element in added:
            yield f"added {element.raw} (not in the source)"
    else:
        src_nest = Counter((e.key, e.ancestors) for e in src.elements)
        tr_nest = Counter((e.key, e.ancestors) for e in tr.elements)
        raw_of = {e.key: e.raw for e in src.elements + tr.elements}
        for key, ancestors in (tr_nest - src_nest).elements():
            where = " inside " + " > ".join(f"<{a}>" for a in ancestors) if ancestors else " at top level"
            yield f"nesting differs: {raw_of[key]} is{where} here, not as in the source"


def _unmatched(source: list[_Element], translation: list[_Element]) -> tuple[list[_Element], list[_Element]]:
    """The source elements without a translation element of their key, and the other way round.

    Elements of one key (same tag and attributes, link targets aside) are matched first with
    the same attribute values (link targets included), then in order: of two links that differ
    only in their targets, the one left over is the one whose own target is not matched.
    """
    left = list(translation)
    missing: list[_Element] = []
    for exact in (True, False):
        still: list[_Element] = []
        for element in (source if exact else missing):
            match = next((other for other in left if other.key == element.key
                          and (not exact or sorted(other.values) == sorted(element.values))), None)
            if match is None:
                still.append(element)
            else:
                left.remove(match)
        missing = still
    return missing, left


def _counterpart(element: _Element, source: list[_Element], added: list[_Element],
                 translation: list[_Element]) -> _Element | None:
    """The added element that ``element`` (missing) became: one of its tag, preferably with its
    link targets, else at its position among the elements of its tag."""
    same_tag = [other for other in added if other.tag == element.tag]
    if len(same_tag) <= 1:
        return same_tag[0] if same_tag else None
    targets = _targets(element)
    for other in same_tag:
        if targets and _targets(other) == targets:
            return other
    position = [e for e in source if e.tag == element.tag].index(element)
    for other in same_tag:
        if [e for e in translation if e.tag == other.tag].index(other) == position:
            return other
    return same_tag[0]


def _targets(element: _Element) -> list[tuple[str, str | None]]:
    return sorted((name, value) for name, value in element.values if name in URL_ATTRIBUTES)


@check("urls", CRITICAL)
def check_urls(ctx: CheckContext) -> Iterator[str]:
    """A link target or URL differs from the source."""
    if not ctx.source_markup.urls and not ctx.translation_markup.urls:
        return
    src_markup, tr_markup = ctx.source_markup, ctx.translation_markup
    src, tr = Counter(src_markup.urls), Counter(tr_markup.urls)
    missing = list((src - tr).elements())
    added = list((tr - src).elements())
    named = Counter(missing) + Counter(added)
    while missing and added:
        yield f"URL changed: {_shown_url(missing.pop(0))} became {_shown_url(added.pop(0))}"
    for url in missing:
        yield f"URL missing: {_shown_url(url)}"
    for url in added:
        yield f"URL added: {_shown_url(url)} (not in the source)"
    if src_markup.links != tr_markup.links:
        # A link target may have changed to a URL the source has in its text (or the other way
        # round): the URLs are the same, the links are not (and the build refuses the target).
        src_links, tr_links = Counter(src_markup.links), Counter(tr_markup.links)
        lost = list((src_links - tr_links - named).elements())
        gained = list((tr_links - src_links - named).elements())
        for old, new in zip(lost, gained):
            yield f"link target changed: {_shown_url(old)} became {_shown_url(new)}"
        for old in lost[len(gained):]:
            yield f"link target {_shown_url(old)} is no longer a link"
        for new in gained[len(lost):]:
            yield f"link target added: {_shown_url(new)} (a URL of the source's text)"


def _shown_url(url: str) -> str:
    """A URL for a message; quoted (repr) when it has whitespace or control characters that
    would not show (``'https://a.org/x '``, ``'https://a.org/x\\n'``)."""
    return url if url.isprintable() and " " not in url and url else repr(url)


def _leftover_placeholders(text: str) -> list[str]:
    return list(_placeholders_in(text))


_leftover: Callable[[str], list[str]] | None = None
_prefix_letters: tuple[str, ...] = ()


def _placeholders_in(text: str) -> tuple[str, ...]:
    # The placeholder form (ZQ1...) is owned by newsloc.pinning, and so is its detection
    # (imported on first use: pinning pulls in the glossary module).
    global _leftover, _prefix_letters
    if _leftover is None:
        from .pinning import PREFIXES, leftover_placeholders

        _leftover, _prefix_letters = leftover_placeholders, _hitting_letters(PREFIXES)
    # every placeholder starts with one of pinning's prefixes (a guard test keeps this pre-test
    # honest), and each prefix holds one of these letters ("Z" or "Q"): a text without them,
    # nearly every text, needs no regex scan (a letter is found faster than a regex starts)
    for letter in _prefix_letters:
        if letter in text:
            return tuple(_leftover(text))
    return ()


def _hitting_letters(prefixes: Iterable[str]) -> tuple[str, ...]:
    """A few letters such that each prefix holds one of them (picked greedily: the commonest first)."""
    letters: list[str] = []
    left = list(prefixes)
    while left:
        counts = Counter(ch for prefix in left for ch in set(prefix))
        best = max(sorted(counts), key=counts.__getitem__)
        letters.append(best)
        left = [prefix for prefix in left if best not in prefix]
    return tuple(letters)


def _without_placeholders(text: str) -> str:
    found = _placeholders_in(text)  # (none in nearly every text, found by its prefix test)
    if not found:
        return text
    # longest first: ZQ1 removed before ZQ12 would leave its "2" behind as a number
    # (set order, which varies with the string hash seed, used to decide that)
    for placeholder in sorted(set(found), key=lambda p: (-len(p), p)):
        text = text.replace(placeholder, " ")
    return text


# What SentencePiece decodes an unknown piece to (Argos writes it for characters
# outside the model's vocabulary).
_UNK = "⁇"


@check("placeholder", CRITICAL)
def check_placeholder(ctx: CheckContext) -> Iterator[str]:
    """A machine-translation placeholder or artefact is left in the translation."""
    written_ones = ctx.translation_placeholders
    if written_ones:
        in_source = Counter(_leftover_placeholders(ctx.source_text))  # a source may say "ZQ1" itself
        seen: Counter[str] = Counter()
        for written in written_ones:
            seen[written] += 1
            if seen[written] > in_source[written]:
                yield f"MT placeholder {written} left in the text (put back the term or markup it stands for)"
    if _UNK in ctx.translation_text and ctx.translation_text.count(_UNK) > ctx.source_text.count(_UNK):
        yield f"{_UNK} (a character the MT model did not know) left in the text"


@check("control-chars", CRITICAL)
def check_control_chars(ctx: CheckContext) -> Iterator[str]:
    """The translation holds a character HTML does not allow (a control character, a noncharacter)."""
    found = textchars.forbidden_in(ctx.translation)  # (see newsloc.textchars)
    if found:
        shown = ", ".join(f"U+{cp:04X} ({textchars.kind(cp)})" for cp in dict.fromkeys(found))
        yield f"HTML does not allow {shown} in a page: delete it (a line break from Word: use a space)"


# ------------------------------------------------------- functional checks


@check("numbers", FUNCTIONAL)
def check_numbers(ctx: CheckContext) -> Iterator[str]:
    """Numbers differ from the source (compared in each locale's own notation)."""
    source_text, translation_text = ctx.source_text, ctx.translation_text
    if not _has_digit(source_text) and not _has_digit(translation_text):  # (no cached facts: read once)
        return  # no number on either side (the common case): nothing to read
    # digits inside URLs are the urls check's business, in placeholders the placeholder check's
    src_text = _without_placeholders(_without_urls(source_text))
    tr_text = _without_placeholders(_without_urls(translation_text))
    if _same_notation(ctx.source_lang, ctx.locale):
        # Both sides are read alike and a reading depends only on the multiset of digit
        # runs: the same runs (in most translations, in the same order) give the same
        # readings, without reading a value.
        src_tokens, tr_tokens = _number_tokens(src_text, ctx.source_lang), _number_tokens(tr_text, ctx.locale)
        if src_tokens == tr_tokens or Counter(src_tokens) == Counter(tr_tokens):
            return
    src_options = _number_readings(src_text, ctx.source_lang)
    tr_options = _number_readings(tr_text, ctx.locale)
    if any(s == t for s in src_options for t in tr_options):
        return
    src, tr = src_options[0], tr_options[0]
    missing = list((src - tr).elements())
    added = list((tr - src).elements())
    # a number written the source language's way ("7.1" in Russian text): say so
    foreign = _number_readings(tr_text, ctx.source_lang)[0]
    for value in list(missing):
        if foreign[value] > tr[value]:
            local = _format_number(value, ctx.locale)
            written = _format_number(value, ctx.source_lang)
            missing.remove(value)
            for extra in _split_reading(written, ctx.locale):
                if extra in added:
                    added.remove(extra)
            yield f"{written} is written in {ctx.source_lang} style; in {ctx.locale}: {local}"
    for value in missing:
        yield f"number {_format_number(value, ctx.source_lang)} of the source is missing" + (
            f" (in {ctx.locale}: {_format_number(value, ctx.locale)})"
            if _format_number(value, ctx.locale) != _format_number(value, ctx.source_lang) else "")
    for value in added:
        yield f"number {_format_number(value, ctx.locale)} is not in the source"


@check("glossary", FUNCTIONAL)
def check_glossary(ctx: CheckContext) -> Iterator[str]:
    """A glossary term is not rendered in its agreed or an accepted form."""
    if ctx.glossary is None:
        return
    from .glossary import check_compliance

    for violation in check_compliance(ctx.source, ctx.translation, ctx.locale, ctx.glossary):
        yield violation.message


@check("untranslated", FUNCTIONAL, needs_translation=False)
def check_untranslated(ctx: CheckContext) -> Iterator[str]:
    """The entry is not translated."""
    if not ctx.translation.strip():
        yield "not translated"


@check("fuzzy", FUNCTIONAL)
def check_fuzzy(ctx: CheckContext) -> Iterator[str]:
    """The translation is a draft nobody reviewed (fuzzy)."""
    entry = ctx.entry
    if entry is None or "fuzzy" not in entry.flags:
        return
    if "newsloc-mt:" in (entry.tcomment or ""):
        yield "unreviewed machine draft (fuzzy): review it, then clear the fuzzy flag"
    elif entry.previous_msgid:
        yield "the source sentence changed since it was translated (fuzzy): review the translation"
    else:
        yield "marked fuzzy (needs review): review it, then clear the fuzzy flag"


@check("same-as-source", FUNCTIONAL)
def check_same_as_source(ctx: CheckContext) -> Iterator[str]:
    """The translation is the source text, in a locale written in another script."""
    target_script = locale_script(ctx.locale)
    source_script = locale_script(ctx.source_lang)
    if not target_script or not source_script or target_script == source_script:
        return
    if not any(ch.isalpha() for ch in ctx.source_text):
        return
    name = _script_name(target_script)
    if ctx.source_flat == ctx.translation_flat:
        yield f"translation is identical to the source, but {ctx.locale} is written in {name} script"
        return
    text = ctx.translation_text
    if _url_hint(text):  # letters of a URL do not count
        text = _BARE_URL.sub(" ", text)
    families = _script_families(target_script)
    has_letters = False
    for ch in text:
        if ch.isalpha():
            if _char_script(ch) in families:
                return  # a letter of the locale's script (the first one decides)
            has_letters = True
    if has_letters:
        yield f"translation has no {name} letters ({ctx.locale} is written in {name} script): source copied?"


@check("sentences", FUNCTIONAL)
def check_sentences(ctx: CheckContext) -> Iterator[str]:
    """The translation has a different number of sentences than the source."""
    # count_sentences is len(split_spans(...)) without making the spans, and without the
    # segmenter when the text has nowhere it could cut
    src = count_sentences(ctx.source_text, ctx.source_lang)
    tr = count_sentences(ctx.translation_text, ctx.locale)
    if src != tr:
        yield f"the source has {src} sentence{'s' if src != 1 else ''}, the translation {tr}"


@check("missing", FUNCTIONAL)
def check_missing(ctx: CheckContext) -> Iterator[str]:
    """An entry of the article's template (.pot) is not in the catalog."""
    # A check of the catalog, not of an entry: check_project compares each catalog with its
    # template (see _missing_entries); the entry loop never runs this (see _steps).
    return iter(())


# --------------------------------------------------------- cosmetic checks

_CLOSERS = "\"'”’»›“‘)]}」』"
# Sentence-final marks of other scripts, as their Latin counterpart.
_END_EQUIVALENTS = {
    "։": ".", "。": ".", "।": ".", "۔": ".", "︒": ".", "．": ".",
    "？": "?", "؟": "?", ";": ";", "！": "!", "：": ":", "؛": ";", "，": ",", "、": ",", "،": ",",
}


# Every character that str.isspace() (and so str.rstrip()) takes for whitespace (a test checks all of Unicode).
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + (
    "\u2028\u2029\u202f\u205f\u3000")
# What _end_mark strips from the end of a text (rstrip() and the closers, in any order).
_END_SKIP = _CLOSERS + _WHITESPACE


def _end_mark(text: str) -> str:
    """The sentence-final punctuation of ``text`` ('' if none), closing quotes and brackets skipped."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1].rstrip()
    if stripped.endswith("..."):
        return "…"
    if not stripped:
        return ""
    last = stripped[-1]
    if not unicodedata.category(last).startswith("P") or last in "-–—":
        return ""
    return _END_EQUIVALENTS.get(last, last)


@check("end-punctuation", COSMETIC)
def check_end_punctuation(ctx: CheckContext) -> Iterator[str]:
    """The translation ends with other punctuation than the source."""
    source, translation = ctx.source_text, ctx.translation_text
    last = source[-1:]
    if last and last == translation[-1:] and not last.isspace() and last not in _CLOSERS and (
            last != "." or source.endswith("...") == translation.endswith("...")):
        # _end_mark of a text that ends in neither whitespace nor a closer depends on its last
        # character only, and for a "." on whether it ends "...": both ends are the same
        return
    src, tr = _end_mark(source), _end_mark(translation)
    if src == tr:
        return
    base = _base(ctx.locale)
    if base == "hy" and tr == "." and (src, True) in {("?", "՞" in ctx.translation_text),
                                                        ("!", "՜" in ctx.translation_text)}:
        return  # Armenian marks a question/exclamation on the word (՞ ՜) and ends with ։
    if base == "el" and src == "?" and tr == ";":
        return  # the Greek question mark
    if not src:
        yield f"ends with {tr!r}, the source has no end punctuation"
    elif not tr:
        yield f"no end punctuation, the source ends with {src!r}"
    else:
        yield f"ends with {tr!r}, the source with {src!r}"


_QUOTES = "\"'“”„‟«»‹›‘’‚‛「」『』"
_QUOTE_CHAR = re.compile(f"[{re.escape(_QUOTES)}]")
_APOSTROPHES = "'’"


_ASCII_QUOTES = ('"', "'")  # the ASCII ones of _QUOTES (a test checks it)


def _has_quote(text: str) -> bool:
    """``_QUOTE_CHAR.search(text)``, cheaper: an ASCII text can only hold the ASCII marks."""
    if text.isascii():  # a flag of the str object: no scan
        return '"' in text or "'" in text  # (_ASCII_QUOTES)
    return _QUOTE_CHAR.search(text) is not None


@lru_cache(maxsize=64)
def quotation_marks(locale: str) -> tuple[str, str, str, str]:
    """The locale's quotation marks from CLDR: (start, end, alternate start, alternate end).

    >>> quotation_marks("ru")
    ('«', '»', '„', '“')
    """
    import icu  # PyICU: Babel does not ship CLDR's <delimiters>

    data = icu.LocaleData(locale)
    kinds = icu.ULocaleDataDelimiterType
    return tuple(data.getDelimiter(kind) for kind in (  # type: ignore[return-value]
        kinds.QUOTATION_START, kinds.QUOTATION_END, kinds.ALT_QUOTATION_START, kinds.ALT_QUOTATION_END))


@lru_cache(maxsize=64)
def _quote_sets(locale: str) -> tuple[tuple[str, str, str, str], frozenset[str], frozenset[str]]:
    """The locale's marks, and those that open and close a quotation."""
    marks = quotation_marks(locale)
    return marks, frozenset({marks[0], marks[2]}), frozenset({marks[1], marks[3]})


@check("quotes", COSMETIC)
def check_quotes(ctx: CheckContext) -> Iterator[str]:
    """The translation uses quotation marks that are not the locale's."""
    marks, opening, closing = _quote_sets(ctx.locale)
    text = ctx.translation_text
    # A mark is wrong from its first wrong use on, and the message names the wrong marks in the
    # order of those uses: each mark is looked for with str.find (cheaper than a regex scan for
    # all of them) until its first wrong use.  ASCII text can hold only " and '.
    first_wrong: list[tuple[int, str]] = []
    for mark in _ASCII_QUOTES if text.isascii() else _QUOTES:
        if mark in opening and mark in closing:
            continue  # right wherever it is
        i = text.find(mark)
        while i >= 0:
            before = text[i - 1] if i else " "
            if not (mark in _APOSTROPHES and before.isalpha()):  # (an apostrophe: O’Brien, the Joneses')
                after = text[i + 1] if i + 1 < len(text) else " "
                # a mark after a space or bracket and before a word opens a quotation
                opens = (before.isspace() or before in "([{—–-/") and not after.isspace()
                if mark not in (opening if opens else closing):
                    first_wrong.append((i, mark))
                    break
            i = text.find(mark, i + 1)
    if first_wrong:
        wrong = [mark for _, mark in sorted(first_wrong)]
        inner = f" ({marks[2]}…{marks[3]} inside)" if marks[2:] != marks[:2] else ""
        yield f"uses {' '.join(wrong)}; {ctx.locale} quotation marks are {marks[0]}…{marks[1]}{inner}"


_DOUBLE_SPACE = re.compile(r"[^\S\n]{2,}")


@check("double-space", COSMETIC)
def check_double_space(ctx: CheckContext) -> Iterator[str]:
    """Double spaces, or leading/trailing whitespace the source does not have."""
    src, tr = ctx.source_text, ctx.translation_text
    if _DOUBLE_SPACE.search(tr) and len(_DOUBLE_SPACE.findall(tr)) > len(_DOUBLE_SPACE.findall(src)):
        for m in _DOUBLE_SPACE.finditer(tr):
            around = tr[max(0, m.start() - 15):m.end() + 15].replace("\n", " ")
            yield f"double space: {around.strip()!r}"
    if tr[:1].isspace() and not src[:1].isspace():
        yield "translation starts with whitespace"
    if tr[-1:].isspace() and not src[-1:].isspace():
        yield "translation ends with whitespace"


# Typical length of a translation of English news text, in characters, as a
# multiple of the English length (rough industry figures; only a ratio beyond
# twice the norm, either way, is reported, so precision does not matter).
LENGTH_NORMS = {
    "en": 1.0, "ru": 1.1, "uk": 1.1, "be": 1.1, "bg": 1.1, "sr": 1.05, "hy": 1.15, "ka": 1.15,
    "az": 1.1, "kk": 1.1, "de": 1.2, "fr": 1.2, "es": 1.2, "it": 1.15, "pt": 1.2, "nl": 1.15,
    "pl": 1.1, "cs": 1.0, "tr": 1.05, "el": 1.15, "ro": 1.15, "fi": 1.05, "sv": 1.0, "ar": 0.95,
    "fa": 1.0, "he": 0.85, "hi": 1.1, "zh": 0.35, "ja": 0.45, "ko": 0.5, "th": 1.0, "vi": 1.1,
}
LENGTH_TOLERANCE = 2.0  # report a ratio above norm * 2 or below norm / 2
LENGTH_MIN_CHARS = 20  # shorter sources vary too much to judge


@check("length", COSMETIC)
def check_length(ctx: CheckContext) -> Iterator[str]:
    """The translation's length is far outside the locale's norm."""
    src = len(ctx.source_flat)
    if src < LENGTH_MIN_CHARS:
        return
    tr = len(ctx.translation_flat)
    if not tr:
        return
    norm = LENGTH_NORMS.get(_base(ctx.locale), 1.0) / LENGTH_NORMS.get(_base(ctx.source_lang), 1.0)
    ratio = tr / src
    if ratio > norm * LENGTH_TOLERANCE or ratio < norm / LENGTH_TOLERANCE:
        yield (f"translation is {ratio:.2f}× the source length ({tr} vs {src} characters; "
               f"usual for {ctx.locale}: about {norm:.2f}×)")


@check("markup-form", COSMETIC)
def check_markup_form(ctx: CheckContext) -> Iterator[str]:
    """Inline markup or links are in another order or written differently than in the source."""
    src, tr = ctx.source_markup, ctx.translation_markup
    if src.sequence != tr.sequence and Counter(src.sequence) == Counter(tr.sequence):
        yield "inline markup in another order than in the source (check that the tags wrap the right words)"
    elif src.sequence != tr.sequence and not list(check_markup(ctx)):
        yield ("tags written differently from the source: "
               + " ".join(t for t in tr.sequence if t not in src.sequence)[:120])
    if src.urls != tr.urls and Counter(src.urls) == Counter(tr.urls):
        yield "links in another order than in the source (check that each wraps the right words)"


# ------------------------------------------------------------ number parsing

# A run of digits with single separators inside it: "7.1", "1,000,000", "10 000", "29.11.2026".
_DIGIT = re.compile(r"\d")  # any Unicode decimal digit, as _NUMBER and _to_ascii_digits read them
_NUMBER = re.compile(r"\d+(?:[.,'’\u00a0\u202f\u2009 ]\d+)*")
# _NUMBER for text whose digits are all ASCII (after _to_ascii_digits): the same matches, found
# several times faster ("[0-9][0-9]*": re scans for a leading character set without trying
# every position, which it does not for \d+)
_ASCII_NUMBER = re.compile(r"[0-9][0-9]*(?:[.,'’\u00a0\u202f\u2009 ][0-9]+)*")
_SPACES = frozenset(" \u00a0\u202f\u2009")
_SEPARATOR = re.compile(r"(\D)")


# \d but 0-9, as one character class: re tests it at each position without the look-ahead
# ("(?![0-9])\d", the same characters: a test compares them over all of Unicode) at half the cost
_NON_ASCII_DIGIT = re.compile(r"[^\D0-9]")


def _has_digit(text: str) -> bool:
    """``_DIGIT.search(text)``, cheaper: an ASCII text can only hold the digits 0-9."""
    if text.isascii():  # a flag of the str object: no scan
        return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text
                or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text)
    return _DIGIT.search(text) is not None


def _to_ascii_digits(text: str) -> str:
    """Arabic-Indic, Devanagari... digits as 0-9 (Python's \\d and Decimal accept them, CLDR formats differ)."""
    if text.isascii():
        return text
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


@lru_cache(maxsize=64)
def _symbols(lang: str) -> tuple[str, str]:
    """Babel's (CLDR) decimal and group symbols for a language (Latin digits)."""
    try:
        return get_decimal_symbol(lang), get_group_symbol(lang)
    except Exception:  # unknown to Babel: the plain English notation
        return ".", ","


@lru_cache(maxsize=64)
def _native_symbols(lang: str) -> dict[str, str]:
    """The locale's own digits' symbols (fa, ar_EG: ٫ ٬) mapped to the Latin-digit ones."""
    try:
        native = (get_decimal_symbol(lang, numbering_system="default"),
                  get_group_symbol(lang, numbering_system="default"))
    except Exception:
        return {}
    return {n: latin for n, latin in zip(native, _symbols(lang)) if n != latin}


def _read_token(token: str, lang: str, split_plain_spaces: bool) -> list[Decimal | str]:
    """The values of one digit run written in ``lang``'s notation.

    Separators that are neither the decimal symbol nor a valid group separator
    (followed by exactly three digits) separate numbers.  A run with the
    decimal symbol more than once (a date, a version) is kept as a string.
    """
    decimal, group = _symbols(lang)
    space_group = group in _SPACES
    parts = _SEPARATOR.split(token)
    digits, seps = parts[0::2], parts[1::2]
    if seps.count(decimal) > 1:
        return [token]
    values: list[Decimal | str] = []
    current = digits[0]
    has_decimal = False
    for sep, run in zip(seps, digits[1:]):
        is_group = (not has_decimal and len(run) == 3 and len(current.replace(".", "")) <= 15
                    and (sep == group or (space_group and sep in _SPACES))
                    and not (sep == " " and split_plain_spaces))
        if is_group:
            current += run
        elif sep == decimal and not has_decimal:
            current += "." + run
            has_decimal = True
        else:
            values.append(_decimal(current))
            current, has_decimal = run, False
    values.append(_decimal(current))
    return values


def _decimal(text: str) -> Decimal | str:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return text


def _number_tokens(text: str, lang: str) -> list[str]:
    """The digit runs of ``text`` with its digits and separators in the Latin notation of ``lang``."""
    native = _native_symbols(lang)
    if not native and text.isascii():  # (the usual case: nothing to convert)
        return _ASCII_NUMBER.findall(text)
    text = _to_ascii_digits(text)
    for symbol, latin in native.items():
        text = text.replace(symbol, latin)
    return _ASCII_NUMBER.findall(text)


@lru_cache(maxsize=64)
def _same_notation(lang: str, other: str) -> bool:
    """Numbers are read alike in both languages (the same symbols, native and Latin)."""
    return (_symbols(lang) == _symbols(other)
            and list(_native_symbols(lang).items()) == list(_native_symbols(other).items()))


def _number_readings(text: str, lang: str) -> list[Counter]:
    """The multiset of numbers in ``text``; two readings when a plain space may group digits.

    "In 2020 300 people" and "10 000" are both possible in Russian copy; the
    check accepts a translation if either reading matches the source.
    """
    tokens = _number_tokens(text, lang)
    readings = [Counter(v for t in tokens for v in _read_token(t, lang, split_plain_spaces=False))]
    if any(" " in t for t in tokens):
        split = Counter(v for t in tokens for v in _read_token(t, lang, split_plain_spaces=True))
        if split != readings[0]:
            readings.append(split)
    return readings


def _split_reading(written: str, lang: str) -> list[Decimal | str]:
    return [v for t in _NUMBER.findall(written) for v in _read_token(t, lang, False)]


def _format_number(value: Decimal | str, lang: str) -> str:
    if isinstance(value, str):
        return value
    try:
        # 4-digit numbers (years) are written without a group separator
        return format_decimal(value, locale=lang, group_separator=abs(value) >= 10000,
                              decimal_quantization=False)
    except Exception:
        return str(value)


# ------------------------------------------------------------------ scripts

# Script codes whose letters unicodedata names differently from Babel's English script name.
_SCRIPT_FAMILIES = {
    "Hans": ("CJK",), "Hant": ("CJK",), "Hani": ("CJK",), "Jpan": ("CJK", "HIRAGANA", "KATAKANA"),
    "Kore": ("HANGUL", "CJK"), "Beng": ("BENGALI",), "Orya": ("ORIYA",), "Mtei": ("MEETEI",),
}


@lru_cache(maxsize=64)
def locale_script(code: str) -> str | None:
    """The ISO 15924 script of a locale (``ru`` -> ``Cyrl``), from CLDR likely subtags (Babel)."""
    try:
        parts = parse_locale(code)
    except ValueError:
        return None
    if parts[2]:
        return parts[2]
    likely = get_global("likely_subtags")
    for key in (code, parts[0]):
        if key in likely:
            script = parse_locale(likely[key])[2]
            if script:
                return script
    return None


@lru_cache(maxsize=64)
def _script_families(script: str) -> tuple[str, ...]:
    if script in _SCRIPT_FAMILIES:
        return _SCRIPT_FAMILIES[script]
    name = Locale("en").scripts.get(script, script)
    return (name.upper().split()[0],)


@lru_cache(maxsize=64)
def _script_name(script: str) -> str:
    return Locale("en").scripts.get(script, script)


def _char_script(ch: str) -> str:
    """The first word of a character's Unicode name: LATIN, CYRILLIC, ARMENIAN, CJK..."""
    return unicodedata.name(ch, "").split(" ", 1)[0]


_SUBTAG_SEPARATOR = re.compile(r"[-_@.]")


@lru_cache(maxsize=64)
def _base(code: str) -> str:
    return _SUBTAG_SEPARATOR.split(code, maxsplit=1)[0].lower()


# ------------------------------------------------------------------ pre-tests
#
# Most entries fail no check, and most checks can tell that from a fact that
# costs far less than the check itself (no "<" in either text, no digit, no
# quotation mark...).  A gate is such a pre-test: ``gate(ctx)`` is False only
# when the check provably yields nothing for ``ctx`` (each gate says why), so
# skipping the check changes no finding.  Gates belong to the built-in check
# functions, not to names: a check registered under a built-in name with
# another function always runs.


def _gate_markup(ctx: CheckContext) -> bool:
    return "<" in ctx.source or "<" in ctx.translation  # check_markup's own first test


def _gate_urls(ctx: CheckContext) -> bool:
    # without markup the only URLs are bare ones, which _url_hint finds first
    return not ctx._plain or _url_hint(ctx.source) or _url_hint(ctx.translation)


def _gate_placeholder(ctx: CheckContext) -> bool:
    return bool(ctx.translation_placeholders) or _UNK in ctx.translation_text


def _gate_control_chars(ctx: CheckContext) -> bool:
    return not ctx.translation.isprintable() or "&#" in ctx.translation  # check_control_chars' own tests


def _gate_numbers(ctx: CheckContext) -> bool:
    # check_numbers' own first test, without the cached facts: they pay only when it runs
    return _has_digit(ctx.source_text) or _has_digit(ctx.translation_text)


def _gate_untranslated(ctx: CheckContext) -> bool:
    return not ctx.translation.strip()


def _gate_fuzzy(ctx: CheckContext) -> bool:
    return ctx.entry is not None and "fuzzy" in ctx.entry.flags


def _gate_quotes(ctx: CheckContext) -> bool:
    return _has_quote(ctx.translation_text)  # no mark, nothing is wrong


def _gate_double_space(ctx: CheckContext) -> bool:
    # words joined by single spaces: no whitespace run, none at either end
    # (str.split and the regex \s agree on what whitespace is)
    return ctx.translation_flat != ctx.translation_text


def _gate_length(ctx: CheckContext) -> bool:
    return len(ctx.source_text) >= LENGTH_MIN_CHARS  # the flattened text is never longer


def _gate_markup_form(ctx: CheckContext) -> bool:
    # without markup both tag sequences are empty; links in another order need URLs on both sides
    return not ctx._plain or (_url_hint(ctx.source) and _url_hint(ctx.translation))


_GATES: dict[CheckFunc, Callable[[CheckContext], bool]] = {
    check_markup: _gate_markup, check_urls: _gate_urls, check_placeholder: _gate_placeholder,
    check_control_chars: _gate_control_chars,
    check_numbers: _gate_numbers, check_untranslated: _gate_untranslated, check_fuzzy: _gate_fuzzy,
    check_quotes: _gate_quotes, check_double_space: _gate_double_space, check_length: _gate_length,
    check_markup_form: _gate_markup_form,
}

# Facts about a plain translated pair (no tag and no character reference on either side, so
# each text is its segment), each a bit of one number, found by _plain_facts in one call: they
# decide most gates of the built-in checks (see _PLAIN_VERDICTS), so that the entry loop calls
# only the checks that may yield, instead of a gate function per check.
_FACT_FUZZY = 1  # the entry is fuzzy
_FACT_SOURCE_URL = 2  # _url_hint(source)
_FACT_TRANSLATION_URL = 4  # _url_hint(translation)
_FACT_URLS = _FACT_SOURCE_URL | _FACT_TRANSLATION_URL
_FACT_DIGIT = 8  # a digit on either side
_FACT_PLACEHOLDER_LETTER = 16  # the translation holds _UNK or a letter of _prefix_letters (see _placeholders_in)
_FACT_QUOTE = 32  # a quotation mark in the translation (_has_quote)
_FACT_SPACING = 64  # the translation is not known to be in single spaces (see _flat)
_FACT_LENGTH = 128  # check_length may yield (a long source, and a ratio beyond the norm or texts not known flat)
_FACT_END = 256  # the end marks may differ (the texts without trailing closers and whitespace end differently)


def _plain_facts(source: str, translation: str, entry: polib.POEntry, plan: _Plan) -> int:
    """The facts (above) of a plain, translated pair."""
    facts = _FACT_FUZZY if "fuzzy" in entry.flags else 0
    if _url_hint(source):
        facts |= _FACT_SOURCE_URL
    if _url_hint(translation):
        facts |= _FACT_TRANSLATION_URL
    if _has_digit(source) or _has_digit(translation):
        facts |= _FACT_DIGIT
    if _UNK in translation:
        facts |= _FACT_PLACEHOLDER_LETTER
    else:
        for letter in _prefix_letters:  # (see _placeholders_in)
            if letter in translation:
                facts |= _FACT_PLACEHOLDER_LETTER
                break
    if _has_quote(translation):
        facts |= _FACT_QUOTE
    translation_flat = _is_flat(translation)
    if not translation_flat:
        facts |= _FACT_SPACING
    n = len(source)
    if n >= LENGTH_MIN_CHARS:
        if not (translation_flat and _is_flat(source)):
            facts |= _FACT_LENGTH  # (the flat lengths are check_length's to find)
        else:  # both texts are their flat forms: check_length's own comparison
            low, high = plan.length_bounds
            ratio = len(translation) / n
            if ratio > high or ratio < low:
                facts |= _FACT_LENGTH
    # _end_mark reads a text without its trailing closers and whitespace: "…" if that ends
    # "...", else a function of its last character; the same on both sides, the same mark
    source_end, translation_end = source.rstrip(_END_SKIP), translation.rstrip(_END_SKIP)
    last = source_end[-1:]
    if last != translation_end[-1:] or (last == "." and source_end.endswith("...") != translation_end.endswith("...")):
        facts |= _FACT_END
    return facts


# What the facts say about a built-in check on a plain translated pair: True, it may yield (run
# it, its gate would pass); False, it cannot (skip it); None, they do not tell (run its gate).
_PLAIN_VERDICTS: dict[CheckFunc, Callable[[int], bool | None]] = {
    check_markup: lambda facts: False,  # no "<" on either side
    check_urls: lambda facts: bool(facts & _FACT_URLS),  # (_gate_urls)
    check_markup_form: lambda facts: facts & _FACT_URLS == _FACT_URLS,  # URLs on both sides (_gate_markup_form)
    check_fuzzy: lambda facts: bool(facts & _FACT_FUZZY),
    check_numbers: lambda facts: bool(facts & _FACT_DIGIT),
    check_placeholder: lambda facts: None if facts & _FACT_PLACEHOLDER_LETTER else False,  # (_placeholders_in)
    # a plain translation holds no "&#", and one in single spaces is printable (see _is_flat)
    check_control_chars: lambda facts: None if facts & _FACT_SPACING else False,
    check_quotes: lambda facts: bool(facts & _FACT_QUOTE),
    check_double_space: lambda facts: None if facts & _FACT_SPACING else False,
    check_length: lambda facts: bool(facts & _FACT_LENGTH),  # (_FACT_LENGTH holds the gate's test)
    check_end_punctuation: lambda facts: None if facts & _FACT_END else False,
}


def _plain_steps(translated: list[_Step], facts: int) -> list[_Step]:
    """The steps of ``translated`` that a plain pair with ``facts`` needs (gates the facts decide dropped)."""
    steps: list[_Step] = []
    for step in translated:
        verdict = _PLAIN_VERDICTS[step[0]](facts) if step[0] in _PLAIN_VERDICTS else None
        if verdict is None:
            steps.append(step)
        elif verdict:
            steps.append((step[0], None, step[2], step[3]))
    return steps


# Checks that compare the two sides and yield nothing when the translation is the
# source itself (equal markup, URLs, placeholders, end marks, spacing).
_SILENT_ON_COPY: frozenset[CheckFunc] = frozenset({
    check_markup, check_urls, check_placeholder, check_end_punctuation, check_double_space, check_markup_form,
})


@lru_cache(maxsize=64)
def _silent_on_copy(locale: str, source_lang: str) -> frozenset[CheckFunc]:
    """The built-in checks that yield nothing on a translation equal to its source, for this language pair."""
    silent = set(_SILENT_ON_COPY)
    # numbers are read with each side's symbols: the same symbols give the same readings
    if _same_notation(source_lang, locale):
        silent.add(check_numbers)
    # split_spans depends on the language only through its base ("en_GB" -> "en")
    if _sentence_lang(source_lang) == _sentence_lang(locale):
        silent.add(check_sentences)
    return frozenset(silent)


# One step of a plan: the check function, its gate (None: always run), name and severity
# (what the entry loop reads, unpacked once per catalog instead of once per entry).
_Step = tuple[CheckFunc, "Callable[[CheckContext], bool] | None", str, str]


@dataclass
class _Plan:
    """The per-catalog part of checking: selection, path, and which checks can fire at all."""

    locale: str
    source_lang: str
    glossary: Any
    path: str
    po_path: Path | None
    translated: list[_Step]  # source != translation
    copied: list[_Step]  # translation == source
    untranslated: list[_Step]  # blank translation
    # the translated steps that a plain pair with these facts needs (see _pair_facts; made on first use)
    plain_translated: dict[int, list[_Step]]
    length_bounds: tuple[float, float]  # check_length's ratio limits (see _pair_facts)


def _plan(selected: list[Check], locale: str, source_lang: str, glossary: Any,
          po_path: Path | str | None, po_path_obj: Path | None) -> _Plan:
    # a copy has the length ratio 1 (the norms are read here, not cached: they are module settings)
    norm = LENGTH_NORMS.get(_base(locale), 1.0) / LENGTH_NORMS.get(_base(source_lang), 1.0)
    copy_length_silent = not (1.0 > norm * LENGTH_TOLERANCE or 1.0 < norm / LENGTH_TOLERANCE)
    # A build checks thousands of catalogs of one language pair with every check: their steps are
    # made once, and reused while the selection is the same Check objects (CHECKS may change).
    key = (locale, source_lang, glossary is None, copy_length_silent)
    known = _STEPS.get(key)
    if known is not None and len(known[0]) == len(selected) and all(map(operator.is_, known[0], selected)):
        steps, plain_translated = known[1], known[2]
    else:
        steps = _steps(selected, locale, source_lang, glossary is None, copy_length_silent)
        plain_translated = {}
        if len(_STEPS) >= 256:  # (a long-running caller with many pairs: start afresh)
            _STEPS.clear()
        _STEPS[key] = (tuple(selected), steps, plain_translated)
    _placeholders_in("")  # (loads pinning's prefixes, which _check_pair's facts read)
    return _Plan(locale, source_lang, glossary, str(po_path) if po_path is not None else "", po_path_obj, *steps,
                 plain_translated, (norm / LENGTH_TOLERANCE, norm * LENGTH_TOLERANCE))


_STEPS: dict[tuple[str, str, bool, bool],
             tuple[tuple[Check, ...], tuple[list[_Step], list[_Step], list[_Step]], dict[int, list[_Step]]]] = {}


def _steps(selected: list[Check], locale: str, source_lang: str, no_glossary: bool,
           copy_length_silent: bool) -> tuple[list[_Step], list[_Step], list[_Step]]:
    """The steps for translated, copied and untranslated pairs (see _Plan)."""
    never: set[CheckFunc] = {check_missing}  # (a catalog-level check: check_project runs it)
    if no_glossary:
        never.add(check_glossary)  # its first test
    target_script, source_script = locale_script(locale), locale_script(source_lang)
    if not target_script or not source_script or target_script == source_script:
        never.add(check_same_as_source)  # its first test
    silent = _silent_on_copy(locale, source_lang)
    if copy_length_silent:
        silent = silent | {check_length}
    translated: list[_Step] = []
    copied: list[_Step] = []
    untranslated: list[_Step] = []
    for c in selected:
        if c.func in never:
            continue
        step = (c.func, _GATES.get(c.func), c.name, c.severity)
        if not c.needs_translation:
            untranslated.append(step)
        if c.func is not check_untranslated:  # it yields only on a blank translation
            translated.append(step)
            if c.func not in silent:
                copied.append(step)
    return translated, copied, untranslated


# -------------------------------------------------------------- entry points


def check_entry(
    entry: polib.POEntry,
    locale: str,
    source_lang: str = "en",
    glossary: Any = None,
    po_path: Path | str | None = None,
    checks: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the checks (all, or the named ones) on one catalog entry."""
    findings: list[Finding] = []
    _check_entry(entry, _plan(_select(checks), locale, source_lang, glossary, po_path,
                              Path(po_path) if po_path is not None else None), findings)
    return findings


def _check_entry(entry: polib.POEntry, plan: _Plan, findings: list[Finding]) -> None:
    """:func:`check_entry`, appending to ``findings``, with the per-catalog work (path, check
    selection, gates) done by the caller."""
    if entry.msgid_plural:  # plural forms: [0] against msgid, the others against msgid_plural
        forms = entry.msgstr_plural or {}
        first = len(findings)
        for i in sorted(forms) or [None]:
            _check_pair(entry.msgid if i is None or int(i) == 0 else entry.msgid_plural,
                        "" if i is None else forms[i], entry, plan, findings, first)
    else:  # (a list of one pair would cost more than the rest of an entry without findings)
        _check_pair(entry.msgid, entry.msgstr, entry, plan, findings, len(findings))


def _check_pair(source: str, translation: str, entry: polib.POEntry, plan: _Plan,
                findings: list[Finding], first: int) -> None:
    """Check one (source, translation) pair of ``entry``; ``findings[first:]`` are the entry's so far."""
    if not translation or translation.isspace():  # (not translation.strip(), without a copy)
        steps = plan.untranslated
    elif source == translation:
        steps = plan.copied
    elif "<" in source or "&" in source or "<" in translation or "&" in translation:
        steps = plan.translated
    else:  # the usual pair: plain (see _plain_facts)
        facts = _plain_facts(source, translation, entry, plan)
        steps = plan.plain_translated.get(facts)
        if steps is None:
            steps = plan.plain_translated[facts] = _plain_steps(plan.translated, facts)
    if not steps:
        return
    ctx = CheckContext(source, translation, entry, plan.locale, plan.source_lang, plan.glossary, plan.po_path)
    for func, gate, name, severity in steps:
        if gate is not None and not gate(ctx):
            continue
        for message in func(ctx):
            # (check, severity, message) tells an entry's findings apart: the same one from
            # another plural form is not repeated (an entry has few findings: a scan suffices)
            if not any(f.message == message and f.check == name and f.severity == severity
                       for f in findings[first:]):
                findings.append(_finding(plan.path, entry.linenum, entry.msgid, name, severity, message,
                                         entry.msgctxt))


def _finding(path: str, line: int | None, msgid: str, check: str, severity: str, message: str,
             msgctxt: str | None) -> Finding:
    """``Finding(path, line, ...)``, the same object, made at half the cost: the frozen dataclass's
    __init__ sets each field with object.__setattr__ (a test compares the two)."""
    finding = object.__new__(Finding)
    finding.__dict__.update(path=path, line=line, msgid=msgid, check=check, severity=severity, message=message,
                            msgctxt=msgctxt)
    return finding


def check_catalog(
    po: polib.POFile,
    po_path: Path | str,
    locale: str,
    source_lang: str | None = None,
    glossary: Any = None,
    checks: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the checks on every (non-obsolete) entry of a catalog, in file order.

    ``source_lang`` defaults to the catalog's ``X-Source-Language`` header, then ``en``.
    """
    if source_lang is None:
        source_lang = po.metadata.get("X-Source-Language") or "en"
    plan = _plan(_select(checks), locale, source_lang, glossary, po_path,
                 po_path if isinstance(po_path, Path) else Path(po_path))
    findings: list[Finding] = []
    for entry in po:
        if entry.obsolete or entry.msgid == "":
            continue
        if entry.msgid_plural:
            _check_entry(entry, plan, findings)
        else:  # _check_entry's usual case, one call less per entry
            _check_pair(entry.msgid, entry.msgstr, entry, plan, findings, len(findings))
    return findings


def check_project(
    project: Any,
    slugs: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
    checks: Iterable[str] | None = None,
) -> list[Finding]:
    """Check the catalogs of a :class:`newsloc.project.Project` (all, or the selected ones).

    Paths in the findings are relative to the project root.  A selected
    catalog that does not exist raises :class:`CatalogError`.
    """
    paths = project.select_articles(list(slugs) if slugs else None)
    codes = project.select_locales(list(locales) if locales else None)
    glossary = project.load_glossary()
    selected = _select(checks)  # (unknown names fail here, before any file is read)
    missing = next((c for c in selected if c.func is check_missing), None)
    findings: list[Finding] = []
    for article_path in paths:
        slug = project.slug_for(article_path)
        template: _Template | None = None  # read once per article, for its first catalog
        for code in codes:
            po_path = project.po_path(slug, code)
            shown = project.relative(po_path)
            if not os.path.lexists(po_path):  # (a link loop is not "no catalog": reading it says what it is)
                if code == project.source_language(article_path):
                    continue  # the article's own language has no catalog (extract makes none)
                raise CatalogError("no catalog; run `newsloc extract` first", shown)
            try:
                po = load_po(po_path).po
            except CatalogError as exc:  # name the file as the user knows it
                raise CatalogError(exc.message, shown, exc.line) from None
            findings.extend(check_catalog(po, shown, code, None, glossary, checks))
            if missing is not None:
                if template is None:
                    template = _read_template(project, slug)
                findings.extend(_missing_entries(po, shown, template, missing))
    return findings


@dataclass
class _Template:
    """An article's template (``locales/<slug>.pot``, written by extract) as check_project reads it."""

    path: str  # project-relative, as findings show it
    entries: list[polib.POEntry]  # the entries a catalog must have (not the header, not obsolete)


def _read_template(project: Any, slug: str) -> _Template:
    pot_path = project.pot_path(slug)
    shown = str(project.relative(pot_path))
    if not os.path.lexists(pot_path):
        return _Template(shown, [])  # no template (never extracted): nothing to compare with
    try:
        pot = load_po(pot_path).po
    except CatalogError as exc:
        raise CatalogError(exc.message, shown, exc.line) from None
    return _Template(shown, [e for e in pot if not e.obsolete and e.msgid != ""])


def _missing_entries(po: polib.POFile, po_shown: Any, template: _Template, missing: Check) -> list[Finding]:
    """The ``missing`` findings of a catalog: entries of its template it does not have (the build
    would block the edition: "sentence is not in the catalog"), named by the template's file:line."""
    if not template.entries:
        return []
    present = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
    message = f"not in the catalog {po_shown}: run `newsloc extract` to merge the template"
    return [_finding(template.path, e.linenum, e.msgid, missing.name, missing.severity, message, e.msgctxt)
            for e in template.entries if (e.msgctxt, e.msgid) not in present]


def _select(names: Iterable[str] | None) -> list[Check]:
    if names is None:
        return list(CHECKS.values())
    selected = []
    for name in names:
        if name not in CHECKS:
            raise ValueError(f"unknown check {name!r}; known: {', '.join(CHECKS)}")
        selected.append(CHECKS[name])
    return selected


def failed(findings: Iterable[Finding]) -> bool:
    """True if any critical or functional check failed (publication is blocked)."""
    return any(f.severity in BLOCKING for f in findings)


def summary_line(findings: list[Finding]) -> str:
    """One line for the end of a report, e.g. ``2 problems: 1 critical, 1 cosmetic (check failed)``."""
    if not findings:
        return "no problems found"
    counts = Counter(f.severity for f in findings)
    entries = len({(f.path, f.line) for f in findings})
    parts = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
    verdict = "check failed" if failed(findings) else "cosmetic only, check passed"
    noun = "problem" if len(findings) == 1 else "problems"
    where = f"{entries} entr{'y' if entries == 1 else 'ies'}"
    return f"{len(findings)} {noun} in {where}: {parts} ({verdict})"
