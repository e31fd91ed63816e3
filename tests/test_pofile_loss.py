"""PO input from which polib silently loses or corrupts text, and what newsloc does with it.

polib 1.2.0's parser, which newsloc's reader ports, drops the last entry of a
file that ends with a line it skips (``#~| ...``, a bare ``#,``/``#.``/``#:``),
reads ``msgstr[12]`` as ``msgstr[1]``, merges an entry without msgstr into the
next one, keeps strings that newsloc's writer then drops, and more.  For each
case, this file has the text, what GNU gettext does with it (``msgcat`` 0.21,
checked here), and what :func:`newsloc.pofile.parse_po` does: read it as
gettext does, or raise CatalogError at the line, saying what is wrong.  The
property tests at the end check, on generated catalogs, that every msgstr of
the file is in the catalog read and that what gettext reads is what newsloc
reads (or newsloc raises).
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsloc import pofile
from newsloc.errors import CatalogError

PATH = Path("locales/xx/LC_MESSAGES/story.po")
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def msgcat(text: str) -> subprocess.CompletedProcess:
    return subprocess.run(["msgcat", "--force-po", "-"], input=text.encode("utf-8"), capture_output=True)


def polib_reads(text: str) -> str:
    """What newsloc wrote after reading ``text`` with polib alone (its reader before)."""
    return pofile.format_po(polib.pofile(text, wrapwidth=79))


def summary(po: polib.POFile) -> list[tuple]:
    return [(e.msgctxt, e.msgid, dict(e.msgstr_plural) if e.msgid_plural else e.msgstr, bool(e.obsolete))
            for e in po]


# -- read as gettext reads them ---------------------------------------------------

READ = {
    # The file ends with a line polib skips: polib lost the last entry.
    "bare #~| at the end": ('msgid "a"\nmsgstr "b"\n#~|\n', [(None, "a", "b", False)]),
    "bare #, at the end": ('msgid "a"\nmsgstr "b"\n#,\n\n', [(None, "a", "b", False)]),
    "bare #. at the end": ('msgid "a"\nmsgstr "b"\n#.\n', [(None, "a", "b", False)]),
    "bare #: at the end": ('msgid "a"\nmsgstr "b"\n#:\n', [(None, "a", "b", False)]),
    "bare #, after an obsolete entry": ('#~ msgid "a"\n#~ msgstr "b"\n#,\n', [(None, "a", "b", True)]),
    "bare markers after a plural entry": (
        'msgid "a"\nmsgstr "b"\n\nmsgctxt "k"\nmsgid "c"\nmsgid_plural "cs"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
        '#:\n#.\n#,\n#~|\n',
        [(None, "a", "b", False), ("k", "c", {0: "x", 1: "y"}, False)]),
    # Comment lines after the last entry: an entry of their own, which
    # gettext ignores (polib too, and it kept the last entry here).
    "comments after the last entry (polib kept this one)": (
        'msgid "a"\nmsgstr "b"\n# note\n#. extracted\n#: f.html:1\n#, fuzzy\n#~ #, fuzzy\n',
        [(None, "a", "b", False)]),
    # msgstr[N] with N of several digits: polib read one digit (msgstr[12]
    # was msgstr[1], and overwrote it).
    "thirteen plural forms": (
        'msgid "a"\nmsgid_plural "as"\n' + "".join(f'msgstr[{i}] "v{i}"\n' for i in range(13)),
        [(None, "a", {i: f"v{i}" for i in range(13)}, False)]),
    "plural indexes with leading zeros": (
        'msgid "a"\nmsgid_plural "as"\nmsgstr[00] "x"\nmsgstr[01] "y"\n', [(None, "a", {0: "x", 1: "y"}, False)]),
    # gettext's escapes polib kept as text ("\a" became "\\a" when written).
    "bell, octal and hexadecimal escapes": (
        HEADER + 'msgid "bell \\a"\nmsgstr "\\101\\x42 \\303\\251 \\x7e"\n', [(None, "bell \a", "AB é ~", False)]),
    # A line break other than "\n" inside a line (Poedit writes them as they
    # are): polib cut the line there (a syntax error in a string; in a
    # comment, the character was lost and the rest read as a line of its own).
    "U+2028 and a form feed in a translation": (
        HEADER + 'msgid "a"\nmsgstr "b\u2028c\x0cd"\n', [(None, "a", "b\u2028c\x0cd", False)]),
    "U+2028 in a comment": (HEADER + '# a\u2028# b\nmsgid "a"\nmsgstr "b"\n', [(None, "a", "b", False)]),
    # An entry with an empty msgid and a msgctxt is not the header (polib
    # took it for the header and dropped its msgctxt).
    "empty msgid with a msgctxt": ('msgctxt "c"\nmsgid ""\nmsgstr "x"\n', [("c", "", "x", False)]),
}


@pytest.mark.parametrize("name", READ)
def test_read_as_gettext_reads(name):
    text, expected = READ[name]
    po = pofile.parse_po(text, PATH)
    assert summary(po) == expected
    written = pofile.format_po(po)
    done = msgcat(text)
    assert done.returncode == 0
    assert written == done.stdout.decode("utf-8")  # what gettext reads and writes
    assert summary(pofile.parse_po(written, PATH)) == expected
    if "polib kept" not in name:
        try:
            assert polib_reads(text) != written  # what polib lost
        except (OSError, ValueError):
            pass  # or polib rejected it


def test_obsolete_previous_strings():
    # "#~|" lines (msgmerge writes them): polib skipped them.
    text = ('msgid "a"\nmsgstr "b"\n\n#, fuzzy\n#~| msgctxt "oc"\n#~| msgid "old"\n#~| "er"\n'
            '#~ msgctxt "c"\n#~ msgid "gone"\n#~ msgstr "weg"\n')
    po = pofile.parse_po(text, PATH)
    gone = po[1]
    assert (gone.obsolete, gone.msgctxt, gone.msgid, gone.msgstr) == (1, "c", "gone", "weg")
    assert (gone.previous_msgctxt, gone.previous_msgid) == ("oc", "older")
    assert pofile.format_po(po) == msgcat(text).stdout.decode("utf-8")
    assert "older" not in polib_reads(text)


def test_header_comments_after_its_flags():
    # polib dropped the comments between "#, fuzzy" and msgid "".
    text = '# Title\n#, fuzzy\n# note\n' + HEADER + 'msgid "a"\nmsgstr "b"\n'
    po = pofile.parse_po(text, PATH)
    assert po.header == "Title\nnote"
    assert po.metadata_is_fuzzy
    assert pofile.format_po(po) == msgcat(text).stdout.decode("utf-8")
    assert "note" not in polib_reads(text)


def test_header_flags_other_than_fuzzy():
    # polib kept ["no-wrap"] as metadata_is_fuzzy: the header was written fuzzy.
    text = '#, no-wrap\n' + HEADER
    po = pofile.parse_po(text, PATH)
    assert not po.metadata_is_fuzzy
    assert "fuzzy" not in pofile.format_po(po)
    assert "#, no-wrap" in msgcat(text).stdout.decode("utf-8")  # gettext keeps the flag (no text)
    assert "#, fuzzy" in polib_reads(text)


def test_translator_comments_keep_their_hashes():
    # polib stripped every "#": "## x" was " x", "#\tx" in the header "x".
    text = '##x\n#\ty\n' + HEADER + '## two\nmsgid "a"\nmsgstr "b"\n'
    po = pofile.parse_po(text, PATH)
    assert po.header == "#x\n\ty"
    assert po[0].tcomment == "# two"
    assert "# # two\nmsgid" in msgcat(text).stdout.decode("utf-8")
    assert "# # two\nmsgid" in pofile.format_po(po)
    assert "# two\nmsgid" in polib_reads(text)


# -- errors: file, line and what is wrong --------------------------------------------

# name: (text, line, message, gettext's verdict, a string polib's catalog lost when written)
ERRORS = {
    "#~| line at the end": (
        'msgid "a"\nmsgstr "b"\n#~| msgid "x"\n', 3, "'#|' line with no entry after it", "syntax error", '"x"'),
    "#| line at the end": (
        'msgid "a"\nmsgstr "b"\n#| msgid "x"\n# c\n', 3, "'#|' line with no entry after it", "syntax error", '"x"'),
    "msgid without msgstr, then a comment and an entry": (
        'msgid "a"\n# c\nmsgid "b"\nmsgstr "c"\n', 1, "missing msgstr after this msgid",
        "missing 'msgstr' section", 'msgid "a"'),
    "msgid without msgstr at the end": (
        'msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', 4, "missing msgstr after this msgid", "missing 'msgstr' section",
        None),
    "msgctxt without msgid at the end": (
        'msgid "a"\nmsgstr "b"\nmsgctxt "k"\n', 3, "missing msgid after this msgctxt", "syntax error", '"k"'),
    "msgctxt without msgid, then a comment and an entry": (
        'msgctxt "a"\n#. c\nmsgctxt "b"\nmsgid "c"\nmsgstr "d"\n', 1, "missing msgid after this msgctxt",
        "syntax error", '"a"'),
    "msgstr without msgid": (
        'msgid "a"\nmsgstr "b"\n# c\nmsgstr "x"\n', 4, "msgstr without a msgid before it", "syntax error", '"x"'),
    "msgstr[0] without msgid": (
        'msgid "a"\nmsgstr "b"\n# c\nmsgstr[0] "x"\n', 4, "msgstr[0] without a msgid before it", "syntax error",
        '"x"'),
    "msgid_plural without msgid": (
        'msgid "a"\nmsgstr "b"\n# c\nmsgid_plural "p"\nmsgstr[0] "x"\n', 4, "msgid_plural without a msgid",
        "syntax error", '"x"'),
    "msgstr after msgid_plural": (
        'msgid "a"\nmsgid_plural "p"\nmsgstr "x"\n', 3, "msgstr in an entry with msgid_plural (line 2)",
        "syntax error", '"x"'),
    "msgstr[0] without msgid_plural": (
        'msgid "a"\nmsgstr[0] "x"\n', 2, "msgstr[0] in an entry without msgid_plural",
        "missing 'msgid_plural' section", '"x"'),
    "empty msgid_plural": (
        'msgid "a"\nmsgid_plural ""\nmsgstr[0] "x"\nmsgstr[1] "y"\n', 2, "empty msgid_plural", None, '"x"'),
    "msgstr[0] twice": (
        'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "x"\nmsgstr[0] "y"\n', 4, "a second msgstr[0] in one entry",
        "plural form has wrong index", '"x"'),
    "msgstr[1] and msgstr[01]": (
        'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[01] "z"\n', 5,
        "a second msgstr[1] in one entry", "plural form has wrong index", '"x"'),
    # gettext wants msgstr[0], msgstr[1]... in order; polib read msgstr[12] as
    # msgstr[1] (overwriting it), a later newsloc kept it and gettext tools refuse the file.
    "plural index gap": (
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[12] "z"\n', 5,
        "msgstr[12]: plural form has wrong index (msgstr[2] expected)", "plural form has wrong index", '"y"'),
    "plural index not from 0": (
        'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\nmsgstr[0] "y"\n', 3,
        "msgstr[1]: first plural form has nonzero index", "first plural form has nonzero index", None),
    "plural index beyond the header's nplurals": (
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n', 9,
        "msgstr[2]: plural form index out of range: the header's Plural-Forms has nplurals=2", None, None),
    # An entry is obsolete (#~) in all its keyword and string lines, or in none (gettext:
    # "inconsistent use of #~"); polib took the msgid's word for the whole entry.
    "#~ msgid, then msgstr": ('#~ msgid "a"\nmsgstr "b"\n', 2, "inconsistent use of #~", "inconsistent use of #~",
                              None),
    "msgid, then #~ msgstr": ('msgid "a"\n#~ msgstr "b"\n', 2, "inconsistent use of #~", "inconsistent use of #~",
                              None),
    "#~ msgctxt, then msgid": ('#~ msgctxt "k"\nmsgid "a"\nmsgstr "b"\n', 2, "inconsistent use of #~",
                               "inconsistent use of #~", None),
    "msgctxt, then #~ msgid": ('msgctxt "k"\n#~ msgid "a"\n#~ msgstr "b"\n', 2, "inconsistent use of #~",
                               "inconsistent use of #~", None),
    "#~ msgctxt continued by a line without #~": (
        '#~ msgctxt "k"\n"l"\n#~ msgid "a"\n#~ msgstr "b"\n', 2, "inconsistent use of #~",
        "inconsistent use of #~", None),
    "msgctxt continued by a #~ line": (
        'msgctxt "k"\n#~ "l"\nmsgid "a"\nmsgstr "b"\n', 2, "inconsistent use of #~", "inconsistent use of #~",
        None),
    "#~ msgstr continued by a line without #~": (
        '#~ msgid "a"\n#~ msgstr ""\n#~ "b"\n"c"\n\nmsgid "d"\nmsgstr "e"\n', 4, "inconsistent use of #~",
        "inconsistent use of #~", None),
    "#~ msgid continued by a line without #~": (
        '#~ msgid "a"\n"b"\n#~ msgstr "c"\n', 2, "inconsistent use of #~", "inconsistent use of #~", None),
    "msgstr continued by a #~ line": (
        'msgid "a"\nmsgstr ""\n#~ "b"\n\nmsgid "c"\nmsgstr "d"\n', 3, "inconsistent use of #~",
        "inconsistent use of #~", None),
    "a plural form without #~": (
        '#~ msgid "a"\n#~ msgid_plural "as"\n#~ msgstr[0] "x"\nmsgstr[1] "y"\n#~ msgstr[2] "z"\n', 4,
        "inconsistent use of #~", "inconsistent use of #~", None),
    "#~ msgid_plural in an active entry": (
        'msgid "a"\n#~ msgid_plural "as"\nmsgstr[0] "x"\n', 2, "inconsistent use of #~", "inconsistent use of #~",
        None),
    "msgid_plural twice": (
        'msgid "a"\nmsgid_plural "p"\n# c\nmsgid_plural "q"\nmsgstr[0] "x"\n', 4,
        "a second msgid_plural in one entry (the first at line 2)", "syntax error", '"p"'),
    "#| msgid twice": (
        '#| msgid "a"\n#| msgid "b"\nmsgid "c"\nmsgstr "d"\n', 2, "a second '#| msgid' in one entry", "syntax error",
        '"a"'),
    "#| continuation after msgid": (
        'msgid "a"\n#| "x"\nmsgstr "b"\n', 2, "'#| \"...\"' line after msgid", "syntax error", 'msgid "a"'),
    "#~| continuation after msgstr[N]": (
        '#~ msgid "a"\n#~ msgid_plural "p"\n#~ msgstr[0] "x"\n#~| "y"\n', 4, "'#| \"...\"' line after msgstr[N]",
        "syntax error", '"x"'),
    "unknown escape": ('msgid "a\\q"\nmsgstr ""\n', 1, "invalid escape sequence '\\q'", "invalid control sequence",
                       None),
    "escaped apostrophe": ("msgid \"a\"\nmsgstr \"it\\'s\"\n", 2, "invalid escape sequence '\\''",
                           "invalid control sequence", None),
    "\\x without digits": ('msgid "a"\nmsgstr "\\x"\n', 2, "invalid escape sequence '\\x'", "invalid control sequence",
                           None),
    "NUL escape": ('msgid "a"\nmsgstr "b\\0"\n', 2, "is a NUL character", None, None),
    "escape bytes that are not UTF-8": (HEADER + 'msgid "a"\nmsgstr "\\xe9"\n', 6, "do not make UTF-8 text",
                                        "multibyte sequence", None),
    "escape of more than a byte": ('msgid "a"\nmsgstr "\\x4142"\n', 2, "escape sequence '\\x4142' is not one byte",
                                   None, None),
    "two headers": ('msgid ""\nmsgstr "A: b\\n"\n\nmsgid ""\nmsgstr "C: d\\n"\n', 4,
                    "duplicate entry '' (first defined at line 1)", "duplicate message definition", '"A: b\\n"'),
    "header with #.": ('#. x\nmsgid ""\nmsgstr "A: b\\n"\n', 2, "has a '#.' comment", None, "#. x"),
    "header with #:": ('#: f.html:1\nmsgid ""\nmsgstr "A: b\\n"\n', 2, "has a '#:' reference", None, "#: f.html:1"),
    "header with #|": ('#| msgid "old"\nmsgid ""\nmsgstr "A: b\\n"\n', 2, "has a '#|' line", None, '"old"'),
    "header with msgid_plural": ('msgid ""\nmsgid_plural "p"\nmsgstr[0] "A: b\\n"\n', 1, "has a msgid_plural", None,
                                 '"p"'),
    "header line before its first field": (
        'msgid ""\nmsgstr ""\n"no colon\\n"\n"A: b\\n"\n', 1,
        "header line 'no colon' before the first 'Name: value' field", None, "no colon"),
    "header field twice": ('msgid ""\nmsgstr "A: 1\\nA: 2\\n"\n', 1, "header field 'A' given twice", None, "A: 1"),
    # A string polib reads into a mangled one (gettext rejects the line).
    "unterminated #| string": ('#| msgid "old\nmsgid "a"\nmsgstr "b"\n', 1, "syntax error: '#| msgid \"old'",
                               "end-of-line within string", '"old"'),
    "#~ keyword without a string": ('#~ msgid a\n#~ msgstr "b"\n', 1, "syntax error: '#~ msgid a'",
                                   "syntax error", None),
    "plural index in other digits": ('msgid "a"\nmsgid_plural "p"\nmsgstr[\u0661] "x"\n', 3, "syntax error",
                                     "syntax error", None),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_at_the_line(name):
    text, line, message, gettext_says, lost = ERRORS[name]
    with pytest.raises(CatalogError) as error:
        pofile.parse_po(text, PATH)
    assert (error.value.path, error.value.line) == (PATH, line)
    assert error.value.message.startswith("cannot parse catalog: ")
    assert message in error.value.message
    assert str(error.value).startswith(f"{PATH}:{line}: ")
    # What gettext says (None: it reads the file, into what newsloc's catalog
    # objects cannot hold).
    done = msgcat(text)
    if gettext_says is None:
        assert done.returncode == 0
    else:
        assert done.returncode != 0 and gettext_says in done.stderr.decode("utf-8")
    # polib read it without a word, and newsloc would then have written ...
    written = polib_reads(text)
    if lost is not None:
        assert lost not in written  # ... without this


def test_load_po_writes_nothing(tmp_path):
    # The command stops at the error: the file is as it was (nothing is saved).
    path = tmp_path / "story.po"
    text = 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n#~| msgid "x"\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="no entry after it") as error:
        pofile.load_po(path)
    assert (error.value.path, error.value.line) == (path, 6)
    assert path.read_text(encoding="utf-8") == text


# -- properties -------------------------------------------------------------------

STRING = st.text(alphabet='ab é\\"\t\n%#|~:', max_size=12)
BETWEEN = ["", "#,", "#.", "#:", "#~|", "# note", "#. x", "#: f.html:3", "#, fuzzy", "#~ # c", "#~ #, fuzzy"]


@st.composite
def catalog_lines(draw):
    """A valid catalog, as lines, and the msgstr texts in it; comment lines that make no
    entry between the entries, repeated, and after the last one."""
    lines = HEADER.splitlines() if draw(st.booleans()) else []
    translations = []
    for number in range(draw(st.integers(0, 6))):
        obsolete = draw(st.integers(0, 3)) == 0
        prefix = "#~ " if obsolete else ""
        lines += draw(st.lists(st.sampled_from(BETWEEN), max_size=3))
        if draw(st.booleans()):
            lines += [f"{prefix[:2]}| msgid {quote(draw(STRING))}" if obsolete else f"#| msgid {quote(draw(STRING))}"]
        if draw(st.booleans()):
            lines.append(f"{prefix}msgctxt {quote(draw(STRING))}")
        lines.append(f"{prefix}msgid {quote(f'm{number} ' + draw(STRING))}")
        if draw(st.booleans()):
            lines.append(f"{prefix}msgid_plural {quote(draw(STRING) + 's')}")
            for index in range(draw(st.integers(1, 13))):
                value = f"t{number}.{index} " + draw(STRING)
                translations.append(value)
                lines.append(f"{prefix}msgstr[{index}] {quote(value)}")
        else:
            value = f"t{number} " + draw(STRING)
            translations.append(value)
            lines.append(f"{prefix}msgstr {quote(value)}")
    lines += draw(st.lists(st.sampled_from(BETWEEN), max_size=4))
    return lines, translations


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


@given(catalog_lines(), st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_translation_is_read(catalog, newline):
    lines, translations = catalog
    text = newline.join(lines) + newline
    po = pofile.parse_po(text, PATH)
    read = [s for e in po for s in (e.msgstr_plural.values() if e.msgid_plural else [e.msgstr])]
    assert sorted(read) == sorted(translations)
    again = pofile.parse_po(pofile.format_po(po), PATH)  # saved and read again: the same
    assert summary(again) == [s for s in summary(po) if not s[3]] + [s for s in summary(po) if s[3]]
    done = msgcat(("" if lines[:1] == ['msgid ""'] else HEADER) + "\n".join(lines) + "\n")  # gettext reads the same
    assert done.returncode == 0
    assert Counter(map(repr, summary(pofile.parse_po(done.stdout.decode("utf-8"), PATH)))) == \
        Counter(map(repr, summary(po)))


DEFECTS = ["#~| msgid \"q\"", "#| msgid \"p\"", "#| \"p2\"", "#~| \"q2\"", "msgstr[12] \"x12\"", "msgstr[1] \"dup\"",
           "msgctxt \"k\"", "msgid \"orphan\"", "msgstr \"orphan\"", "msgid_plural \"ps\"", "\"cont\"",
           "#~ msgstr \"o\"", "\"\\a\\101\\x42\"", "msgid \"\"", *BETWEEN]


@given(catalog_lines(), st.lists(st.tuples(st.integers(0, 60), st.sampled_from(DEFECTS)), min_size=1, max_size=3))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_what_gettext_reads_or_an_error(catalog, defects):
    # Lines inserted anywhere: where gettext reads the text, newsloc reads the
    # same entries or raises; it never reads something else.
    lines = list(catalog[0])
    for at, line in defects:
        lines.insert(at % (len(lines) + 1), line)
    text = "\n".join(lines) + "\n"
    try:
        po = pofile.parse_po(text, PATH)
    except CatalogError as error:
        assert error.path == PATH and error.line
        return
    done = msgcat(text)
    if done.returncode != 0:
        return
    gettext = pofile.parse_po(done.stdout.decode("utf-8"), PATH)
    kept = [e for e in po if not e.obsolete or first_msgstr(e)]  # gettext drops the others
    assert Counter(map(repr, summary(gettext))) == Counter(map(repr, summary(kept)))
    assert Counter(previous(gettext)) == Counter(previous(kept))
    assert gettext.metadata == po.metadata


def first_msgstr(entry: polib.POEntry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def previous(po) -> list[tuple]:
    return [(e.msgid, e.previous_msgctxt, e.previous_msgid) for e in po]
