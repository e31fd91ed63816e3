"""newsloc.pofile's own PO reader against polib's parser.

``parse_po`` reads a catalog with ``_read_po`` (a one-pass port of polib's
state machine) and falls back to ``check_po_lines`` + ``polib.pofile`` for
anything that port does not handle.  These tests compare, attribute by
attribute (types and order included), and through both writers, what it
returns with what polib returns for the same text, and compare every outcome
of ``parse_po`` (catalog or CatalogError with its file:line) with the old
path alone -- where polib loses nothing.  Where polib loses or mangles text,
``parse_po`` must differ: it raises, or reads what GNU msgcat reads
(:func:`assert_fixes_a_loss`; the cases one by one are in test_pofile_loss.py).
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsloc import pofile
from newsloc.errors import CatalogError

REPO = Path(__file__).resolve().parent.parent
PATH = Path("locales/xx/LC_MESSAGES/story.po")


def typed(value):
    """A value with the type of everything in it (0 is not False here), dicts in their order."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


def describe(po: polib.POFile) -> dict:
    return {
        "class": type(po).__name__,
        "file": typed(vars(po)),
        "entries": [(type(e).__name__, typed(vars(e))) for e in po],
    }


def assert_same_as_polib(text: str) -> polib.POFile:
    """_read_po reads ``text`` (no fallback) into what polib.pofile(text, wrapwidth=79) makes."""
    ours = pofile._read_po(text, text.splitlines())
    assert isinstance(ours, polib.POFile), "fell back to polib"
    theirs = polib.pofile(text, wrapwidth=79)
    assert describe(ours) == describe(theirs)
    assert str(ours) == str(theirs)
    assert pofile.format_po(ours) == pofile.format_po(theirs)
    return ours


def reference_parse_po(text: str, path: Path = PATH) -> polib.POFile:
    """parse_po as it was before _read_po: check_po_lines, polib, the duplicate scan."""
    pofile.check_po_lines(text, path)
    try:
        po = polib.pofile(text, wrapwidth=79)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogError(f"cannot parse catalog: {exc}", path, int(match.group(1)) if match else None) from None
    seen: dict = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid, bool(entry.obsolete))
        line = entry.linenum or 1
        if key in seen:
            raise CatalogError(f"duplicate entry {entry.msgid[:60]!r} (first defined at line {seen[key]})",
                               path, line)
        seen[key] = line
    return po


def outcome(parse, text: str):
    try:
        po = parse(text, PATH)
    except CatalogError as exc:
        return ("error", type(exc).__name__, str(exc), exc.message, exc.path, exc.line)
    return ("catalog", describe(po), str(po), pofile.format_po(po))


def assert_same_outcome(text: str) -> None:
    """parse_po gives what parse_po gave before _read_po, unless polib loses or mangles text there."""
    new, old = outcome(pofile.parse_po, text), outcome(reference_parse_po, text)
    if new != old:
        assert_fixes_a_loss(text, new, old)


# -- where polib loses text: parse_po reads what gettext reads, or raises -----------

def content(po: polib.POFile) -> tuple:
    """What a catalog says, once saved by newsloc and read again: each entry's strings
    (and extracted comments), translator comment lines wherever they are, header fields
    and whether the header is fuzzy."""
    po = pofile.parse_po(pofile.format_po(po), PATH)
    comments = sorted(line for text in [po.header, *(e.tcomment for e in po)]
                      for line in text.split("\n") if line.strip())
    entries = sorted(
        (bool(e.obsolete), e.msgctxt is None, e.msgctxt or "", e.msgid, e.msgid_plural, e.msgstr,
         sorted(e.msgstr_plural.items()), [line.strip() for line in e.comment.split("\n") if line.strip()],
         e.previous_msgctxt is None, e.previous_msgctxt or "", e.previous_msgid is None, e.previous_msgid or "",
         e.previous_msgid_plural or "")
        for e in po)
    return comments, entries, list(po.metadata.items()), bool(po.metadata_is_fuzzy)


UTF8_HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def gettext_reads(text: str) -> tuple | None:
    """content() of what msgcat makes of ``text``; None if msgcat rejects it or newsloc
    cannot keep all of msgcat's output (then polib could not either)."""
    if inner_line_breaks(text):  # newsloc reads them as gettext does
        lines = text.replace("\r\n", "\n")
    else:  # the lines newsloc reads ("\r" ends one)
        lines = "".join(line + "\n" for line in text.splitlines())
    if any(line.lstrip()[:1] == "#" and line.endswith("\\") for line in text.splitlines()):
        return None  # gettext joins a comment line that ends with a backslash to the next line
    done = subprocess.run(["msgcat", "--force-po", "-"], input=lines.encode("utf-8"), capture_output=True)
    added = done.returncode != 0 and b"charset" in done.stderr
    if added:  # non-ASCII text without a header: msgcat needs one (a second header fails)
        done = subprocess.run(["msgcat", "--force-po", "-"], input=(UTF8_HEADER + lines).encode("utf-8"),
                              capture_output=True)
    if done.returncode != 0:
        return None
    try:
        comments, entries, metadata, fuzzy = content(pofile.parse_po(done.stdout.decode("utf-8"), PATH))
    except CatalogError:
        return None
    if added:
        assert metadata == [("Content-Type", "text/plain; charset=UTF-8")]
        metadata = []
    return comments, entries, metadata, fuzzy


def predecoded(text: str) -> str:
    """``text`` with gettext's escapes that polib does not decode (``\\a``, octal, hex) decoded
    where that gives a character that may stand in a string as it is."""
    def decode(match: re.Match) -> str:
        escape = match.group(2)
        code = 7 if escape == "a" else int(escape[1:], 16) if escape[0] == "x" else int(escape, 8)
        char = chr(code) if code < 0x80 else ""
        if not char or char in LINE_BREAKS or char in '"\\' or (code < 0x20 and code != 7):
            return match.group()
        return match.group(1) + char
    def line(text: str) -> str:  # its strings only, not comments
        quote = text.find('"')
        if quote < 0 or (text.lstrip()[:1] == "#" and text.lstrip()[1:2] not in "~|"):
            return text
        return text[:quote] + re.sub(r'(?<!\\)((?:\\\\)*)\\(a|[0-7]{1,3}|x[0-9A-Fa-f]+)', decode, text[quote:])

    return "\n".join(line(text) for text in text.splitlines())


def inner_line_breaks(text: str) -> bool:
    """Has ``text`` a character that str.splitlines takes for a line break (not "\r")
    inside a line (as gettext reads lines)?"""
    return any(pofile._OTHER_LINE_BREAKS.search(line.strip()) for line in text.split("\n"))


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in strings(item)]
    return []


def assert_fixes_a_loss(text: str, new, old) -> None:
    """``new`` (parse_po) differs from ``old`` (polib): polib must lose or mangle text there,
    and parse_po must raise or read what gettext reads (or, where gettext rejects the
    text, keep more than polib)."""
    if inner_line_breaks(text):
        # polib cuts a line at a U+2028, form feed... (an error, or a mangled
        # string): newsloc reads the line as gettext does (or raises).
        if new[0] == "catalog":
            kept, gettext = content(pofile.parse_po(text, PATH)), gettext_reads(text)
            if gettext is not None:
                assert kept[1:] == gettext[1:]
            else:  # (msgcat rejects it, or wants a charset) those characters in strings are read
                quoted = [line[line.find('"'):line.rfind('"')] for line in text.split("\n")]
                breaks = [c for string in quoted for c in pofile._OTHER_LINE_BREAKS.findall(string)]
                po = pofile.parse_po(text, PATH)
                read = [po.header, *(str(v) for e in po for v in [*vars(e).values(), *e.msgstr_plural.values()])]
                assert Counter("".join(read)) >= Counter(breaks)
        return
    if old[0] == "error":
        # The same error; only a duplicate's msgid may be decoded differently, and
        # the duplicate may start earlier, at a "#~|" line that polib skipped.
        assert new[0] == "error", "an error polib reports must stay the same error"
        assert new[3].startswith("duplicate entry") and old[3].startswith("duplicate entry")
        assert new[5] == old[5] or (new[5] < old[5] and "#~|" in text)
        return
    lost = polib_content(text)
    gettext = gettext_reads(text)
    if new[0] == "error":
        assert new[1] == "CatalogError" and new[5]
        assert gettext is None or gettext != lost, "raised where polib loses nothing that gettext reads"
        return
    kept = content(pofile.parse_po(text, PATH))
    if kept == lost:  # read differently from polib, written the same (but for blank comment lines)
        assert [line for line in new[3].split("\n") if line != "#"] == \
            [line for line in old[3].split("\n") if line != "#"]
        return
    if gettext is not None:
        # The same entries and header fields; comments before the first entry
        # are the file's header (polib) or that entry's (gettext, which drops
        # them with an obsolete entry without msgstr): kept, wherever they are.
        assert kept[1:] == gettext[1:]
        assert not Counter(gettext[0]) - Counter(kept[0])
    else:
        # Every string of an entry or header field polib reads is kept (whole or
        # in a longer one: "#|" lines polib skipped may add to it); polib keeps
        # gettext's escapes "\\a", "\\101", "\\x41" as they are: those are decoded
        # in the text it reads here.  (Comments polib takes for the file's may
        # belong to an obsolete entry without msgstr, which the writer drops.)
        ours = strings(kept[1:])
        assert all(any(s in t for t in ours) for s in strings((polib_content(predecoded(text)) or ())[1:])), \
            "lost what polib kept"


def polib_content(text: str) -> tuple | None:
    """content() of polib's catalog; None if, written by newsloc, it cannot be read
    again (polib made an entry without msgstr[N] of a msgid_plural and a msgstr...)."""
    try:
        return content(reference_parse_po(text))
    except CatalogError:
        return None


def test_the_port_is_active():
    # Fails if polib is upgraded: compare the new polib's _POFileParser with
    # _read_po, then add its version to _POLIB_PORTED.
    assert pofile._PORTED and pofile._NEW_ENTRY is not None


def test_reference_is_the_fallback_path():
    text = 'msgid "a"\nmsgstr "b"\n'
    assert pofile._read_po(text, text.splitlines()) is not None
    assert describe(reference_parse_po(text)) == describe(polib.pofile(text, wrapwidth=79))


# -- the project's own catalogs ------------------------------------------------------

REPO_CATALOGS = sorted(
    [*REPO.glob("locales/**/*.po"), *REPO.glob("locales/*.pot"), *REPO.glob("tests/**/*.po"),
     *REPO.glob("tests/**/*.pot")]
)


def test_there_are_catalogs_to_compare():
    assert len(REPO_CATALOGS) >= 8


@pytest.mark.parametrize("path", REPO_CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_repository_catalogs(path):
    text = path.read_bytes().decode("utf-8")
    assert_same_as_polib(text)
    assert_same_as_polib(text.replace("\n", "\r\n"))
    assert_same_outcome(text)
    assert_same_outcome("\ufeff" + text)  # a BOM: check_po_lines rejects the line


@pytest.mark.parametrize("path", REPO_CATALOGS[:3], ids=lambda p: p.name)
@pytest.mark.parametrize("flags", [[], ["--no-wrap"], ["-w", "30"], ["--sort-output"]])
def test_repository_catalogs_rewritten_by_msgcat(path, flags):
    text = msgcat(path.read_text(encoding="utf-8"), *flags)
    assert_same_as_polib(text)


def msgcat(text: str, *flags: str) -> str:
    done = subprocess.run(["msgcat", "--force-po", *flags, "-"], input=text.encode("utf-8"),
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


# -- catalogs as Poedit and msgcat write them ----------------------------------------

POEDIT = r'''# Russian translation of a newsloc story.
# Copyright (C) 2025 The Paper
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: story\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2025-11-29 08:00+0000\n"
"PO-Revision-Date: 2025-12-01 10:11+0300\n"
"Last-Translator: Ирина <irina@example.org>\n"
"Language-Team: Russian\n"
"Language: ru\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
"X-Generator: Poedit 3.4.2\n"
"X-Poedit-SourceCharset: UTF-8\n"

#. Headline of the article
#: source/story.html:5
msgctxt "headline"
msgid "The friend of my enemy"
msgstr "Друг моего врага"

# Translator's note: keep the quote marks.
#. A comment for translators
#. on two lines
#: source/story.html:6 source/story.html:9
#: source/other.html:12
#, fuzzy, python-format
#| msgid "He said \"no\" to %s."
msgid "He said \"no\" to %s, twice."
msgstr "Он сказал \"нет\" %s, дважды."

#: source/story.html:7
msgid ""
"A long sentence that msgcat wraps at the width of seventy-nine columns, "
"with a tab\there, a backslash \\ and a newline\n"
"and more."
msgstr ""
"Длинное предложение, которое msgcat переносит, с табуляцией\tздесь, "
"обратной косой \\ и переводом строки\n"
"и ещё."

#: source/story.html:8
msgid "One apple"
msgid_plural "%d apples"
msgstr[0] "%d яблоко"
msgstr[1] "%d яблока"
msgstr[2] "%d яблок"

#: source/story.html:10
msgid "Untranslated"
msgstr ""

#: source/story.html:11
#, fuzzy
#| msgctxt "old"
#| msgid "Old %d file"
#| msgid_plural "Old %d files"
msgctxt "files"
msgid "%d file"
msgid_plural "%d files"
msgstr[0] ""
msgstr[1] ""
msgstr[2] ""

#: source/story.html:12
msgid "Escapes: \\ \" \t \r \v \b \f \n"
msgstr "Escapes: \\\\ \"\" \t\t \r \v \b \f \n"

# An obsolete entry
#~ msgid "Gone"
#~ msgstr "Ушло"

#, fuzzy
#~ msgctxt "ctx"
#~ msgid ""
#~ "An obsolete wrapped "
#~ "string"
#~ msgstr "Устаревшая строка"

#~ msgid "Gone %d"
#~ msgid_plural "Gone %d times"
#~ msgstr[0] "a"
#~ msgstr[1] "b"
#~ msgstr[2] "c"
'''

MSGCAT_POT = r'''# SOME DESCRIPTIVE TITLE.
# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER
# This file is distributed under the same license as the PACKAGE package.
# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: PACKAGE VERSION\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2025-11-29 08:00+0000\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\n"
"Language-Team: LANGUAGE <LL@li.org>\n"
"Language: \n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=CHARSET\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\n"

#: src/a.c:10 src/a.c:20
#, c-format
msgid "Hello, %s!"
msgstr ""

#: src/b.c:5
msgctxt "menu"
msgid "Open"
msgstr ""

#: src/c.c:7
msgid "%d item"
msgid_plural "%d items"
msgstr[0] ""
msgstr[1] ""
'''

SAMPLES = {"poedit": POEDIT, "msgcat-pot": MSGCAT_POT}


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_written_samples(name, newline):
    text = SAMPLES[name].replace("\n", newline)
    assert_same_as_polib(text)
    assert_same_outcome(text)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("flags", [[], ["--no-wrap"], ["-w", "20"], ["--no-location"], ["--add-location=file"]])
def test_samples_rewritten_by_msgcat(name, flags):
    text = SAMPLES[name].replace("charset=CHARSET", "charset=UTF-8")  # msgcat refuses a template's
    assert_same_as_polib(msgcat(text, *flags))


def test_samples_rewritten_by_polib_and_newsloc():
    for text in SAMPLES.values():
        po = polib.pofile(text, wrapwidth=79)
        assert_same_as_polib(str(po))
        assert_same_as_polib(pofile.format_po(po))


def test_poedit_sample_values():
    po = assert_same_as_polib(POEDIT)
    assert po.metadata_is_fuzzy == ["fuzzy"]
    assert po.header.startswith("Russian translation")
    assert po.metadata["Plural-Forms"] == (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
    assert po.metadata["X-Generator"] == "Poedit 3.4.2"
    assert po.encoding == "UTF-8"
    entry = po.find("He said \"no\" to %s, twice.")
    assert entry.previous_msgid == 'He said "no" to %s.'
    assert entry.flags == ["fuzzy", "python-format"]
    assert entry.occurrences == [("source/story.html", "6"), ("source/story.html", "9"), ("source/other.html", "12")]
    obsolete = [e for e in po if e.obsolete]
    assert [e.msgctxt for e in obsolete] == [None, "ctx", None]
    assert obsolete[1].msgid == "An obsolete wrapped string"
    assert obsolete[2].msgstr_plural == {0: "a", 1: "b", 2: "c"}


# -- unusual lines: each is read by _read_po or left to polib, same outcome ----------

ODD_TEXTS = [
    "",
    "\n\n   \n",
    "# only a comment\n",
    'msgid ""\nmsgstr ""\n"Language: ru\\n"\n',
    'msgid "a"\nmsgstr "b"\n# trailing comment\n',
    'msgid "a"\nmsgstr "b"\n#: trailing.html:1\n',
    'msgid "a"\nmsgstr "b"\n#~| msgid "x"\n',  # polib lost "a" (a line it skips ends the file); an error now
    'msgid "a"\nmsgstr "b"\n#,\n\n',
    'msgid "a"\nmsgstr "b"\n#.\n',
    'msgid "a"\nmsgstr "b"\n#:\n',
    '#\n# header\n##x\n#\tt\nmsgid "a"\nmsgstr "b"\n',
    'msgid "a"\nmsgstr "b"\n\n#\n##x\n#\tt\n# c\nmsgid "c"\nmsgstr "d"\n',
    '#. gc\n#.  gc two spaces\n#.\n#.\tgc\nmsgid "a"\nmsgstr "b"\n',
    '#: a.html:1 b.html c:d:3 e:x :4 f:\n#:\n#: \tg.html:7\nmsgid "a"\nmsgstr "b"\n',
    '#, fuzzy,  c-format ,,\n#,\nmsgid "a"\nmsgstr "b"\n',
    '#foo\nmsgid "a"\nmsgstr "b"\n',
    '#.foo\nmsgid "a"\nmsgstr "b"\n',
    '#:foo\nmsgid "a"\nmsgstr "b"\n',
    '#,fuzzy\nmsgid "a"\nmsgstr "b"\n',
    '#| msgid "old"\n#| "continued"\nmsgid "a"\nmsgstr "b"\n',
    '#|msgid "old"\nmsgid "a"\nmsgstr "b"\n',
    '#| msgid\nmsgid "a"\nmsgstr "b"\n',
    '#|\nmsgid "a"\nmsgstr "b"\n',
    '#| msgstr "x"\nmsgid "a"\nmsgstr "b"\n',
    '#| msgid "unterminated\nmsgid "a"\nmsgstr "b"\n',
    '#| msgid "x" junk\nmsgid "a"\nmsgstr "b"\n',
    '#| msgctxt "c"\n#| msgid "i"\n#| msgid_plural "p"\nmsgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\n',
    '#~ msgid "a"\n#~ msgstr "b"\n',
    '#~ msgid "a"\n#~ msgstr "b"\n# trailing\n',
    '#~ msgctxt "c"\n#~ msgid "a"\n#~ msgstr ""\n#~ "b"\n',
    '#~\tmsgid "a"\n#~   msgstr "b"\n',
    '#~| msgid "p"\n#~|\n#~ msgid "a"\n#~ msgstr "b"\n',
    'msgid "a"\nmsgstr "b"\n#~| msgid "q"\n#~| "r"\n#~ msgid "c"\n#~ msgstr "d"\n',
    '#~| msgid "p"\n"bare"\n#~ msgid "a"\n#~ msgstr "b"\n',
    '#~| msgid "p"\n#| "q"\n#~ msgid "a"\n#~ msgstr "b"\n',
    'msgctxt "k"\n#~| msgid "q"\n#\nmsgid "a"\nmsgstr "b"\n',
    'msgid "a"\n#~| msgid "q"\nmsgstr "b"\n',
    '#~|msgid "p"\n#~ msgid "a"\n#~ msgstr "b"\n',
    '#~\nmsgid "a"\nmsgstr "b"\n',
    '#~x\nmsgid "a"\nmsgstr "b"\n',
    '#~ #, fuzzy\n#~ # note\n#~ #. gc\n#~ #: a:1\n#~ msgid "a"\n#~ msgstr "b"\n',
    '#~ #| msgid "p"\n#~ msgid "a"\n#~ msgstr "b"\n',
    '#~ #| "p"\n#~ msgid "a"\n#~ msgstr "b"\n',
    '#~ msgid "unterminated\n#~ msgstr "b"\n',
    '#~ msgid "a\\"\n#~ msgstr "b"\n',
    '#~ msgid a\n#~ msgstr "b"\n',
    '#~ msgstr[0]"x"\n',
    '#~ "orphan"\n',
    'msgid "a"\nmsgstr "b"\n#~ msgid "a"\n#~ msgstr "c"\n',
    'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    'msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr "d"\n',
    'msgid "a" "b"\nmsgstr "c"\n',
    'msgid "a"\nmsgstr "b" junk\n',
    'msgid"a"\nmsgstr "b"\n',
    'msgid\t"a"\nmsgstr\t \t"b"\n',
    '   msgid "a"   \n\tmsgstr "b"\t\n  "c"  \n',
    'msgstr "no msgid"\n',
    '# c\nmsgstr "after a comment"\n',
    'msgid "a"\nmsgstr "b"\n# c\nmsgstr "after a comment"\n',
    'msgid "a"\nmsgstr "b"\n# c\nmsgstr[0] "after a comment"\n',
    'msgid "a"\nmsgstr "b"\n# c\nmsgid_plural "after a comment"\nmsgstr[0] "x"\n',
    '# c\nmsgstr[0] "after a comment"\n',
    '# c\nmsgid_plural "after a comment"\nmsgstr[0] "x"\n',
    'msgid "a"\n"continued"\nmsgstr "b"\n"continued"\n',
    '#| msgid "old"\n"bare continuation"\nmsgid "a"\nmsgstr "b"\n',
    '#| msgctxt "old"\n"bare"\n#| msgid_plural "p"\n"bare"\nmsgid "a"\nmsgstr "b"\n',
    'msgid "a"\nmsgid_plural "p"\n"more"\nmsgstr[0] "x"\n',
    'msgctxt "a"\n"b"\nmsgid "c"\nmsgstr "d"\n',
    'msgctxt "a"\n# c\nmsgid "c"\nmsgstr "d"\n',
    'msgctxt "a"\nmsgctxt "b"\nmsgid "c"\nmsgstr "d"\n',
    'msgid "a"\nmsgid "b"\nmsgstr "c"\n',
    'msgid "a"\nmsgstr "b"\nmsgstr "c"\n',
    'msgid "a"\nmsgstr "b"\nmsgid_plural "c"\n',
    'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "x"\nmsgstr[12] "y"\n"z"\nmsgstr[1] "w"\n',
    'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "x"\nmsgstr "y"\n',
    'msgid "a"\nmsgid_plural "p"\nmsgstr [0] "x"\n',
    'msgid "a"\nmsgid_plural "p"\nmsgstr[\u0661] "x"\n',
    'msgid "a"\nmsgid_plural "p"\nmsgstr[] "x"\n',
    'msgid "a"\n#. late comment\nmsgstr "b"\n',
    'msgid "a"\n#: late.html:1\nmsgstr "b"\n',
    'msgid "a"\n#, fuzzy\nmsgstr "b"\n',
    'msgid "a"\n#| msgid "late"\nmsgstr "b"\n',
    'msgid "a"\nmsgid_plural "p"\n#. gc after plural\nmsgstr[0] "x"\n',
    '"orphan continuation"\n',
    'foo\n',
    '\ufeffmsgid ""\nmsgstr ""\n',
    '\ufeff\nmsgid "a"\nmsgstr "b"\n',
    'msgid ""\nmsgstr ""\n\nmsgid ""\nmsgstr "second header"\n',
    'msgid "a"\nmsgstr "b"\n\nmsgid ""\nmsgstr "Language: ru\\n"\n',
    'msgid "a"\nmsgstr "b"\n\nmsgctxt "c"\nmsgid ""\nmsgstr "X: y\\n"\n',
    '#~ msgid ""\n#~ msgstr "X: obsolete header\\n"\nmsgid ""\nmsgstr "Y: z\\n"\n',
    'msgid ""\nmsgstr ""\n"no colon\\n"\n"A: b\\n"\n"continued line\\n"\n" B : c : d \\n"\n":\\n"\n',
    'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
    'msgid ""\nmsgstr "Content-Type: text/plain; charset=no-such-charset\\n"\n',
    'msgid ""\nmsgstr "Content-Type: text/plain\\n"\n\nmsgid "Content-Type: x charset=latin1"\nmsgstr "b"\n',
    '#. "Content-Type: a; charset=koi8-r"\nmsgid "a"\nmsgstr "b"\n',
    'msgid "\\a\\\\\\n\\\\\\\\t\\q\\"\\x41\\101\\r\\v\\b\\f\\t"\nmsgstr "\\\\"\n',
    'msgid "a\\\\"\nmsgstr "\\\\\\""\n',
    'msgid "a"\rmsgstr "b"\r',
    'msgid "a"\nmsgstr "b\x0bc"\n',
    'msgid "a"\nmsgstr "b\x1cc"\n',
    'msgid "a"\nmsgstr "b\u2028c"\n',
    'msgid "a\u00a0"\u00a0\nmsgstr\u3000"b"\n',
    'msgid "a"\nmsgstr "b"\n\x0c\nmsgid "c"\nmsgstr "d"\n',
]


@pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
def test_unusual_texts(text):
    assert_same_outcome(text)
    assert_same_outcome(text.replace("\n", "\r\n"))


def parses(text: str) -> bool:
    try:
        reference_parse_po(text)
    except CatalogError:
        return False
    return True


def read(text: str):
    """What _read_po returns for ``text``, or the CatalogError it raises."""
    try:
        return pofile._read_po(text, text.splitlines())
    except CatalogError as exc:
        return exc


def assert_read_without_polib(text: str) -> None:
    """A text polib accepts is read by _read_po, or raises where polib would lose or mangle text."""
    ours = read(text)
    if isinstance(ours, int):  # polib reads a line _read_po does not: it mangles it
        with pytest.raises(CatalogError, match="syntax error") as error:
            pofile.parse_po(text, PATH)
        assert error.value.line == ours
        return
    if isinstance(ours, CatalogError):
        return
    if outcome(pofile.parse_po, text) == outcome(reference_parse_po, text):
        assert describe(ours) == describe(polib.pofile(text, wrapwidth=79))


def test_what_is_left_to_polib():
    # _read_po leaves to polib only texts that polib rejects (for its error
    # message) or mangles: parse_po then raises at the line, polib's error or its own.
    left = [t for t in ODD_TEXTS if isinstance(read(t), int) and not inner_line_breaks(t)]
    assert len(left) > 30
    for text in left:
        with pytest.raises(CatalogError) as error:
            pofile.parse_po(text, PATH)
        assert error.value.line and error.value.path == PATH
    # Those polib read, into a mangled string or index (or skipped), and so did parse_po.
    mangled = {
        '#| msgid "unterminated\nmsgid "a"\nmsgstr "b"\n': 1,
        '#| msgid "x" junk\nmsgid "a"\nmsgstr "b"\n': 1,
        '#~ msgid "unterminated\n#~ msgstr "b"\n': 1,
        '#~ msgid "a\\"\n#~ msgstr "b"\n': 1,
        '#~ msgid a\n#~ msgstr "b"\n': 1,
        'msgid "a"\n#~| msgid "q"\nmsgstr "b"\n': 2,  # (polib skips the line)
        'msgid "a"\nmsgid_plural "p"\nmsgstr[\u0661] "x"\n': 3,
    }
    assert sorted(t for t in left if parses(t)) == sorted(mangled)
    for text, line in mangled.items():
        with pytest.raises(CatalogError, match="syntax error") as error:
            pofile.parse_po(text, PATH)
        assert error.value.line == line
        assert error.value.message == f"cannot parse catalog: syntax error: {text.splitlines()[line - 1][:60]!r}"
    # Several headers: polib took one as the header, the writer dropped the other.
    text = 'msgid ""\nmsgstr ""\n\nmsgid ""\nmsgstr "second header"\n'
    assert parses(text)
    with pytest.raises(CatalogError, match=r"duplicate entry '' \(first defined at line 1\)") as error:
        pofile.parse_po(text, PATH)
    assert error.value.line == 4


def test_line_breaks_inside_a_line():
    # polib (and str.splitlines) cut a line at U+2028, U+0085, a form feed...:
    # a string there was a syntax error, a comment became two lines (the
    # character lost).  gettext reads one line, and so does parse_po.
    for text in [t for t in ODD_TEXTS if inner_line_breaks(t)]:
        assert not parses(text)
        assert [e.msgstr for e in pofile.parse_po(text, PATH)] == ["b" + text[-4] + "c"]
    text = '# a\u2028# b\nmsgid "a"\nmsgstr "b"\n'
    assert reference_parse_po(text).header == "a\nb"
    po = pofile.parse_po(text + '\nmsgid "c"\nmsgstr "d\x85"\n', PATH)
    assert po.header == "a\u2028# b" and po[1].msgstr == "d\x85"
    assert pofile.parse_po(pofile.format_po(po), PATH).header == po.header
    with pytest.raises(CatalogError, match="syntax error") as error:
        pofile.parse_po('# x\u2028msgid "x"\nmsgstr "y"\n', PATH)  # polib read an entry from the comment
    assert error.value.line == 2
    with pytest.raises(CatalogError, match="line break other than") as error:
        pofile.parse_po('msgid ""\nmsgstr "A: b\\fc\\n"\n', PATH)  # polib: "A: b", then "c" on a line of its own
    assert error.value.line == 1


def test_text_naming_a_file_is_read_as_text(tmp_path, monkeypatch):
    # polib.pofile(text) reads the file if the text is an existing path: not parse_po.
    monkeypatch.chdir(tmp_path)
    name = "# x"
    Path(name).write_text('msgid "from the file"\nmsgstr "y"\n', encoding="utf-8")
    assert [e.msgid for e in pofile.parse_po(name, PATH)] == []
    assert pofile.parse_po(name, PATH).header == "x"
    name = "foo"  # polib's syntax error, for the text
    Path(name).write_text('msgid "from the file"\nmsgstr "y"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="syntax error") as error:
        pofile.parse_po(name, PATH)
    assert error.value.line == 1


def test_errors_keep_file_and_line():
    cases = {
        'msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr "d"\n': (4, "cannot parse catalog: syntax error"),
        'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n': (4, "duplicate entry 'a' (first defined at line 1)"),
        'msgid "a"\nmsgid "b"\nmsgstr "c"\n': (2, "cannot parse catalog: Syntax error in po file (line 2)"),
        '#foo\nmsgid "a"\nmsgstr "b"\n': (1, "cannot parse catalog: Syntax error in po file (line 1)"),
    }
    for text, (line, message) in cases.items():
        with pytest.raises(CatalogError) as error:
            pofile.parse_po(text, PATH)
        assert error.value.line == line
        assert error.value.message.startswith(message)
        assert_same_outcome(text)


def test_non_utf8_is_still_an_error(tmp_path):
    path = tmp_path / "latin1.po"
    path.write_bytes(b'msgid "a"\nmsgstr "\xe9"\n')
    with pytest.raises(CatalogError, match="not valid UTF-8 at byte offset 18") as error:
        pofile.load_po(path)
    assert error.value.line == 2


# -- unescaping ----------------------------------------------------------------------

@given(st.text(alphabet='\\\\\\\\ntrvbfa"x\n\u00e9'))
@settings(max_examples=1000)
def test_unescape_is_polibs(text):
    assert pofile._unescape(text) == polib.unescape(text)


# -- generated catalogs, written by polib and by newsloc ------------------------------

# Strings may hold anything polib's writer escapes; in one catalog in five
# also characters that str.splitlines breaks at, which polib writes raw (such
# a catalog is rejected, the same way with or without _read_po).
SAFE = list('ab \\"\t\n\r\x0b\x08\x0c\x07\u00e9%#:,~|') + ["ab c", "\\n", "msgid ", '"', "\\\\"]
EXOTIC = SAFE + list("\x1c\x85\u2028")
PLAIN = st.lists(st.sampled_from(list("ab \t:,#~|.\"\\") + ["é", "ab"]), max_size=20).map("".join)
LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@st.composite
def entries(draw, string):
    plural = draw(st.booleans())
    obsolete = draw(st.sampled_from([False, False, False, True]))
    fields = {
        "msgid": draw(string.filter(bool)),
        "msgctxt": draw(st.none() | string),
        "tcomment": draw(st.sampled_from(["", "note", "two\nlines", "#hash", " lead"]) | PLAIN),
        "comment": draw(st.sampled_from(["", "Headline", "a\nb"]) | PLAIN),
        "flags": draw(st.lists(st.sampled_from(["fuzzy", "c-format", "no-wrap", "x y"]), max_size=3)),
        "occurrences": draw(st.lists(st.tuples(st.sampled_from(["source/a.html", "b.txt", "c:d", "x-y/z"]),
                                               st.sampled_from(["", "1", "12", "x"])), max_size=4)),
        "previous_msgid": draw(st.none() | string),
        "previous_msgctxt": draw(st.none() | string),
        "obsolete": obsolete,
    }
    if plural:
        fields["msgid_plural"] = draw(string.filter(bool))
        fields["msgstr_plural"] = {i: draw(string) for i in range(draw(st.integers(1, 3)))}
        fields["previous_msgid_plural"] = draw(st.none() | string)
    else:
        fields["msgstr"] = draw(string)
    return polib.POEntry(**fields)


@st.composite
def catalogs(draw):
    alphabet = EXOTIC if draw(st.integers(0, 4)) == 0 else SAFE
    string = st.lists(st.sampled_from(alphabet), max_size=30).map("".join)
    po = polib.POFile(wrapwidth=draw(st.sampled_from([0, 40, 78, 79])))
    po.header = draw(st.sampled_from(["", "Title\nCopyright", "#", ",x"]) | PLAIN)
    po.metadata_is_fuzzy = draw(st.booleans())
    if draw(st.booleans()):
        po.metadata = {
            "Project-Id-Version": draw(PLAIN),
            "Content-Type": draw(st.sampled_from(["text/plain; charset=UTF-8", "text/plain; charset=latin-1",
                                                  "text/plain; charset=bogus", "text/plain"])),
            "X-Extra": draw(PLAIN),
        }
    for entry in draw(st.lists(entries(string), max_size=6)):
        po.append(entry)
    return po


@given(catalogs(), st.sampled_from(["polib", "newsloc"]), st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_catalogs(po, writer, newline):
    text = str(po) if writer == "polib" else pofile.format_po(po)
    text = text.replace("\n", newline)
    assert_same_outcome(text)
    try:
        reference_parse_po(text)
    except CatalogError:
        return
    if not any(c in LINE_BREAKS for c in text.replace(newline, "")):
        assert_read_without_polib(text)  # no line breaks inside strings


# -- random sequences of lines, sensible and not -------------------------------------

LINES = [
    "", "  ", "#", "# note", "#  two", "##x", "#\ttab", "#. gc", "#.", "#: a.html:1 b c:x", "#:",
    "#, fuzzy, c-format", "#,", "#| msgid \"p\"", "#| msgid_plural \"pp\"", "#| msgctxt \"pc\"",
    "#| \"cont\"", "#~ msgid \"o\"", "#~ msgstr \"o\"", "#~ \"c\"", "#~ msgctxt \"c\"", "#~ msgid_plural \"op\"",
    "#~ msgstr[0] \"o0\"", "#~| msgid \"x\"", "#~ #, fuzzy", "#~ # c", "#~ #| \"x\"",
    "msgid \"a\"", "msgid \"b\"", "msgid \"\"", "msgstr \"s\"", "msgstr \"\"", "msgid_plural \"p\"",
    "msgstr[0] \"x0\"", "msgstr[1] \"x1\"", "msgstr[12] \"x12\"", "msgctxt \"k\"", "msgctxt \"\"",
    "\"cont\"", "\"e\\\\n\\t\\\\\\\"\\a\"", "\"Language: ru\\n\"", "\"Content-Type: text/plain; charset=latin1\\n\"",
    "msgid\t\"tab\"", "  msgid \"indented\"  ",
]
BAD_LINES = [
    "#.x", "#:x", "#|", "#| msgid", "#| msgstr \"x\"", "#~", "#~x", "#~ #| msgid \"x\"",
    "#~ msgid \"unterminated", "msgid \"unterminated", "\"bad \" quote\"", "msgstr [0] \"x\"", "foo",
    "msgid \"x\" junk", "\ufeffmsgid \"\"",
]
SENSIBLE = [
    ["#: a.html:1", "msgid \"a\"", "msgstr \"b\""],
    ["#. gc", "msgid \"\"", "\"c1\"", "\"c2\\n\"", "msgstr \"\"", "\"d\""],
    ["msgctxt \"k\"", "msgid \"a\"", "msgid_plural \"p\"", "msgstr[0] \"x\"", "msgstr[1] \"y\"", "\"z\""],
    ["#, fuzzy", "#| msgid \"old\"", "msgid \"n\"", "msgstr \"m\""],
    ["#~ msgid \"o\"", "#~ msgstr \"p\"", "#~ \"q\""],
    ["msgid \"\"", "msgstr \"\"", "\"Language: ru\\n\"", "\"X-A: b\\n\""],
    [""],
]
BLOCK = st.one_of(st.sampled_from(LINES).map(lambda line: [line]), st.sampled_from(SENSIBLE),
                  st.sampled_from(SENSIBLE), st.sampled_from(BAD_LINES).map(lambda line: [line]))


@given(st.lists(BLOCK, max_size=14), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
@settings(max_examples=1500, deadline=None)
def test_random_line_sequences(blocks, newline, final_newline):
    text = newline.join(line for block in blocks for line in block) + (newline if final_newline else "")
    assert_same_outcome(text)


COMMENTS = ["# note", "#", "##x", "#. gc", "#.  gc", "#: a.html:1 b", "#, fuzzy", "#, c-format, x",
            "#| msgid \"p\"", "#| \"p2\"", "#| msgctxt \"pc\"", "#| msgid_plural \"pp\"", "#~| msgid \"x\"", ""]
STRINGS = ["\"\"", "\"a\"", "\"b \\\"q\\\" \\\\ \\t\\n\"", "\"Language: ru\\n\"", "\"é\\a\\x\""]


@st.composite
def well_formed_entries(draw):
    obsolete = "#~ " if draw(st.integers(0, 4)) == 0 else ""
    lines = draw(st.lists(st.sampled_from(COMMENTS), max_size=4))

    def string(keyword):
        lines.append(f"{obsolete}{keyword} {draw(st.sampled_from(STRINGS))}")
        lines.extend(f"{obsolete}{s}" for s in draw(st.lists(st.sampled_from(STRINGS), max_size=2)))

    if draw(st.booleans()):
        string("msgctxt")
    string("msgid")
    if draw(st.booleans()):
        string("msgid_plural")
        for index in range(draw(st.integers(1, 3))):
            string(f"msgstr[{index}]")
    else:
        string("msgstr")
    lines.extend(draw(st.lists(st.sampled_from(["", " "]), max_size=2)))
    return lines


@given(st.lists(well_formed_entries(), max_size=8), st.sampled_from(["\n", "\r\n"]), st.booleans())
@settings(max_examples=300, deadline=None)
def test_random_well_formed_catalogs(blocks, newline, final_newline):
    text = newline.join(line for block in blocks for line in block) + (newline if final_newline else "")
    assert_same_outcome(text)
    if parses(text):
        assert_read_without_polib(text)


@pytest.mark.parametrize("text", [
    '#~ msgid ""\n#~ msgid_plural ""\n#~ msgstr[0] ""\n#~ msgstr[1] "a"',
    '#~ msgid "a"\n#~ msgid_plural ""\n#~ msgstr[0] ""\n#~ msgstr[1] "a"\n',
    '#~ msgid ""\n#~ msgid_plural ""\n#~ msgstr[0] "x"\n#~ msgstr[1] "a"\n',
    '#~ msgid "a"\n#~ msgid_plural ""\n#~ msgstr[0] "x"\n#~ msgstr[1] "a"\n',  # (kept by gettext: an error)
])
def test_obsolete_entries_with_an_empty_msgid_plural(text):
    # (found by test_random_well_formed_catalogs) gettext drops the first three whole
    assert_same_outcome(text)
