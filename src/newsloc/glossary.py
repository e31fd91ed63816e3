"""The project glossary: ``glossary.yaml`` loading, validation, matching, notes, compliance.

Schema (``version: 1``)::

    version: 1                  # required, schema version
    source_language: en         # optional, default en
    terms:
      - id: csto                # required, unique; a letter, then letters, digits, . _ -
        kind: organisation      # required: person, organisation, place, acronym, group, other
        sources: [CSTO]         # required, non-empty; canonical form first, then variants,
                                # plurals and expansions that mean the same entity
        case_sensitive: true    # optional, default true
        pin: true               # optional, default true: protect the term for machine
                                # translation (false for adjectives the MT should inflect)
        note: ...               # optional note for translators
        targets:                # optional; one key per locale (a folder under locales/)
          ru:
            agreed: ОДКБ        # the agreed form (shown to translators, used by MT pinning)
            forms: [...]        # optional: further accepted (inflected) forms
            pattern: '...'      # optional: a regular expression accepting further forms
          hy: ՀԱՊԿ              # shorthand: agreed form only
          de: {keep: true}      # keep as in source

Loading uses PyYAML's safe composer (no object construction at all), refuses
aliases (no alias bombs), explicit non-standard tags such as ``!!python/object``,
duplicate keys, unknown fields and wrong types, and caps the file size and the
nesting depth.  Every problem raises :class:`~newsloc.errors.GlossaryError`
naming the file and the line.

Matching (:meth:`Glossary.find`) runs ONE compiled regular expression: all
source forms of all terms are merged into a character trie that is emitted as
a single pattern, so the cost per segment does not grow with a loop over terms,
and greedy trie branches give the longest match first.  Whole words only; the
case rule of each term; spaces match any run of white space, hyphens and
apostrophes match their typographic variants, and an English possessive (``'s``
or ``’s``) is accepted after any form (the match ends before it).  In msgid-form
text only the text between inline tags is searched, never tag attributes, and
bare URLs in the text are skipped.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field, replace
from .htmlparse import HTMLParser
from pathlib import Path
from typing import Any, Iterable

import yaml

from . import textchars
from .errors import GlossaryError, LocaleError
from .locales import validate_locale
from .model import TERM_KINDS, Term, TermTarget
from .pofile import write_atomic

SCHEMA_VERSION = 1
MAX_GLOSSARY_BYTES = 2 * 1024 * 1024  # a glossary of ~10,000 terms fits well below this
MAX_NESTING = 12  # the schema needs 5 levels; deeper input is hostile or broken

TOP_FIELDS = ("version", "source_language", "terms")
TERM_FIELDS = ("id", "kind", "sources", "case_sensitive", "pin", "note", "targets")
TARGET_FIELDS = ("agreed", "forms", "pattern", "keep")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")

# YAML tags a glossary may use (implicit resolution or an explicit standard tag).
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:float",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


# -- public data types ----------------------------------------------------------
@dataclass(frozen=True)
class Match:
    """One occurrence of a term in a text (``text[start:end] == surface``)."""

    term: Term
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class Violation:
    """A translation that does not use a term's agreed (or an accepted) form."""

    term: Term
    message: str


# -- located raw values (shared by the YAML and the TBX readers) ----------------
@dataclass
class Raw:
    """A value read from a file with the line it came from.

    ``value`` is a scalar, a list of :class:`Raw`, or a dict of str to :class:`Raw`
    (then ``key_lines`` gives the line of each key, for "unknown field" errors).
    """

    value: Any
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)


class _Loader(yaml.SafeLoader):
    """SafeLoader's composer with aliases refused and nesting capped."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _YamlProblem(
                f"YAML alias *{event.anchor} is not allowed in a glossary "
                "(aliases can expand exponentially; write the value out)",
                event.start_mark.line + 1,
            )
        self._depth += 1
        if self._depth > MAX_NESTING:
            event = self.peek_event()
            raise _YamlProblem(f"nesting deeper than {MAX_NESTING} levels", event.start_mark.line + 1)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _YamlProblem(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


def _scalar_value(node: yaml.ScalarNode) -> Any:
    # Only plain scalar tags reach here; PyYAML's safe constructor turns them into values.
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def _to_raw(node: yaml.Node, path: Path) -> Raw:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _PLAIN_TAGS:
            raise GlossaryError(f"YAML tag {_short_tag(node.tag)} is not allowed in a glossary", path, line)
        try:
            return Raw(_scalar_value(node), line)
        except yaml.YAMLError as exc:
            raise GlossaryError(f"bad value: {exc}", path, line) from None
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise GlossaryError(f"YAML tag {_short_tag(node.tag)} is not allowed in a glossary", path, line)
        return Raw([_to_raw(item, path) for item in node.value], line)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise GlossaryError(f"YAML tag {_short_tag(node.tag)} is not allowed in a glossary", path, line)
        out: dict[str, Raw] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise GlossaryError("mapping keys must be plain names", path, key_line)
            key = _scalar_value(key_node)
            if not isinstance(key, str):
                raise GlossaryError(f"mapping key {key!r} must be a name, not a {_type_name(key)}", path, key_line)
            if key in out:
                raise GlossaryError(f"duplicate key {key!r} (first on line {key_lines[key]})", path, key_line)
            key_lines[key] = key_line
            out[key] = _to_raw(value_node, path)
        return Raw(out, line, key_lines)
    raise GlossaryError("unsupported YAML node", path, line)  # pragma: no cover - PyYAML has 3 kinds


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def parse_yaml(data: bytes, path: Path) -> Raw:
    """Compose glossary YAML into :class:`Raw` values; GlossaryError on any problem."""
    if len(data) > MAX_GLOSSARY_BYTES:
        raise GlossaryError(f"glossary is larger than {MAX_GLOSSARY_BYTES} bytes", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(f"not UTF-8 (byte offset {exc.start})", path, line) from None
    try:
        loader = _Loader(text)  # its reader rejects control characters (NUL...) at once
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise GlossaryError(f"YAML error: character {exc.character!r} is not allowed in YAML "
                            "(a binary file?)", path, line) from None
    try:
        node = loader.get_single_node()
    except _YamlProblem as exc:
        raise GlossaryError(exc.message, path, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise GlossaryError(f"YAML syntax error: {problem}", path, line) from None
    except yaml.YAMLError as exc:
        raise GlossaryError(f"YAML error: {exc}", path) from None
    finally:
        loader.dispose()
    if node is None:
        raise GlossaryError("empty glossary (expected 'version' and 'terms')", path, 1)
    return _to_raw(node, path)


# -- validation -----------------------------------------------------------------
def _clean(text: str) -> str:
    """Forms are compared with white space collapsed (the matcher accepts any run)."""
    return " ".join(text.split())


_HYPHENS = "-\u2010\u2011"
_APOSTROPHES = "'\u2019"
_KEY_TABLE = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2019": "'"})


# Characters no glossary string may hold: they would reach every catalog (notes,
# machine drafts).  Those no page may hold (newsloc.textchars), and a form feed too
# (a line end to some PO tools).  A raw control byte never gets this far (PyYAML's
# reader and XML refuse it); escapes ("\\0", "\\uD800") and character references do.
_BAD_CHAR = re.compile(textchars.FORBIDDEN.pattern[:-1] + "\x0c]")


def _key(form: str) -> str:
    """Lookup key of a form: white space, hyphen and apostrophe variants unified."""
    return _clean(html.unescape(form)).translate(_KEY_TABLE)


class _Checker:
    """Type checks with file/line errors."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, message: str, line: int | None) -> GlossaryError:
        return GlossaryError(message, self.path, line)

    def mapping(self, raw: Raw, what: str, allowed: Iterable[str]) -> dict[str, Raw]:
        if not isinstance(raw.value, dict):
            raise self.fail(f"{what} must be a mapping, not a {_type_name(_plain(raw))}", raw.line)
        allowed = tuple(allowed)
        for key in raw.value:
            if key not in allowed:
                raise self.fail(
                    f"unknown field {key!r} in {what} (allowed: {', '.join(allowed)})",
                    raw.key_lines.get(key, raw.line),
                )
        return raw.value

    def chars(self, raw: Raw, what: str) -> str:
        """The one check every glossary string passes (YAML and TBX alike): no character
        a catalog cannot hold.  Before any stripping, which would eat U+0085 or U+001F."""
        bad = _BAD_CHAR.search(raw.value)
        if bad is not None:
            ch = bad.group()
            shown = raw.value if len(raw.value) <= 60 else raw.value[max(0, bad.start() - 30):bad.start() + 30]
            raise self.fail(
                f"{what} holds the {textchars.kind(ord(ch))} U+{ord(ch):04X} (character {bad.start() + 1}, "
                f"in {shown!r}), which no catalog may contain; remove it",
                raw.line,
            )
        return raw.value

    def string(self, raw: Raw, what: str) -> str:
        if not isinstance(raw.value, str):
            raise self.fail(f"{what} must be a string, not a {_type_name(_plain(raw))}", raw.line)
        self.chars(raw, what)
        if what != "note" and any(c in raw.value.strip() for c in "\r\n"):
            raise self.fail(f"{what} must be on one line", raw.line)
        text = raw.value.strip() if what == "note" else _clean(raw.value)
        if not text:
            raise self.fail(f"{what} is empty", raw.line)
        return text

    def boolean(self, raw: Raw, what: str) -> bool:
        if not isinstance(raw.value, bool):
            raise self.fail(f"{what} must be true or false, not {_plain(raw)!r}", raw.line)
        return raw.value

    def strings(self, raw: Raw, what: str) -> list[tuple[str, int]]:
        if not isinstance(raw.value, list):
            raise self.fail(f"{what} must be a list of strings, not a {_type_name(_plain(raw))}", raw.line)
        return [(self.string(item, f"an entry of {what}"), item.line) for item in raw.value]


def _plain(raw: Raw) -> Any:
    if isinstance(raw.value, list):
        return [_plain(v) for v in raw.value]
    if isinstance(raw.value, dict):
        return {k: _plain(v) for k, v in raw.value.items()}
    return raw.value


def glossary_from_raw(
    raw: Raw, path: Path | str, configured_locales: Iterable[str] | None = None
) -> "Glossary":
    """Validate located raw data (from YAML or TBX) and build a :class:`Glossary`."""
    path = Path(path)
    check = _Checker(path)
    top = check.mapping(raw, "the glossary", TOP_FIELDS)
    supported = f"supported glossary version: {SCHEMA_VERSION}"
    if "version" not in top:
        # Line 1: where the line belongs (the top mapping may start after comments).
        raise check.fail(f"no version: add `version: {SCHEMA_VERSION}` ({supported})", 1)
    version = top["version"]
    if type(version.value) is not int:  # bool is an int subclass: `version: true` is not 1
        shown = str(version.value).lower() if isinstance(version.value, bool) else repr(_plain(version))
        raise check.fail(
            f"version must be the number {SCHEMA_VERSION}, not the {_type_name(_plain(version))} "
            f"{shown} ({supported})",
            version.line,
        )
    if version.value != SCHEMA_VERSION:
        raise check.fail(f"unsupported glossary version {version.value} ({supported})", version.line)
    source_language = "en"
    if "source_language" in top:
        source_language = check.string(top["source_language"], "source_language")
        _check_locale(source_language, top["source_language"].line, path)
    if "terms" not in top:
        raise check.fail("missing 'terms' (a list of terms, may be empty)", raw.line)
    terms_raw = top["terms"]
    if not isinstance(terms_raw.value, list):
        raise check.fail(f"terms must be a list, not a {_type_name(_plain(terms_raw))}", terms_raw.line)
    configured = None if configured_locales is None else set(configured_locales)

    terms: list[Term] = []
    unpinned: set[str] = set()
    ids: dict[str, int] = {}
    exact_forms: dict[str, tuple[str, int]] = {}  # key -> (term id, line)
    folded_forms: dict[str, list[tuple[str, int, bool]]] = {}  # lower key -> [(id, line, case_sensitive)]
    for item in terms_raw.value:
        term, pin = _build_term(item, check, configured)
        if term.id in ids:
            raise check.fail(f"duplicate term id {term.id!r} (first on line {ids[term.id]})", term.line)
        ids[term.id] = term.line
        if not pin:
            unpinned.add(term.id)
        form_lines = item.value["sources"].value
        seen_here: set[str] = set()
        for form, form_raw in zip(term.sources, form_lines):
            key = _key(form)
            lower = key.lower()
            if (lower if not term.case_sensitive else key) in seen_here:
                raise check.fail(f"source form {form!r} is listed twice in term {term.id!r}", form_raw.line)
            seen_here.add(lower if not term.case_sensitive else key)
            clash = None
            if key in exact_forms:
                clash = exact_forms[key]
            else:
                for other_id, other_line, other_cs in folded_forms.get(lower, []):
                    if not term.case_sensitive or not other_cs:
                        clash = (other_id, other_line)
                        break
            if clash is not None and clash[0] != term.id:
                raise check.fail(
                    f"source form {form!r} of term {term.id!r} is already a source form of term "
                    f"{clash[0]!r} (line {clash[1]}); a form must belong to one term",
                    form_raw.line,
                )
            exact_forms.setdefault(key, (term.id, form_raw.line))
            folded_forms.setdefault(lower, []).append((term.id, form_raw.line, term.case_sensitive))
        terms.append(term)
    return Glossary(terms, path=path, version=version.value, source_language=source_language, unpinned=frozenset(unpinned))


def _check_locale(code: str, line: int, path: Path) -> None:
    try:
        validate_locale(code)
    except LocaleError as exc:
        raise GlossaryError(exc.message, path, line) from None


def _build_term(item: Raw, check: _Checker, configured: set[str] | None) -> tuple[Term, bool]:
    fields = check.mapping(item, "a term", TERM_FIELDS)
    if "id" not in fields:
        raise check.fail("term has no 'id'", item.line)
    term_id = check.string(fields["id"], "id")
    for name in ("kind", "sources"):
        if name not in fields:
            what = "no source form ('sources' is missing)" if name == "sources" else f"no {name!r}"
            raise check.fail(f"term {term_id!r} has {what}", item.line)
    if not _ID.match(term_id):
        raise check.fail(
            f"term id {term_id!r} must start with a letter and hold only letters, digits, '.', '_' or '-'",
            fields["id"].line,
        )
    kind = check.string(fields["kind"], "kind")
    if kind not in TERM_KINDS:
        raise check.fail(f"unknown kind {kind!r} (use one of: {', '.join(TERM_KINDS)})", fields["kind"].line)
    sources = check.strings(fields["sources"], "sources")
    if not sources:
        raise check.fail(f"term {term_id!r} has no source form ('sources' is empty)", fields["sources"].line)
    case_sensitive = check.boolean(fields["case_sensitive"], "case_sensitive") if "case_sensitive" in fields else True
    pin = check.boolean(fields["pin"], "pin") if "pin" in fields else True
    note = check.string(fields["note"], "note") if "note" in fields else None
    source_forms = tuple(form for form, _ in sources)
    targets: dict[str, TermTarget] = {}
    if "targets" in fields:
        targets_raw = fields["targets"]
        if not isinstance(targets_raw.value, dict):
            raise check.fail(
                f"targets must be a mapping of locale to target, not a {_type_name(_plain(targets_raw))}",
                targets_raw.line,
            )
        for locale, target_raw in targets_raw.value.items():
            line = targets_raw.key_lines.get(locale, target_raw.line)
            _check_locale(locale, line, check.path)
            if configured is not None and locale not in configured:
                shown = ", ".join(sorted(configured)) or "none"
                raise check.fail(
                    f"term {term_id!r} has a target for locale {locale!r}, which is not configured "
                    f"(locales/ has: {shown}; add it with: newsloc add-locale {locale})",
                    line,
                )
            targets[locale] = _build_target(locale, target_raw, source_forms, check, term_id)
    term = Term(
        id=term_id,
        kind=kind,
        sources=source_forms,
        case_sensitive=case_sensitive,
        note=note,
        targets=targets,
        line=item.line,
    )
    return term, pin


def _build_target(locale: str, raw: Raw, sources: tuple[str, ...], check: _Checker, term_id: str) -> TermTarget:
    if isinstance(raw.value, str) or raw.value is None:
        if raw.value is None or not raw.value.strip():
            raise check.fail(f"empty target for {locale!r} in term {term_id!r}", raw.line)
        return TermTarget(locale=locale, forms=(check.string(raw, f"target {locale}"),))
    fields = check.mapping(raw, f"target {locale!r} of term {term_id!r}", TARGET_FIELDS)
    keep = check.boolean(fields["keep"], "keep") if "keep" in fields else False
    pattern = None
    if "pattern" in fields:
        pattern = fields["pattern"].value
        if not isinstance(pattern, str) or not pattern.strip():
            raise check.fail(f"pattern of {locale!r} must be a non-empty string", fields["pattern"].line)
        check.chars(fields["pattern"], f"pattern of {locale!r}")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise check.fail(f"invalid pattern for {locale!r}: {exc}", fields["pattern"].line) from None
        if compiled.fullmatch(""):
            raise check.fail(f"pattern for {locale!r} matches empty text (it would accept anything)", fields["pattern"].line)
    if keep:
        for name in ("agreed", "forms", "pattern"):
            if name in fields:
                raise check.fail(f"target {locale!r} keeps the source form, so it cannot also have {name!r}", fields[name].line)
        return TermTarget(locale=locale, forms=sources, keep=True)
    if "agreed" not in fields:
        raise check.fail(
            f"empty target for {locale!r} in term {term_id!r}: give 'agreed' (or 'keep: true')", raw.line
        )
    agreed = fields["agreed"]
    if agreed.value is None or (isinstance(agreed.value, str) and not agreed.value.strip()):
        raise check.fail(f"empty target for {locale!r} in term {term_id!r}", agreed.line)
    forms = [check.string(agreed, "agreed")]
    if "forms" in fields:
        for form, line in check.strings(fields["forms"], "forms"):
            if form in forms:
                raise check.fail(f"form {form!r} is listed twice for {locale!r}", line)
            forms.append(form)
    return TermTarget(locale=locale, forms=tuple(forms), pattern=pattern)


def load_glossary(path: Path | str, configured_locales: Iterable[str] | None = None) -> "Glossary":
    """Read and validate ``glossary.yaml``.

    ``configured_locales``: the project's locales (folders under ``locales/``); a
    target in another locale is an error.  ``None`` skips that check.
    Raises :class:`GlossaryError` naming the file and line of the first problem.
    """
    path = Path(path)
    data = read_capped(path, MAX_GLOSSARY_BYTES, "glossary")
    return glossary_from_raw(parse_yaml(data, path), path, configured_locales)


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """Read at most ``limit + 1`` bytes (the parser then reports a file over the cap)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise GlossaryError(f"no such {what} file", path) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read {what} file: {exc.strerror}", path) from None


# -- markup-aware text spans -----------------------------------------------------
class _SpanParser(HTMLParser):
    """Record where the text (data and character references) lies in msgid-form markup."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        self.line_starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")
        self.spans: list[tuple[int, int]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _add(self, start: int, end: int) -> None:
        if self.spans and self.spans[-1][1] == start:
            self.spans[-1] = (self.spans[-1][0], end)
        elif end > start:
            self.spans.append((start, end))

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self._add(start, start + len(data))

    def _ref(self, prefix: str, name: str) -> None:
        start = self._offset()
        end = start + len(prefix) + len(name)
        if self.text[end:end + 1] == ";":
            end += 1
        self._add(start, end)

    def handle_entityref(self, name: str) -> None:
        self._ref("&", name)

    def handle_charref(self, name: str) -> None:
        self._ref("&#", name)


def text_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of ``text`` that are text, not tags, in msgid-form markup."""
    if "<" not in text:
        return [(0, len(text))] if text else []
    parser = _SpanParser(text)
    parser.feed(text)
    parser.close()
    return parser.spans


def markup_parts(text: str) -> list[tuple[bool, str]]:
    """Split msgid-form text into (is_tag, piece) parts covering it exactly."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    for start, end in text_spans(text):
        if start > pos:
            parts.append((True, text[pos:start]))
        parts.append((False, text[start:end]))
        pos = end
    if pos < len(text):
        parts.append((True, text[pos:]))
    return parts


def plain_text(text: str) -> str:
    """Text content of msgid-form markup: tags dropped, character references decoded."""
    return "".join(html.unescape(piece) for is_tag, piece in markup_parts(text) if not is_tag)


_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)


# -- the matcher -------------------------------------------------------------------
_END = ""  # trie key marking the end of a form


def _atoms(form: str, case_sensitive: bool) -> list[tuple[str, str]]:
    atoms: list[tuple[str, str]] = []
    for ch in _clean(form):
        if ch == " ":
            atoms.append(("w", ""))
        elif ch in _HYPHENS:
            atoms.append(("h", ""))
        elif ch in _APOSTROPHES:
            atoms.append(("q", ""))
        elif case_sensitive or ch.lower() == ch.upper():
            atoms.append(("s", ch))
        else:
            atoms.append(("i", ch.lower()))
    return atoms


def _atoms_regex(atoms: list[tuple[str, str]]) -> str:
    out: list[str] = []
    folded: list[str] = []

    def flush() -> None:
        if folded:
            out.append("(?i:" + "".join(folded) + ")")
            folded.clear()

    for kind, ch in atoms:
        if kind == "i":
            folded.append(re.escape(ch))
            continue
        flush()
        if kind == "w":
            out.append(r"\s+")
        elif kind == "h":
            out.append("[" + re.escape(_HYPHENS) + "]")
        elif kind == "q":
            out.append("[" + _APOSTROPHES + "]")
        else:
            out.append(re.escape(ch))
    flush()
    return "".join(out)


def _trie_regex(forms: list[list[tuple[str, str]]]) -> str:
    root: dict = {}
    for atoms in forms:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}

    def depth(node: dict) -> int:
        return max((1 + depth(child) for key, child in node.items() if key != _END), default=0)

    def emit(node: dict) -> str:
        branches = []
        for atom, child in node.items():
            if atom == _END:
                continue
            chain = [atom]
            # Runs of single-child nodes become one literal: keeps the pattern shallow.
            while _END not in child and len(child) == 1:
                (next_atom, next_child), = child.items()
                chain.append(next_atom)
                child = next_child
            branches.append((len(chain) + depth(child), _atoms_regex(chain) + emit(child)))
        if not branches:
            return ""
        # Deeper branches first, so that where a case-sensitive and a case-insensitive
        # branch both fit, the longer form is tried first.
        branches.sort(key=lambda b: -b[0])
        body = "|".join(b[1] for b in branches)
        if _END in node:
            return f"(?:{body})?"  # greedy: the longer form is tried before stopping here
        return body if len(branches) == 1 else f"(?:{body})"

    return emit(root)


_WORD_CHAR = re.compile(r"\w")


def _is_word_char(ch: str) -> bool:
    return _WORD_CHAR.match(ch) is not None


class _Matcher:
    def __init__(self, terms: list[Term]):
        self.exact: dict[str, Term] = {}
        self.folded: dict[str, Term] = {}
        atom_lists = []
        for term in terms:
            for form in term.sources:
                variants = {form}
                escaped = html.escape(form, quote=False)
                if escaped != form:
                    variants.add(escaped)  # msgid text has &amp; where the form has &
                for variant in variants:
                    atom_lists.append(_atoms(variant, term.case_sensitive))
                if term.case_sensitive:
                    self.exact[_key(form)] = term
                    self.exact.setdefault(form, term)
                else:
                    self.folded[_key(form).lower()] = term
        # Extraction asks for the same msgid once for the template and once per
        # locale: remember recent answers (Match and Term are immutable).
        self.find = functools.lru_cache(maxsize=4096)(self.find)
        # The left word boundary is checked in find(): a pattern that starts with a
        # look-behind defeats re's first-character scan and runs 3x slower.
        self.regex = re.compile(_trie_regex(atom_lists) + r"(?!\w)") if atom_lists else None

    def term_for(self, surface: str) -> Term | None:
        term = self.exact.get(surface)  # the common case: written exactly as declared
        if term is not None:
            return term
        key = _key(surface)
        return self.exact.get(key) or self.folded.get(key.lower())

    def find(self, text: str) -> tuple[Match, ...]:
        if self.regex is None or not text:
            return ()
        matches: list[Match] = []
        has_url = "://" in text or "www." in text
        for start, end in text_spans(text):
            urls = [(m.start(), m.end()) for m in _URL.finditer(text, start, end)] if has_url else ()
            pos = start
            search = self.regex.search
            while True:
                m = search(text, pos, end)
                if m is None:
                    break
                m_start, m_end = m.span()
                if m_start and _is_word_char(text[m_start - 1]):
                    pos = m_start + 1  # not at a word start; a later form may still begin inside
                    continue
                pos = m_end
                if urls and any(m_start < u_end and u_start < m_end for u_start, u_end in urls):
                    continue
                surface = m.group()
                term = self.term_for(surface)
                if term is not None:
                    matches.append(Match(term, m_start, m_end, surface))
        return tuple(matches)


# -- the glossary ------------------------------------------------------------------
class Glossary:
    """The terms of ``glossary.yaml``, with one compiled matcher for all of them."""

    def __init__(
        self,
        terms: Iterable[Term],
        path: Path | str | None = None,
        version: int = SCHEMA_VERSION,
        source_language: str = "en",
        unpinned: Iterable[str] = (),
    ):
        self.terms: list[Term] = list(terms)
        self.path = Path(path) if path is not None else None
        self.version = version
        self.source_language = source_language
        # ids of terms that MT pinning leaves to the model (adjectives it must inflect)
        self.unpinned: frozenset[str] = frozenset(unpinned)
        self._matcher: _Matcher | None = None
        self._target_regexes: dict[tuple[str, str], re.Pattern] = {}
        self._note_lines: dict[tuple[str, str | None], str] = {}

    def __repr__(self) -> str:
        return f"Glossary({len(self.terms)} terms, path={str(self.path)!r})"

    def __eq__(self, other: object) -> bool:
        """Same content: version, source language, terms (ignoring their line) and pin flags."""
        if not isinstance(other, Glossary):
            return NotImplemented
        return (
            self.version == other.version
            and self.source_language == other.source_language
            and self.unpinned == other.unpinned
            and [replace(t, line=None) for t in self.terms] == [replace(t, line=None) for t in other.terms]
        )

    __hash__ = None  # mutable container

    def locales(self) -> set[str]:
        """Every locale that some term has a target for."""
        return {locale for term in self.terms for locale in term.targets}

    def term(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)

    def pinned(self, term: Term) -> bool:
        """Whether MT pinning protects this term (``pin: false`` in the YAML turns it off)."""
        return term.id not in self.unpinned

    def missing_targets(self, locales: Iterable[str]) -> list[tuple[Term, str]]:
        """(term, locale) pairs where a configured locale has no target yet."""
        return [(t, loc) for loc in sorted(locales) for t in self.terms if loc not in t.targets]

    @property
    def matcher(self) -> _Matcher:
        if self._matcher is None:
            self._matcher = _Matcher(self.terms)
        return self._matcher

    def find(self, text: str) -> list[Match]:
        """Term occurrences in msgid-form text, in order; tags and URLs are skipped."""
        return list(self.matcher.find(text))

    def notes_for(self, text: str, locale: str | None) -> list[str]:
        """Translator notes for the terms in ``text``, sorted and unique.

        ``Glossary: CSTO → ОДКБ (organisation)``; with ``locale=None`` (the
        template) only the term and its kind.  A term note follows after " — ".
        """
        lines = set()
        for match in self.matcher.find(text):
            key = (match.term.id, locale)
            line = self._note_lines.get(key)
            if line is None:
                line = self._note_lines[key] = note_line(match.term, locale)
            lines.add(line)
        return sorted(lines)

    def target_regex(self, term: Term, locale: str) -> re.Pattern | None:
        """A regex finding any accepted form of ``term`` in a ``locale`` translation."""
        target = term.targets.get(locale)
        if target is None:
            return None
        key = (term.id, locale)
        if key not in self._target_regexes:
            alternatives = []
            case_sensitive = term.case_sensitive if target.keep else True
            for form in sorted(target.forms, key=len, reverse=True):
                atoms = _atoms(form, case_sensitive)
                if atoms and atoms[0][0] == "s" and atoms[0][1].lower() != atoms[0][1].upper():
                    # First letter either case: sentence-initial capitals, lower-case adjectives.
                    atoms[0] = ("i", atoms[0][1].lower())
                alternatives.append(_atoms_regex(atoms))
            if target.pattern:
                alternatives.append(f"(?:{target.pattern})")
            self._target_regexes[key] = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
        return self._target_regexes[key]


def note_line(term: Term, locale: str | None) -> str:
    """One ``#.`` line for a term: ``Glossary: CSTO → ОДКБ (organisation)``."""
    source = term.sources[0]
    if locale is None:
        line = f"Glossary: {source} ({term.kind})"
    else:
        target = term.targets.get(locale)
        if target is None:
            line = f"Glossary: {source} ({term.kind}; no agreed {locale} form yet)"
        elif target.keep:
            line = f"Glossary: {source} → {source} ({term.kind}; keep as in source)"
        else:
            line = f"Glossary: {source} → {target.agreed} ({term.kind})"
    if term.note:
        line += " — " + _clean(term.note)
    return line


def check_compliance(source: str, translation: str, locale: str, glossary: Glossary | None) -> list[Violation]:
    """Terms of ``source`` whose agreed or accepted form is missing from ``translation``.

    An empty translation has no violations (it is untranslated, not wrong).
    Matching in the translation: whole words, the first letter in either case,
    tags ignored.
    """
    if glossary is None or not translation.strip():
        return []
    text = plain_text(translation)
    violations: list[Violation] = []
    seen: set[str] = set()
    for match in glossary.find(source):
        term = match.term
        if term.id in seen:
            continue
        seen.add(term.id)
        regex = glossary.target_regex(term, locale)
        if regex is None or regex.search(text):
            continue
        target = term.targets[locale]
        wanted = "the source form (keep as in source)" if target.keep else repr(target.agreed)
        also = " or an accepted inflected form" if len(target.forms) > 1 or target.pattern else ""
        violations.append(
            Violation(term, f"glossary term {term.sources[0]!r}: the {locale} translation should use {wanted}{also}")
        )
    return violations


# -- writing -----------------------------------------------------------------------
def glossary_to_data(glossary: Glossary) -> dict:
    """The glossary as plain data in the YAML schema (canonical layout)."""
    terms = []
    for term in glossary.terms:
        item: dict[str, Any] = {"id": term.id, "kind": term.kind, "sources": list(term.sources)}
        if not term.case_sensitive:
            item["case_sensitive"] = False
        if not glossary.pinned(term):
            item["pin"] = False
        if term.note:
            item["note"] = term.note
        if term.targets:
            targets: dict[str, Any] = {}
            for locale, target in term.targets.items():
                if target.keep:
                    targets[locale] = {"keep": True}
                    continue
                data: dict[str, Any] = {"agreed": target.agreed}
                if len(target.forms) > 1:
                    data["forms"] = list(target.forms[1:])
                if target.pattern:
                    data["pattern"] = target.pattern
                targets[locale] = data
            item["targets"] = targets
        terms.append(item)
    data: dict[str, Any] = {"version": glossary.version}
    if glossary.source_language != "en":
        data["source_language"] = glossary.source_language
    data["terms"] = terms
    return data


def dump_glossary(glossary: Glossary) -> str:
    """YAML text of a glossary (comments are not preserved)."""
    header = "# newsloc glossary; schema: see the README section 'Glossary'.\n"
    return header + yaml.safe_dump(
        glossary_to_data(glossary), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )


def save_glossary(glossary: Glossary, path: Path | str) -> None:
    """Write a glossary as YAML atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    write_atomic(path, dump_glossary(glossary).encode("utf-8"))


def check_glossary_file(path: Path | str, configured_locales: Iterable[str]) -> tuple[Glossary, list[str]]:
    """Validate a glossary for ``newsloc glossary check``.

    Raises :class:`GlossaryError` on the first error; returns the glossary and
    warnings (a configured locale that a term has no target for yet).
    """
    configured = sorted(configured_locales)
    glossary = load_glossary(path, configured_locales=configured)
    warnings = [
        f"{path}:{term.line}: warning: term {term.id!r} has no target for locale {locale!r}"
        for term, locale in glossary.missing_targets(configured)
    ]
    return glossary, warnings
