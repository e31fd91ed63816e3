"""TBX-Basic export and import of the glossary (the format Weblate, OmegaT and translate-toolkit read).

Export writes TBX-Basic in the TBX 2 (ISO 30042:2008, ``<martif type="TBX-Basic">``)
structure that CAT tools read: one ``termEntry`` per term, one ``langSet`` per
language, one ``tig`` per form.  The agreed (canonical) form of each language is
``preferredTerm-admn-sts``; variants and accepted inflected forms are
``admittedTerm-admn-sts``.  TBX-Basic has no data category for a named-entity
kind, a case rule, a pin flag, a regular expression or "keep as in source", so
those travel in ``<note>`` elements with a ``newsloc-`` prefix (readable by a
person in any CAT tool, parsed back on import); any other ``<note>`` or
``definition`` is the term's note for translators.

Import reads TBX 2 (``martif``/``termEntry``/``langSet``/``tig``|``ntig``) and TBX 3
(``tbx``/``conceptEntry``/``langSec``/``termSec``), turns it into the same located
raw data as ``glossary.yaml`` and validates it with the same rules, so every error
names the TBX file and line.  The parser never loads a DTD, never resolves
entities and never touches the network; the file size is capped.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Iterable

from babel import Locale, UnknownLocaleError
from lxml import etree

from .errors import GlossaryError
from .glossary import MAX_GLOSSARY_BYTES, Glossary, Raw, glossary_from_raw, read_capped
from .pofile import write_atomic

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_TBX_BYTES = 8 * MAX_GLOSSARY_BYTES  # XML is verbose; still a small file
DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = {"deprecatedTerm-admn-sts", "supersededTerm-admn-sts", "deprecated", "superseded"}

NOTE_KIND = "newsloc-kind: "
NOTE_CASE_INSENSITIVE = "newsloc-case-insensitive"
NOTE_NO_PIN = "newsloc-no-pin"
NOTE_PATTERN = "newsloc-pattern: "
NOTE_KEEP = "newsloc-keep-as-source"
NOTE_VERSION = "newsloc-glossary-version: "

# Part of speech for TBX-Basic (it asks for one per term): names are proper nouns.
_POS = {"person": "properNoun", "organisation": "properNoun", "place": "properNoun",
        "group": "noun", "acronym": "properNoun"}


def _bcp47(locale: str) -> str:
    return locale.replace("_", "-")


def _gettext_code(lang: str) -> str:
    code = lang.strip().replace("-", "_")
    try:
        return str(Locale.parse(code))
    except (UnknownLocaleError, ValueError, TypeError):
        return code  # validation reports it with the line


# -- export -------------------------------------------------------------------------
def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        element.set(XML_LANG if key == "lang" else key, value)
    if text is not None:
        element.text = text
    return element


def _tig(lang_set: etree._Element, form: str, status: str, pos: str | None) -> None:
    tig = _sub(lang_set, "tig")
    _sub(tig, "term", form)
    if pos:
        _sub(tig, "termNote", pos, type="partOfSpeech")
    _sub(tig, "termNote", status, type="administrativeStatus")


def export_tbx(glossary: Glossary) -> bytes:
    """The glossary as a TBX-Basic document (UTF-8 bytes)."""
    root = etree.Element("martif", type="TBX-Basic")
    root.set(XML_LANG, _bcp47(glossary.source_language))
    header = _sub(root, "martifHeader")
    file_desc = _sub(header, "fileDesc")
    source_desc = _sub(file_desc, "sourceDesc")
    _sub(source_desc, "p", "newsloc glossary")
    _sub(source_desc, "p", f"{NOTE_VERSION}{glossary.version}")
    encoding = _sub(header, "encodingDesc")
    _sub(encoding, "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, "text"), "body")
    for term in glossary.terms:
        entry = _sub(body, "termEntry", id=term.id)
        _sub(entry, "note", NOTE_KIND + term.kind)
        if not term.case_sensitive:
            _sub(entry, "note", NOTE_CASE_INSENSITIVE)
        if not glossary.pinned(term):
            _sub(entry, "note", NOTE_NO_PIN)
        if term.note:
            _sub(entry, "note", term.note)
        pos = _POS.get(term.kind)
        source_set = _sub(entry, "langSet", lang=_bcp47(glossary.source_language))
        for index, form in enumerate(term.sources):
            _tig(source_set, form, PREFERRED if index == 0 else ADMITTED, pos)
        for locale, target in term.targets.items():
            lang_set = _sub(entry, "langSet", lang=_bcp47(locale))
            if target.keep:
                _sub(lang_set, "note", NOTE_KEEP)
            if target.pattern:
                _sub(lang_set, "note", NOTE_PATTERN + target.pattern)
            for index, form in enumerate(target.forms):
                _tig(lang_set, form, PREFERRED if index == 0 else ADMITTED, pos)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE
    )


def write_tbx(glossary: Glossary, path: Path | str) -> None:
    """Write the TBX export atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    _refuse_special_file(path)
    write_atomic(path, export_tbx(glossary))


def _refuse_special_file(path: Path) -> None:
    """A device or a pipe at ``path`` is not a file to replace by a rename (as root, `-o
    /dev/null` would have replaced the system's /dev/null with a file)."""
    try:
        mode = path.stat().st_mode  # (through a link, as the write goes)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise GlossaryError(f"cannot write: {exc.strerror}", path) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device or a pipe)"
        raise GlossaryError(f"cannot write the glossary there: it is {kind}; give a file name", path)


# -- import -------------------------------------------------------------------------
def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return etree.QName(tag).localname


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if _local(child) in names]


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _line(element: etree._Element) -> int:
    return element.sourceline or 1


def _find_all(element: etree._Element, name: str) -> Iterable[etree._Element]:
    for child in element.iter():
        if _local(child) == name:
            yield child


def parse_tbx(data: bytes, path: Path | str) -> Raw:
    """Read TBX bytes into the located raw form that :func:`glossary_from_raw` validates."""
    path = Path(path)
    if len(data) > MAX_TBX_BYTES:
        raise GlossaryError(f"TBX file is larger than {MAX_TBX_BYTES} bytes", path)
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise GlossaryError(f"XML syntax error: {exc.msg}", path, line) from None
    if _local(root) not in ("martif", "tbx"):
        raise GlossaryError(f"not a TBX file (root element <{_local(root)}>, expected <martif> or <tbx>)", path, _line(root))
    for element in root.iter():
        if isinstance(element, etree._Entity):
            raise GlossaryError(f"entity reference &{element.name}; is not allowed", path, _line(element))

    source_lang = _gettext_code(root.get(XML_LANG) or "en")
    version = 1
    version_line = _line(root)
    for p in _find_all(root, "p"):
        text = _text(p)
        if text.startswith(NOTE_VERSION.rstrip()):  # "…-version:" with no value is a bad version too
            value = text[len(NOTE_VERSION.rstrip()):].strip()
            # ASCII digits only: str.isdigit() also holds for "²", which int() refuses.
            version = int(value) if value.isascii() and value.isdigit() else value
            version_line = _line(p)

    terms: list[Raw] = []
    for number, entry in enumerate(
        (e for e in root.iter() if _local(e) in ("termEntry", "conceptEntry")), start=1
    ):
        terms.append(_entry_raw(entry, number, source_lang, path))
    top = {
        "version": Raw(version, version_line),
        "source_language": Raw(source_lang, _line(root)),
        "terms": Raw(terms, _line(root)),
    }
    return Raw(top, _line(root), {key: value.line for key, value in top.items()})


def _entry_raw(entry: etree._Element, number: int, source_lang: str, path: Path) -> Raw:
    line = _line(entry)
    fields: dict[str, Raw] = {}
    term_id = entry.get("id") or f"term-{number}"
    fields["id"] = Raw(term_id, line)
    kind = "other"
    case_sensitive = True
    pin = True
    notes: list[str] = []
    note_line = None  # a bad character in the note is reported at the first note's line
    for child in entry:
        name = _local(child)
        text = _text(child)
        if name == "note":
            if text.startswith(NOTE_KIND):
                kind = text[len(NOTE_KIND):].strip()
                fields["kind"] = Raw(kind, _line(child))
            elif text == NOTE_CASE_INSENSITIVE:
                case_sensitive = False
            elif text == NOTE_NO_PIN:
                pin = False
            elif text:
                notes.append(text)
                note_line = note_line or _line(child)
        elif name == "descrip" and child.get("type") == "definition" and text:
            notes.append(text)
            note_line = note_line or _line(child)
    fields.setdefault("kind", Raw(kind, line))
    if not case_sensitive:
        fields["case_sensitive"] = Raw(False, line)
    if not pin:
        fields["pin"] = Raw(False, line)
    if notes:
        fields["note"] = Raw("\n".join(notes), note_line or line)

    targets: dict[str, Raw] = {}
    target_lines: dict[str, int] = {}
    sources: Raw | None = None
    for lang_set in _children(entry, "langSet", "langSec"):
        lang = lang_set.get(XML_LANG)
        set_line = _line(lang_set)
        if not lang:
            raise GlossaryError("language section without xml:lang", path, set_line)
        code = _gettext_code(lang)
        forms, keep, pattern = _lang_set_forms(lang_set)
        if code == source_lang:
            if sources is not None:
                raise GlossaryError(f"second {lang} section in entry {term_id!r}", path, set_line)
            sources = Raw([Raw(text, form_line) for text, form_line in forms], set_line)
            continue
        if code in targets:
            raise GlossaryError(f"second {lang} section in entry {term_id!r}", path, set_line)
        target: dict[str, Raw] = {}
        if keep:
            target["keep"] = Raw(True, set_line)
        else:
            if not forms:
                raise GlossaryError(f"empty target for {code!r} in entry {term_id!r}", path, set_line)
            target["agreed"] = Raw(forms[0][0], forms[0][1])
            if len(forms) > 1:
                target["forms"] = Raw([Raw(text, form_line) for text, form_line in forms[1:]], forms[1][1])
        if pattern is not None:
            target["pattern"] = Raw(pattern[0], pattern[1])
        targets[code] = Raw(target, set_line, {key: value.line for key, value in target.items()})
        target_lines[code] = set_line
    if sources is not None:
        fields["sources"] = sources
    if targets:
        fields["targets"] = Raw(targets, line, target_lines)
    return Raw(fields, line, {key: value.line for key, value in fields.items()})


def _lang_set_forms(lang_set: etree._Element) -> tuple[list[tuple[str, int]], bool, tuple[str, int] | None]:
    """(forms with lines, preferred first; keep flag; pattern) of one language section."""
    keep = False
    pattern = None
    for note in _children(lang_set, "note"):
        text = _text(note)
        if text == NOTE_KEEP:
            keep = True
        elif text.startswith(NOTE_PATTERN):
            pattern = (text[len(NOTE_PATTERN):].strip(), _line(note))
    preferred: list[tuple[str, int]] = []
    others: list[tuple[str, int]] = []
    for group in _children(lang_set, "tig", "ntig", "termSec"):
        term_el = next((e for e in group.iter() if _local(e) == "term"), None)
        if term_el is None:
            continue
        status = ""
        for note in group.iter():
            if _local(note) == "termNote" and note.get("type") == "administrativeStatus":
                status = _text(note)
        if status in DEPRECATED:
            continue  # a deprecated form is not an accepted one
        item = (_text(term_el), _line(term_el))
        (preferred if status == PREFERRED and not preferred else others).append(item)
    return preferred + others, keep, pattern


def import_tbx(path: Path | str, configured_locales: Iterable[str] | None = None) -> Glossary:
    """Read and validate a TBX file as a :class:`Glossary` (GlossaryError with file and line)."""
    path = Path(path)
    data = read_capped(path, MAX_TBX_BYTES, "TBX")
    glossary = glossary_from_raw(parse_tbx(data, path), path, configured_locales)
    glossary.path = None  # it did not come from a glossary.yaml
    return glossary


def import_tbx_to_yaml(
    source: Path | str,
    out: Path | str,
    configured_locales: Iterable[str] | None = None,
    replace: bool = False,
) -> Glossary:
    """Import a TBX file and write it as glossary YAML at ``out``.

    An existing ``out`` is only replaced with ``replace=True`` (a glossary is
    someone's work); the TBX is fully validated before anything is written.
    """
    from .glossary import save_glossary

    out = Path(out)
    glossary = import_tbx(source, configured_locales)
    _refuse_special_file(out)
    if out.exists() and not replace:
        raise GlossaryError("the file exists; pass --replace to overwrite it, or -o to write another", out)
    save_glossary(glossary, out)
    return glossary
