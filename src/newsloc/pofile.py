"""Reading and writing PO/POT files: the only module that touches them on disk.

Catalogs are polib objects.  Reading builds exactly the objects polib's
parser would, faster (see :func:`_read_po`; polib itself reads whatever that
does not handle); writing lays the text out exactly as GNU ``msgcat`` would
(see :mod:`newsloc.powrap`), so saving in Poedit or running gettext tools
produces no diff noise.

Writes never lose a translator's work:

* a write goes to a temporary file in the same folder, then ``os.replace``
  (atomic on POSIX), so no PO file is ever half-written; a file that is a
  symbolic link is written through it (the temporary file goes beside the
  file it points to, which the rename replaces: the link stays a link);
* a file whose bytes would not change is not rewritten (its mtime stays);
* before replacing a file we compare what is on disk with the fingerprint of
  what we read; if a translator saved in the meantime we raise
  :class:`~newsloc.errors.ConcurrentEditError` and write nothing.

A catalog (``.po``) holds translators' work, so its temporary file is made
durable (flushed to the disk) before the rename; a template (``.pot``) is
rebuilt from ``source/`` at will and is not.  :func:`save_po` writes one file
(one ``fsync``).  Writing many catalogs, :class:`WriteBatch` stages the
temporary files first, makes them all durable with one ``syncfs`` of their
filesystem (an ``fsync`` costs a journal commit each: ~4 ms on the
development VM, so 4,000 catalogs took 16 s), then renames them one by one,
each after the same check against a concurrent save.  The guarantees are
the same: no file is ever half-written (each appears whole, by rename, after
its data is on the disk), and a file changed on disk since it was read is
not replaced.
"""

from __future__ import annotations

import array
import codecs
import ctypes
import errno
import functools
import hashlib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from operator import add, itemgetter
from pathlib import Path
from typing import NamedTuple

import polib

from .errors import CatalogError, ConcurrentEditError

try:  # gettext-identical layout; falls back to polib's own when unavailable
    from .powrap import format_po as _format_po
except ImportError:  # pragma: no cover - powrap is part of the package
    _format_po = None

MISSING = "missing"  # stamp of a file that did not exist when read


@dataclass
class LoadedPO:
    """A parsed catalog and the fingerprint of the bytes it was parsed from."""

    po: polib.POFile
    stamp: str
    path: Path


def read_bytes(path: Path | str) -> bytes:
    """The bytes of a file, with fewer system calls than ``Path.read_bytes``
    (no buffered reader: it asks isatty and seeks), which shows on slow disks."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        # One read of the whole file (asking for a byte more than its size),
        # then one that finds the end; a file that grows meanwhile is read on.
        wanted = os.fstat(fd).st_size + 1
        chunks = []
        while True:
            chunk = os.read(fd, wanted)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            wanted = 65536
    finally:
        os.close(fd)


def fingerprint(path: Path) -> str:
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except FileNotFoundError:
        return MISSING


# One line of a PO file: blank, a comment, or a keyword and/or a complete quoted
# string.  polib (and Babel) silently drop or truncate entries with an
# unterminated string, which would lose a translation on the next write, so
# every line is checked against the PO grammar's lexical level first.
_PO_LINE = re.compile(
    r'^\s*(?:'
    r'|#.*'
    r'|(?:#~\s*)?(?:#\|\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"'
    r')\s*$'
)


def check_po_lines(text: str, path: Path) -> None:
    """Raise CatalogError at the first line that is not valid PO syntax."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.match(line):
            raise CatalogError(f"cannot parse catalog: syntax error: {line.strip()[:60]!r}", path, number)


# --- fast reader -------------------------------------------------------------
# polib's parser is a general state machine (per line: a split, a method
# call through a transition table, a regex search for stray quotes and a
# ``re.sub`` with a Python callback; per entry: a constructor that looks up
# 15 keywords): 0.3 ms of a 17-entry catalog, with check_po_lines' regex on
# every line before it, and load_po runs for every catalog of every command.
# _read_po is a port of that state machine (polib 1.2.0:
# ``_POFileParser.parse``, its ``handle_*`` methods and transition table,
# ``detect_encoding``, ``unescape``) that reads each line once, with str
# methods, doing check_po_lines' job on the way.  It returns the very
# objects ``polib.pofile(text, wrapwidth=79)`` returns: same classes, same
# attributes with the same values, types and order (see
# tests/test_pofile_reader.py, which compares them on catalogs written by
# msgcat, Poedit, polib and newsloc, and on random ones) -- for every text
# from which polib loses nothing.
#
# Where polib would silently lose or corrupt what the file says, _read_po
# does what GNU gettext (msgcat 0.21) does instead, or raises CatalogError
# at the line, saying what is wrong (tests/test_pofile_loss.py has each
# case, with what msgcat does with it):
#
# * the last entry is kept whatever comment lines follow it (polib drops it
#   when the file ends with a line it skips: ``#~| ...``, a bare ``#,``,
#   ``#.`` or ``#:``); comment lines after the last entry make no entry, as
#   in gettext, but ``#| msgid ...`` there (nothing for it to belong to) is
#   an error;
# * ``#~| msgid ...`` (an obsolete entry's previous msgid, which polib
#   skips) is read like ``#| msgid ...``;
# * ``msgstr[12]`` is index 12 (polib reads one digit: index 1); as in
#   gettext, the indices of an entry are 0, 1, 2... in order (any other, or
#   one given twice, is an error: polib kept the last), and an active entry
#   has no more forms than the header's ``nplurals`` (msgfmt's fatal error);
# * a msgid without msgstr, a msgctxt without msgid, a msgstr or msgstr[N]
#   without msgid, msgstr after msgid_plural, msgstr[N] without
#   msgid_plural, an empty msgid_plural (unless polib's result is written
#   the same), a msgid_plural or previous string given twice in an entry,
#   a ``#| "..."`` line continuing a msgid or msgstr: errors (polib merges
#   entries, drops the text, keeps what newsloc's writer drops or puts a
#   comment's text into a msgid);
# * an entry is obsolete (``#~``) in all its keyword and string lines or in
#   none (gettext's "inconsistent use of #~"; polib went by the msgid's line):
#   else an error;
# * escapes: gettext's ``\a``, octal and ``\x`` ones are decoded (polib
#   keeps them as text, which the writer then escapes: "\a" would become
#   "\\a"); escapes gettext rejects (``\q``, ``\'``), a NUL, bytes that are
#   not UTF-8: errors;
# * the header is the entry with an empty msgid and *no msgctxt*; a second
#   one is a duplicate; its translator comments are kept with the file's
#   header comments; flags other than fuzzy do not make it fuzzy (polib's
#   metadata_is_fuzzy is the list of its flags); anything else on it that
#   polib drops (``#.``, ``#:``, ``#|`` lines, msgid_plural, a line before
#   the first "Name: value" field, a field given twice) is an error;
# * a translator comment keeps a ``#`` right after the first (``##x`` is
#   "#x", polib's "x"); so do header comments, which also keep the
#   character after ``#`` when it is not a space (``#\tx``);
# * lines are gettext's (parse_po cuts the text at "\n" only): polib cuts
#   them at U+2028, a form feed... too (see _OTHER_LINE_BREAKS), which
#   Poedit writes as they are in a string; a line break other than "\n" in
#   the header's msgstr (polib's fields end there) is an error;
# * a text that names an existing file is read as text (polib reads the file).
#
# An input polib rejects keeps polib's error (parse_po asks polib first).
# Whatever else _read_po does not port it leaves to polib: it returns the
# number of the line where it stopped, and parse_po checks the lines and
# parses with polib, as it always did, for polib's error message.  That is:
# any line check_po_lines rejects (the first line with a BOM included);
# anything polib reports as a syntax error (an unknown comment such as
# ``#foo``, a keyword out of place, ``#|`` without a keyword, ``#~ #|
# ...``); a ``#~``/``#|`` line whose string is not one complete quoted
# string; ``msgstr[N]`` with a digit that is not ASCII; a ``#~|`` line
# inside an entry or continued by another kind of line.  Where polib reads
# these (into a mangled string, an index, or skipping the line), parse_po
# raises a syntax error at the line itself.
_POLIB_PORTED = {"1.2.0"}
_PLURAL_KEYWORD = re.compile(r"msgstr\[[0-9]+\]")
# The inside of a complete quoted string (as _PO_LINE has it), unrolled for speed.
_QUOTED_INSIDE = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*')
# An escape polib does not decode, in the inside of a complete quoted string.
_ODD_ESCAPE = re.compile(r'(?<!\\)(?:\\\\)*\\[^\\ntrvbf"]')
_ESCAPE = re.compile(r'\\(?:([0-7]{1,3})|x([0-9A-Fa-f]*)|(.))', re.S)
_SIMPLE_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "v": b"\v", "b": b"\b", "f": b"\f", "a": b"\a",
                   "\\": b"\\", '"': b'"'}
_CHARSET = re.compile(r'"?Content-Type:.+? charset=([\w_\-:\.]+)')  # polib.detect_encoding's
# polib.pofile(text) reads the file if the text is the name of one.  Linux
# resolves no path of 4096 bytes or more (macOS: 1024), so only a shorter
# text is looked up (a stat, ~3 us).
_PATH_MAX = 4096

# polib's states: st (start), he (header comment), tc, gc, oc, fl (comments,
# references, flags), pc, pm, pp (previous msgctxt, msgid, msgid_plural), ct,
# mi, mp, ms, mx (msgctxt, msgid, msgid_plural, msgstr, msgstr[N]).  A line
# of kind X may follow these states (else polib raises a syntax error); a
# continuation line ("...") keeps the state.
_ALL_STATES = frozenset({"st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi"})
_FOLLOWS = {
    "he": frozenset({"st", "he"}),  # a translator comment before any entry: the file's header
    "tc": frozenset({"gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mp", "mx", "mi"}),
    "gc": _ALL_STATES, "oc": _ALL_STATES, "fl": _ALL_STATES,
    "pc": _ALL_STATES, "pm": _ALL_STATES, "pp": _ALL_STATES,
    "ct": frozenset({"st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"}),
    "mi": frozenset({"st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx"}),
    "mp": frozenset({"tc", "gc", "pc", "pm", "pp", "mi"}),
    "ms": frozenset({"mi", "mp", "tc"}),
    "mx": frozenset({"mi", "mx", "mp", "tc"}),
    "mc": frozenset({"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"}),
}
_FIELD_OF_STATE = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
                   "pm": "previous_msgid", "pp": "previous_msgid_plural", "pc": "previous_msgctxt"}
_PREVIOUS = {"msgctxt": ("pc", "previous_msgctxt"), "msgid": ("pm", "previous_msgid"),
             "msgid_plural": ("pp", "previous_msgid_plural")}
_ENTRY_ATTRIBUTES = ["msgid", "msgstr", "msgid_plural", "msgstr_plural", "msgctxt", "obsolete", "encoding",
                     "comment", "tcomment", "occurrences", "flags", "previous_msgctxt", "previous_msgid",
                     "previous_msgid_plural", "linenum"]


def _ported_polib() -> tuple[dict | None, bool]:
    """A new POEntry's attributes (None if this polib's entries do not have those
    _read_po sets), and whether this polib parses the way _read_po does."""
    try:
        entry = polib.POEntry(linenum=0).__dict__
    except Exception:  # pragma: no cover - another polib
        return None, False
    if not set(_ENTRY_ATTRIBUTES) <= set(entry):  # pragma: no cover
        return None, False
    try:
        parser = polib._POFileParser("")
        follows: dict[str, set] = {}
        for (symbol, state), (action, _) in parser.transitions.items():
            kind = "he" if action.__name__ == "handle_he" else symbol
            follows.setdefault(kind, set()).add(state)
    except Exception:  # pragma: no cover - another polib
        return entry, False
    ported = polib.__version__ in _POLIB_PORTED and follows == _FOLLOWS and list(entry) == _ENTRY_ATTRIBUTES
    return entry, ported


# Another polib (another parser, entries with more attributes) is still read
# by _read_po, which loses nothing whatever polib does; only the objects may
# then differ from that polib's own, and its error messages from _read_po's
# choice of what to leave to it (see test_the_port_is_active).
_NEW_ENTRY, _PORTED = _ported_polib()


def _unescape(text: str) -> str:
    """``polib.unescape(text)``: ``\\\\ \\n \\t \\r \\v \\b \\f \\"`` decoded, other backslashes kept.

    polib scans left to right, so ``\\\\`` pairs up first: splitting on
    them leaves pieces whose backslashes are single, where each escape can
    be replaced on its own (none of the replacements makes a backslash).
    """
    if "\\" not in text:
        return text
    if "\\\\" in text:
        return "\\".join([_unescape_piece(piece) for piece in text.split("\\\\")])
    return _unescape_piece(text)


def _unescape_piece(text: str) -> str:
    if "\\n" in text:
        text = text.replace("\\n", "\n")
        if "\\" not in text:
            return text
    return (text.replace("\\t", "\t").replace("\\r", "\r").replace("\\v", "\v")
            .replace("\\b", "\b").replace("\\f", "\f").replace('\\"', '"'))


def _string(quoted: str) -> str | None:
    """The value of one complete quoted string (``"..."``, escapes decoded as polib does), else None."""
    inside = quoted[1:-1]
    if len(quoted) < 2 or quoted[-1] != '"':
        return None
    if "\\" not in inside:
        return None if '"' in inside else inside
    return _unescape(inside) if _QUOTED_INSIDE.fullmatch(inside) else None


def _lost(message: str, line: int) -> CatalogError:
    """The error for what polib would lose or mangle (parse_po adds the path)."""
    return CatalogError(f"cannot parse catalog: {message}", None, line)


def _gettext_unescape(inside: str, line: int) -> str:
    """The inside of a complete quoted string decoded as gettext does, for one with
    an escape polib does not decode (``\\a``, octal, ``\\x``); CatalogError for an
    escape gettext rejects, a NUL, or bytes that are not UTF-8."""
    out = bytearray()
    start = 0
    for match in _ESCAPE.finditer(inside):
        out += inside[start:match.start()].encode("utf-8")
        start = match.end()
        octal, hexadecimal, other = match.groups()
        if other is not None:
            simple = _SIMPLE_ESCAPES.get(other)
            if simple is None:
                raise _lost(f"invalid escape sequence '{match.group()}' in a string "
                            "(gettext knows \\n \\t \\r \\a \\b \\f \\v \\\\ \\\" \\NNN \\xHH)", line)
            out += simple
            continue
        if hexadecimal == "":
            raise _lost("invalid escape sequence '\\x' in a string (no hexadecimal digit after it)", line)
        code = int(octal, 8) if octal is not None else int(hexadecimal, 16)
        if code == 0:
            raise _lost(f"'{match.group()}' in a string is a NUL character, which ends a string in gettext", line)
        if code > 0xFF:
            raise _lost(f"escape sequence '{match.group()}' is not one byte", line)
        out.append(code)
    out += inside[start:].encode("utf-8")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise _lost("the escape sequences of a string do not make UTF-8 text", line) from None


def _read_po(text: str, lines: list[str]) -> polib.POFile | int:
    """``polib.pofile(text, wrapwidth=79)`` for ``text`` (its ``lines``, see parse_po) if
    every line passes check_po_lines and polib loses nothing of it; CatalogError (without
    its path) where polib would lose or mangle text; else the number of the line
    where it stopped (0: a polib whose entries it cannot make), for polib to name
    the error (see above)."""
    if _NEW_ENTRY is None:
        return 0
    template = dict(_NEW_ENTRY, encoding=polib.default_encoding)  # what POEntry() sets now
    string, inside_ok, unescape, odd_escape = _string, _QUOTED_INSIDE.fullmatch, _unescape, _ODD_ESCAPE.search
    follows_mi, follows_ct, follows_mp = _FOLLOWS["mi"], _FOLLOWS["ct"], _FOLLOWS["mp"]
    follows_mx, follows_tc, follows_mc = _FOLLOWS["mx"], _FOLLOWS["tc"], _FOLLOWS["mc"]
    done: list[dict] = []  # the attributes of each entry read, in order
    entry = template.copy()  # polib's first entry has line number 0
    entry["msgstr_plural"], entry["occurrences"], entry["flags"] = {}, [], []
    # Lines of the current entry's msgid, msgctxt, msgid_plural and first
    # previous (#|) string (0: none yet), to tell a complete entry from one
    # polib would merge with the next or lose.
    msgid_at = msgctxt_at = plural_at = previous_at = 0
    empty_msgids: list[tuple[int, int]] = []  # (index in done, line) of each 'msgid ""': header candidates
    empty_plurals: list[tuple[dict, int]] = []  # (entry, line) of each 'msgid_plural ""'
    plural_lines: list[tuple[dict, int, int]] = []  # (entry, index, line) of each msgstr[N], N > 0
    obsolete_starts: list[tuple[int, int]] = []  # (index in done, first keyword line) of each obsolete entry
    ctxt_obsolete = 0  # the last msgctxt was obsolete
    header_pieces: list[str] = []
    tilde_at = 0  # the last "#~| ..." line
    previous_tilde = False  # the last previous string (#|) was started by a "#~|" line
    state = "st"
    plural_index = 0
    # The pieces of the string being continued ('"..."' or '#| "..."' lines):
    # its value so far, then each line's, joined once into ``open_in[open_key]``
    # by the next line that does not continue it.  Adding each piece to the
    # string in the entry (+=) copies the string so far every time: reading a
    # paragraph of 800,000 words (37,000 lines) took 22 s instead of 0.1 s.
    pieces: list[str] | None = None
    open_in: dict = entry
    open_key: object = None
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        head = line[0]
        obsolete = 0
        if head == "#" and line[1:2] == "~":
            third = line[2:3]
            if third == "|":  # "#~| ...": an obsolete entry's previous msgid (polib skips the line)
                if len(line) == 3:  # a bare "#~|": gettext skips it too
                    continue
                if not line[3].isspace():
                    return number
                if state == "ct" or state == "mi" or state == "mp":
                    # Inside an entry (gettext: a syntax error).  Elsewhere
                    # polib, skipping it, rejects what follows iff _read_po does.
                    return number
                line = "#| " + line[4:].lstrip()  # read as the "#| ..." line it is
                tilde_at = number
            else:
                if not third.isspace():  # "#~" alone, "#~x": polib's syntax error
                    return number
                line = line[3:].strip()  # what follows "#~ " is read as a line of its own
                head = line[0]
                obsolete = 1
                # An entry is obsolete in all its keyword and string lines or in none
                # (gettext: "inconsistent use of #~").  Here: a "#~" line that goes on
                # with an active entry; an obsolete entry's other lines are checked
                # after the loop, msgctxt against msgid at the msgid.
                if not entry["obsolete"] and (head == '"' or (head == "m" and (
                        line.startswith("msgstr") or line.startswith("msgid_plural")))):
                    if state == "ct":  # continues a msgctxt
                        active = head == '"' and not ctxt_obsolete
                    else:  # continues a msgid (not a "#|" string)
                        active = msgid_at and not entry["obsolete"] and state not in ("pm", "pc", "pp")
                    if active:
                        raise _lost("inconsistent use of #~: this line is obsolete, the entry it belongs to "
                                    "is not", number)

        if head == '"':  # the next piece of the string being read (header, wrapped strings)
            value = line[1:-1]
            if len(line) < 2 or line[-1] != '"':
                return number
            if "\\" in value:
                if not inside_ok(value):
                    return number
                raw, value = value, unescape(value)
                if "\\" in value and odd_escape(raw):
                    value = _gettext_unescape(raw, number)
            elif '"' in value:
                return number
            if pieces is not None:  # (only ever the string of this state: any other line closes it)
                pieces.append(value)
            elif state == "ms":
                pieces, open_in, open_key = [entry["msgstr"], value], entry, "msgstr"
            elif state == "mi":
                pieces, open_in, open_key = [entry["msgid"], value], entry, "msgid"
            elif state == "mx":
                open_in, open_key = entry["msgstr_plural"], plural_index
                pieces = [open_in[open_key], value]
            elif state in follows_mc:
                if previous_tilde and (state == "pm" or state == "pc" or state == "pp"):
                    return number  # only "#~| ..." continues a "#~|" string (polib skipped that)
                open_in, open_key = entry, _FIELD_OF_STATE[state]
                pieces = [entry[open_key], value]
            else:
                return number
            continue

        if head == "m":  # keyword "string"
            if pieces is not None:  # the string being continued is complete
                open_in[open_key] = "".join(pieces)
                pieces = None
            keyword, _, quoted = line.partition(" ")
            if quoted[:1] != '"':  # other spacing than one space
                quote = line.find('"')
                keyword = line[:quote].rstrip()
                if quote < 0 or len(keyword) == quote:
                    return number
                quoted = line[quote:]
            value = quoted[1:-1]
            if quoted[-1] != '"' or len(quoted) < 2:
                return number
            if "\\" in value:
                if not inside_ok(value):
                    return number
                raw, value = value, unescape(value)
                if "\\" in value and odd_escape(raw):
                    value = _gettext_unescape(raw, number)
            elif '"' in value:
                return number
            if keyword == "msgid":
                if state not in follows_mi:
                    return number
                if state == "ms" or state == "mx":  # a new entry starts here
                    done.append(entry)
                    entry = template.copy()
                    entry["msgstr_plural"], entry["occurrences"], entry["flags"] = {}, [], []
                    entry["linenum"] = number
                    msgctxt_at = plural_at = previous_at = 0
                elif msgid_at:  # polib would put this msgid in place of the other
                    raise _lost("missing msgstr after this msgid", msgid_at)
                if msgctxt_at and obsolete != ctxt_obsolete:
                    raise _lost(f"inconsistent use of #~: the msgid is {'' if obsolete else 'not '}obsolete, "
                                f"its msgctxt (line {msgctxt_at}) {'is not' if obsolete else 'is'}", number)
                entry["obsolete"] = obsolete
                if obsolete:  # its lines are checked after the loop (it will be done[len(done)])
                    obsolete_starts.append((len(done), msgctxt_at or number))
                entry["msgid"] = value
                if value == "":
                    empty_msgids.append((len(done), number))
                msgid_at = number
                state = "mi"
            elif keyword == "msgstr":
                if state != "mi" and state != "mp" and state != "tc":
                    return number
                if not msgid_at:  # polib would give it to an entry with an empty msgid
                    raise _lost("msgstr without a msgid before it", number)
                if plural_at:  # the writer would keep msgstr[N] only
                    raise _lost(f"msgstr in an entry with msgid_plural (line {plural_at}): "
                                "its translations are msgstr[0], msgstr[1], ...", number)
                entry["msgstr"] = value
                state = "ms"
            elif keyword == "msgctxt":
                if state not in follows_ct:
                    return number
                if state == "ms" or state == "mx":
                    done.append(entry)
                    entry = template.copy()
                    entry["msgstr_plural"], entry["occurrences"], entry["flags"] = {}, [], []
                    entry["linenum"] = number
                    msgid_at = plural_at = previous_at = 0
                elif msgid_at:
                    raise _lost("missing msgstr after this msgid", msgid_at)
                elif msgctxt_at:  # polib would put this msgctxt in place of the other
                    raise _lost("missing msgid after this msgctxt", msgctxt_at)
                entry["msgctxt"] = value
                ctxt_obsolete = obsolete
                msgctxt_at = number
                state = "ct"
            elif keyword == "msgid_plural":
                if state not in follows_mp:
                    return number
                if not msgid_at:
                    raise _lost("msgid_plural without a msgid before it", number)
                if plural_at:
                    raise _lost(f"a second msgid_plural in one entry (the first at line {plural_at})", number)
                entry["msgid_plural"] = value
                if value == "":
                    empty_plurals.append((entry, number))
                plural_at = number
                state = "mp"
            elif _PLURAL_KEYWORD.fullmatch(keyword):
                if state not in follows_mx:
                    return number
                if not msgid_at:
                    raise _lost(f"{keyword} without a msgid before it", number)
                if not plural_at:  # the writer would write msgstr only
                    raise _lost(f"{keyword} in an entry without msgid_plural", number)
                plural_index = int(keyword[7:-1])  # all its digits (polib reads one: msgstr[12] is msgstr[1])
                plurals = entry["msgstr_plural"]
                if plural_index != len(plurals):  # gettext: msgstr[0], msgstr[1]... in order
                    if plural_index in plurals:
                        raise _lost(f"a second msgstr[{plural_index}] in one entry", number)
                    if not plurals:
                        raise _lost(f"{keyword}: first plural form has nonzero index (gettext wants msgstr[0] "
                                    "first)", number)
                    raise _lost(f"{keyword}: plural form has wrong index (msgstr[{len(plurals)}] expected)",
                                number)
                if plural_index:  # checked against the header's nplurals at the end
                    plural_lines.append((entry, plural_index, number))
                plurals[plural_index] = value
                state = "mx"
            else:
                return number
            continue

        if head != "#":
            return number
        # A comment.  polib tells them apart by their first word.
        second = line[1:2]
        if len(line) == 2 and second in ":,.":  # "#:", "#,", "#." alone: polib skips the line
            continue
        marker = line[2:3].isspace()  # "#:", "#,", "#.", "#|" a word of its own
        if second == "#" or not second or second.isspace():  # "# ...", "#", "##...": translator's
            # What follows "#" and one space (polib: what follows all the "#",
            # and one space; in the header, the first two characters).
            comment = line[1:]
            if comment[:1] == " ":
                comment = comment[1:]
            if state == "st" or state == "he":  # before any entry: the file's header
                if comment or header_pieces:  # (polib drops blank lines at its start)
                    header_pieces.append(comment)
                state = "he"
                continue
            if state not in follows_tc:
                return number
            kind = "tc"
        elif marker and second in ":.,|":
            kind = second
        else:
            return number
        if kind == "|":  # "#| msgid ..." previous msgid, or "#| ..." its next piece
            rest = line[2:].lstrip()
            if rest[0] == '"':
                value = string(rest)
                if value is None or state not in follows_mc:
                    return number
                if state != "pm" and state != "pc" and state != "pp":  # polib: the msgid, msgstr... read
                    field = _FIELD_OF_STATE.get(state, "msgstr[N]")
                    raise _lost(f"'#| \"...\"' line after {field}: it continues only a '#| msgid' "
                                "(or msgctxt, msgid_plural) string", number)
                if previous_tilde != (tilde_at == number):
                    return number  # "#~| ..." continues a "#~|" string, "#| ..." a "#|" one
                if "\\" in value and odd_escape(rest):
                    value = _gettext_unescape(rest[1:-1], number)
                if pieces is None:
                    open_in, open_key = entry, _FIELD_OF_STATE[state]
                    pieces = [entry[open_key], value]
                else:  # (the same string: see above)
                    pieces.append(value)
                continue
            if obsolete:  # "#~ #| msgid ...": polib's syntax error
                return number
            quote = rest.find('"')
            keyword = rest[:quote].rstrip()
            previous = _PREVIOUS.get(keyword)
            if quote < 0 or len(keyword) == quote or previous is None:
                return number
            value = string(rest[quote:])
            if value is None:
                return number
            if "\\" in value and odd_escape(rest, quote):
                value = _gettext_unescape(rest[quote + 1:-1], number)
        if pieces is not None:  # the string being continued is complete
            open_in[open_key] = "".join(pieces)
            pieces = None
        if state == "ms" or state == "mx":  # a new entry starts here
            done.append(entry)
            entry = template.copy()
            entry["msgstr_plural"], entry["occurrences"], entry["flags"] = {}, [], []
            entry["linenum"] = number
            msgid_at = msgctxt_at = plural_at = previous_at = 0
        if kind == ":":
            occurrences = entry["occurrences"]
            for occurrence in line[3:].split():
                try:
                    file, at = occurrence.rsplit(":", 1)
                    if not at.isdigit():
                        file, at = occurrence, ""
                    occurrences.append((file, at))
                except ValueError:
                    occurrences.append((occurrence, ""))
            state = "oc"
        elif kind == ".":
            if entry["comment"] != "":
                entry["comment"] += "\n"
            entry["comment"] += line[3:]
            state = "gc"
        elif kind == "tc":
            if entry["tcomment"] != "":
                entry["tcomment"] += "\n"
            entry["tcomment"] += comment
            state = "tc"
        elif kind == ",":
            entry["flags"] += [flag.strip() for flag in line[3:].split(",")]
            state = "fl"
        else:  # "|"
            state, field = previous
            if entry[field] is not None:  # polib keeps the last
                raise _lost(f"a second '#| {keyword}' in one entry", number)
            entry[field] = value
            previous_at = previous_at or number
            previous_tilde = tilde_at == number
    if pieces is not None:
        open_in[open_key] = "".join(pieces)
    # The end: the entry being read is complete (polib drops it when the
    # last line is a comment it skips) or there is none; comment lines
    # after the last entry make no entry (gettext ignores them too).
    if state == "ms" or state == "mx":
        done.append(entry)
    elif msgid_at:
        raise _lost("missing msgstr after this msgid", msgid_at)
    elif msgctxt_at:
        raise _lost("missing msgid after this msgctxt", msgctxt_at)
    elif previous_at:
        raise _lost("'#|' line with no entry after it", previous_at)
    if obsolete_starts:
        _check_obsolete_lines(done, obsolete_starts, lines)
    for attributes, line_number in empty_plurals:
        # polib's "not a plural entry": the writer would write msgstr, not msgstr[N]
        # (and drop an obsolete entry, as its msgstr is empty)
        # (gettext drops an obsolete entry whose first form is empty, or whose msgid is
        # empty, an old header: there nothing is lost)
        if attributes["msgid_plural"] == "" and (not attributes["obsolete"]
                                                 or attributes["msgstr_plural"].get(0)
                                                 and attributes["msgid"] != ""):
            raise _lost("empty msgid_plural: newsloc would write the entry without it and its msgstr[N]",
                        line_number)

    # The header: the (non-obsolete) entry with an empty msgid and no msgctxt.
    metadata_at = header_line = None
    for index, line_number in empty_msgids:
        attributes = done[index]
        if attributes["msgid"] != "" or attributes["msgctxt"] is not None or attributes["obsolete"]:
            continue
        if metadata_at is not None:
            raise _lost(f"duplicate entry '' (first defined at line {done[metadata_at]['linenum'] or 1})",
                        attributes["linenum"] or 1)
        metadata_at, header_line = index, line_number
    po = polib.POFile(encoding=_detect_encoding(text), check_for_duplicates=False)
    po.header = "\n".join(header_pieces)
    if metadata_at is not None:
        attributes = done.pop(metadata_at)
        _check_header(attributes, header_line)
        if attributes["tcomment"]:  # its comments after a "#," or "#." line: polib drops them
            po.header = f"{po.header}\n{attributes['tcomment']}" if header_pieces else attributes["tcomment"]
        po.metadata_is_fuzzy = attributes["flags"]
        msgstr = attributes["msgstr"]
        if (not msgstr.isascii() or "\r" in msgstr or "\x0b" in msgstr or "\x0c" in msgstr or "\x1c" in msgstr
                or "\x1d" in msgstr or "\x1e" in msgstr) and _HEADER_BREAKS.search(msgstr):
            # polib's fields end there too: the character would become "\n"
            raise _lost("a line break other than \\n in the header (\\r, \\f, U+2028...)", header_line)
        metadata = po.metadata
        key = None
        for message in msgstr.splitlines():
            try:
                key, content = message.split(":", 1)
            except ValueError:
                if key is not None:
                    metadata[key] += "\n" + message.strip()
                elif message.strip():  # polib drops it
                    raise _lost(f"header line {message[:60]!r} before the first 'Name: value' field",
                                header_line) from None
                continue
            if key in metadata:  # polib keeps the last
                raise _lost(f"header field {key!r} given twice", header_line)
            metadata[key] = content.strip()
    if plural_lines:
        _check_plural_count(plural_lines, po.metadata.get("Plural-Forms"))
    new, entry_class, append = polib.POEntry.__new__, polib.POEntry, list.append
    for attributes in done:
        made = new(entry_class)
        made.__dict__ = attributes
        append(po, made)
    po.wrapwidth = 79
    return po


def _check_obsolete_lines(done: list[dict], obsolete_starts: list[tuple[int, int]], lines: list[str]) -> None:
    """CatalogError at the first keyword or string line without ``#~`` in an obsolete entry
    (gettext: "inconsistent use of #~"; polib made the entry obsolete, on its msgid's word).

    An entry's lines run from its first keyword line to the first line of the
    next entry; what is in between is blank, ``#~`` lines, or comments."""
    last = len(done) - 1
    for index, start in obsolete_starts:
        end = done[index + 1]["linenum"] if index < last else len(lines) + 1
        for number, line in enumerate(lines[start - 1:end - 1], start):
            if line[:1] == "#":  # most lines
                continue
            head = line.lstrip()[:1]
            if head == '"' or head == "m":
                raise _lost("inconsistent use of #~: this line is not obsolete, the entry it belongs to is",
                            number)


_NPLURALS = re.compile(r"^\s*nplurals\s*=\s*(\d+)")


def _check_plural_count(plural_lines: list[tuple[dict, int, int]], plural_forms: str | None) -> None:
    """CatalogError at the first msgstr[N] of an active entry beyond the header's nplurals
    (msgfmt: a fatal error; a gettext runtime would never show that form)."""
    match = _NPLURALS.match(plural_forms or "")
    if match is None:  # no (usable) header: nothing to count against
        return
    count = int(match.group(1))
    for attributes, index, line in plural_lines:
        if index >= count and not attributes["obsolete"]:
            raise _lost(f"msgstr[{index}]: plural form index out of range: the header's Plural-Forms has "
                        f"nplurals={count} (msgstr[0] to msgstr[{count - 1}])", line)


def _check_header(attributes: dict, line: int) -> None:
    """CatalogError for what the header entry has that a POFile does not keep
    (flags without "fuzzy" are dropped: polib would make the header fuzzy)."""
    if attributes["comment"]:
        raise _lost("the header entry (msgid \"\") has a '#.' comment, which newsloc cannot keep", line)
    if attributes["occurrences"]:
        raise _lost("the header entry (msgid \"\") has a '#:' reference, which newsloc cannot keep", line)
    if (attributes["previous_msgctxt"] is not None or attributes["previous_msgid"] is not None
            or attributes["previous_msgid_plural"] is not None):
        raise _lost("the header entry (msgid \"\") has a '#|' line, which newsloc cannot keep", line)
    if attributes["msgid_plural"] or attributes["msgstr_plural"]:
        raise _lost("the header entry (msgid \"\") has a msgid_plural", line)
    if attributes["flags"] and "fuzzy" not in attributes["flags"] and attributes["msgstr"]:
        # polib keeps the flags as metadata_is_fuzzy, which the writer takes
        # for "fuzzy" (unless the msgstr is empty): other flags (gettext keeps
        # no-wrap, c-format... there: they change no text) must not make the
        # header fuzzy.
        attributes["flags"] = []


def _detect_encoding(text: str) -> str:
    """``polib.detect_encoding(text)`` for a text that is not a file name."""
    start = text.find("Content-Type:")
    if start >= 0:
        # polib searches the whole text; no match can start before the first
        # "Content-Type:" (or the quote before it).
        match = _CHARSET.search(text, max(start - 1, 0))
        if match:
            charset = match.group(1).strip()
            try:
                codecs.lookup(charset)
            except LookupError:
                pass
            else:
                return charset
    return polib.default_encoding


# Characters other than "\n" and "\r" that str.splitlines (so polib) takes
# for the end of a line; gettext does not (nor _read_po, given gettext's lines).
_OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_HEADER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def parse_po(text: str, path: Path) -> polib.POFile:
    """Parse PO text; syntax errors and duplicate entries raise CatalogError with the line.

    So does anything from which polib would silently lose or mangle text
    (see :func:`_read_po`): nothing a translator wrote is lost on the next write.
    """
    # gettext's lines, cut at "\n" only (a "\r" before it is stripped with
    # the line): str.splitlines, as polib, also cuts at a U+2028, a form feed...
    # which Poedit writes as they are in a string (polib: a syntax error), and
    # in a comment the character was lost and what followed it read as a line
    # of its own.  A file with lone "\r" line ends is read as before.
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        lines = text.splitlines()
    else:
        lines = text.split("\n")
    try:
        po = _read_po(text, lines)
    except CatalogError as lost:
        # What polib would have lost; a text polib rejects keeps polib's error
        # (its first line that check_po_lines rejects, or polib's message).
        _polib_parse(text, path)
        raise CatalogError(lost.message, path, lost.line) from None
    if not isinstance(po, polib.POFile):  # not a catalog _read_po reads: polib names the error
        parsed = _polib_parse(text, path)
        if _NEW_ENTRY is None:  # pragma: no cover - a polib whose entries _read_po cannot make
            po = parsed
        else:  # polib reads a line that _read_po does not (a mangled string, index...)
            line = lines[po - 1].strip()
            raise CatalogError(f"cannot parse catalog: syntax error: {line[:60]!r}", path, po)
    _check_duplicates(po, path)
    return po


def _check_duplicates(po: polib.POFile, path: Path) -> None:
    """CatalogError at the first entry with the msgctxt, msgid and obsoleteness of an earlier one."""
    # One set first (most catalogs have no duplicate), then the first duplicate in order.
    if len({(entry.msgctxt, entry.msgid, bool(entry.obsolete)) for entry in po}) == len(po):
        return
    seen: dict[tuple[str | None, str, bool], int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid, bool(entry.obsolete))
        line = entry.linenum or 1  # polib leaves 0 on the very first entry
        if key in seen:
            raise CatalogError(
                f"duplicate entry {entry.msgid[:60]!r} (first defined at line {seen[key]})",
                path,
                line,
            )
        seen[key] = line


def _polib_parse(text: str, path: Path) -> polib.POFile:
    """parse_po without _read_po: check_po_lines, polib's parser and the duplicate scan
    (CatalogError with the line of the first error)."""
    check_po_lines(text, path)
    if len(text) < _PATH_MAX and polib._is_file(text):
        text += "\n"  # the same lines, but not the name of a file that polib would read instead
    try:
        po = polib.pofile(text, wrapwidth=79)
    except (OSError, ValueError) as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        line = int(match.group(1)) if match else None
        raise CatalogError(f"cannot parse catalog: {message}", path, line) from None
    _check_duplicates(po, path)
    return po


def load_po(path: Path) -> LoadedPO:
    """Read a PO/POT file; raises CatalogError naming file and line on bad input.

    A file that cannot be read (a folder, no permission, a link that loops) is
    a CatalogError naming it too (read_bytes reads through a descriptor, so the
    OSError carries no file name); a missing file stays FileNotFoundError: the
    caller decides whether that is a new catalog.
    """
    path = path if isinstance(path, Path) else Path(path)
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"not valid UTF-8 at byte offset {exc.start}", path, line) from None
    po = parse_po(text, path)
    if not po and not po.metadata and not _ANY_MSGID.search(text):
        # Not even a header entry: 0 bytes, blank or comment lines.  newsloc never
        # writes such a file, an editor saving in place (truncate, then write) does
        # for a moment; read as an empty catalog, it would be replaced by a fresh one.
        raise CatalogError("the catalog is empty (no entries, not even a header): if an editor is saving it, "
                           "try again; delete it to start it afresh", path)
    return LoadedPO(po, hashlib.sha256(data).hexdigest(), path)


_ANY_MSGID = re.compile(r"^[ \t]*(?:#~[ \t]*)?msgid[ \t]", re.M)  # a header entry's, at least


def format_po(po: polib.POFile, cache: dict | None = None) -> str:
    """The file text of a catalog, as msgcat would write it.

    ``cache``: one dict shared by catalogs with the same msgids (an
    article's template and catalogs) lays each long string out once.
    """
    if _format_po is not None:
        return _format_po(po, cache=cache)
    text = str(po)
    return text if text.endswith("\n") else text + "\n"


def save_po(po: polib.POFile, path: Path, stamp: str | None = None) -> bool:
    """Write ``po`` atomically; return False (and write nothing) if nothing would change.

    ``stamp`` is the fingerprint of the bytes the caller read (``MISSING`` for a
    file that did not exist); if the file on disk differs from it now, nothing
    is written and :class:`ConcurrentEditError` is raised.
    """
    staged = stage_po(po, path, stamp, sync=True)
    if staged is None:
        return False
    commit_staged(staged)
    return True


class StagedWrite(NamedTuple):
    """A temporary file written beside ``path``, waiting to be renamed onto it."""

    path: Path
    tmp: str
    expected: str  # fingerprint of ``path`` when staged (MISSING if absent)
    needs_sync: bool  # a catalog whose temporary file is not yet on the disk
    # The file the rename replaces when ``path`` is a symbolic link: the file it
    # points to (the temporary file is beside it), so the link stays a link.
    target: Path | None = None


def _link_target(path: Path) -> Path | None:
    """The file a symbolic link ``path`` points to (through any chain of links), else None.

    A catalog may be a link to a file shared with another project: renaming
    the temporary file onto the link itself would replace the link by a
    regular file and leave the shared file as it was.
    """
    if not os.path.islink(path):  # one lstat, only for a file about to be written
        return None
    return Path(os.path.realpath(path))


def stage_po(
    po: polib.POFile, path: Path, stamp: str | None = None, sync: bool = True, cache: dict | None = None
) -> StagedWrite | None:
    """First half of :func:`save_po`: check ``stamp``, write the temporary file.

    Returns None, having written nothing, if the file already holds these
    bytes.  With ``sync=False`` a catalog's temporary file is not flushed
    here; :func:`sync_staged` (or :class:`WriteBatch`) must do it before
    :func:`commit_staged`.  ``cache``: see :func:`format_po`.
    """
    path = path if isinstance(path, Path) else Path(path)
    data = format_po(po, cache).encode("utf-8")
    current = fingerprint(path)
    if stamp is not None and current != stamp:
        raise ConcurrentEditError(
            "changed on disk since it was read (saved in Poedit meanwhile?); "
            "not written, run the command again",
            path,
        )
    if current != MISSING and current == hashlib.sha256(data).hexdigest():
        return None
    # A template is rebuilt from source/ at will; only catalogs, which hold
    # translators' work, are worth making durable before the rename.
    durable = path.suffix != ".pot"
    target = _link_target(path)
    tmp = _write_temp(target or path, data, fsync=durable and sync, exists=current != MISSING)
    return StagedWrite(path, tmp, current, durable and not sync, target)


def commit_staged(staged: StagedWrite) -> None:
    """Rename a staged temporary file into place, unless its target changed meanwhile.

    The target is checked once more right before the rename, which narrows
    the window in which a concurrent save could be overwritten to nothing
    that a translator could hit.  On a conflict the temporary file is
    removed and :class:`ConcurrentEditError` raised.
    """
    destination = staged.target or staged.path  # (the file a link points to: see StagedWrite)
    try:
        if staged.expected == MISSING and _rename_noreplace(staged.tmp, destination, staged.path):
            return
        if _changed_since(destination, staged.expected):
            raise _changed_while_writing(staged.path)
        os.replace(staged.tmp, destination)
    except BaseException:
        discard_staged(staged)
        raise


def _changed_while_writing(path: Path) -> ConcurrentEditError:
    return ConcurrentEditError(
        "changed on disk while newsloc was writing it; not written, run the command again",
        path,
    )


def _libc_function(name: str, argtypes: list):
    """A function of the C library (Linux only: ``renameat2(2)``, ``syncfs(2)``), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function


# glibc >= 2.28
_renameat2 = _libc_function(
    "renameat2", [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint])
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1


def _rename_noreplace(tmp: str, path: Path, shown: Path | None = None) -> bool:
    """Rename ``tmp`` to ``path`` if, and only if, ``path`` does not exist, in one step.

    For a file that did not exist when read, this is the check and the
    rename at once (no window for a concurrent save at all).  Returns False
    where the system cannot do it (then check, then rename); raises
    :class:`ConcurrentEditError` if ``path`` exists.
    """
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(path), _RENAME_NOREPLACE) == 0:
        return True
    error = ctypes.get_errno()
    if error == errno.EEXIST:
        raise _changed_while_writing(shown or path)
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False  # a filesystem or kernel without RENAME_NOREPLACE
    raise OSError(error, os.strerror(error), tmp, None, str(path))


def discard_staged(staged: StagedWrite) -> None:
    try:
        os.unlink(staged.tmp)
    except FileNotFoundError:
        pass


_syncfs = _libc_function("syncfs", [ctypes.c_int])


def sync_staged(staged: list[StagedWrite]) -> None:
    """Make the temporary files of ``staged`` durable before they are renamed.

    One file: ``fsync``.  Several: one ``syncfs`` per filesystem they are on
    (it flushes the filesystem's dirty data and waits, disk cache included),
    which costs about as much as a single ``fsync``.  Without ``syncfs``
    (not Linux): ``fsync`` each file.
    """
    pending = [s for s in staged if s.needs_sync]
    if len(pending) == 1 or (pending and _syncfs is None):
        for item in pending:
            fd = os.open(item.tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return
    synced: set[int] = set()
    for folder in dict.fromkeys(os.path.dirname(s.tmp) for s in pending):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            device = os.fstat(fd).st_dev
            if device in synced:
                continue
            if _syncfs(fd) != 0:
                error = ctypes.get_errno()
                raise OSError(error, f"syncfs: {os.strerror(error)}", folder)
            synced.add(device)
        finally:
            os.close(fd)


class WriteBatch:
    """Atomic writes made durable together: stage now, one sync and the renames at :meth:`commit`.

    Outcomes keep their order: :meth:`commit` returns, for every staged
    write in the order staged, None (renamed into place) or the
    :class:`ConcurrentEditError` that kept it from being written.  On any
    other error, and in :meth:`discard`, the temporary files not yet renamed
    are removed, so nothing is half-written and nothing is left behind.
    """

    def __init__(self) -> None:
        self.staged: list[StagedWrite] = []

    def __len__(self) -> int:
        return len(self.staged)

    def add(self, staged: StagedWrite) -> None:
        self.staged.append(staged)

    def stage(self, po: polib.POFile, path: Path, stamp: str | None = None) -> bool:
        """:func:`stage_po` into this batch; False if the file would not change."""
        staged = stage_po(po, path, stamp, sync=False)
        if staged is None:
            return False
        self.add(staged)
        return True

    def commit(self) -> list[ConcurrentEditError | None]:
        staged, self.staged = self.staged, []
        try:
            sync_staged(staged)
        except BaseException:
            for item in staged:
                discard_staged(item)
            raise
        results: list[ConcurrentEditError | None] = []
        for index, item in enumerate(staged):
            try:
                commit_staged(item)
                results.append(None)
            except ConcurrentEditError as exc:
                results.append(exc)
            except BaseException:
                for rest in staged[index + 1:]:
                    discard_staged(rest)
                raise
        return results

    def discard(self) -> None:
        staged, self.staged = self.staged, []
        for item in staged:
            discard_staged(item)


def _changed_since(path: Path, expected: str) -> bool:
    if expected == MISSING:  # a stat is enough to see that a new file appeared
        return os.path.lexists(path)
    return fingerprint(path) != expected


_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


# The bytes of the target's name kept in a temporary file's name: with "." before
# and ".<8 hex digits>.tmp" after it, 214 bytes, well within NAME_MAX.
_TEMP_NAME_KEPT = 200


def _create_temp(folder: Path, name: str) -> tuple[int, str]:
    """A new, empty file ``.<name>.<8 random hex digits>.tmp`` in ``folder`` (mode 0600).

    What ``tempfile.mkstemp`` does (exclusive creation, never through a
    symlink, an absolute name), without importing tempfile (3 ms of every
    command's start-up) and its per-call overhead.  A long ``name`` is cut
    (it only tells a person what the file is for) so that the temporary
    name fits in NAME_MAX (255 bytes): a file named with up to 255 bytes
    can be written.
    """
    folder = os.path.abspath(folder)
    if len(name) > _TEMP_NAME_KEPT // 4:  # (a character is at most 4 bytes in UTF-8)
        encoded = os.fsencode(name)
        if len(encoded) > _TEMP_NAME_KEPT:
            name = encoded[:_TEMP_NAME_KEPT].decode("utf-8", "ignore")
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", folder)


def _write_temp(path: Path, data: bytes, fsync: bool, exists: bool = True) -> str:
    """Write ``data`` to a new temporary file beside ``path``; return its name.

    The file gets the mode of ``path`` (0644 for a new file).  ``exists``
    False (the caller just saw ``path`` missing) saves asking for its mode.
    """
    folder = path.parent
    try:
        fd, tmp_name = _create_temp(folder, path.name)
    except FileNotFoundError:  # first file of a new locale folder
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _create_temp(folder, path.name)
    try:
        try:
            info = os.stat(path) if exists else None
        except FileNotFoundError:
            info = None
        if info is not None and info.st_gid != os.getegid():
            # A shared catalog keeps its group (a team's folder with the setgid bit
            # or a group of translators); the owner could not be kept but by root.
            try:
                os.fchown(fd, -1, info.st_gid)
            except PermissionError:
                pass  # not a member of that group: the file becomes ours, as any editor's save
        os.fchmod(fd, info.st_mode & 0o7777 if info is not None else 0o644)  # created 0600: keep the mode
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if fsync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    os.close(fd)
    return tmp_name


def write_atomic(path: Path, data: bytes, expected: str | None = None, durable: bool = True) -> None:
    """Write bytes to a temp file beside ``path`` and rename it into place.

    ``expected`` (a fingerprint) is checked once more right before the rename,
    which narrows the window in which a concurrent save could be overwritten.
    """
    path = path if isinstance(path, Path) else Path(path)
    target = _link_target(path)  # a link stays a link: its target is replaced
    tmp_name = _write_temp(target or path, data, fsync=durable)
    if expected is None:
        try:
            os.replace(tmp_name, target or path)
        except BaseException:
            discard_staged(StagedWrite(path, tmp_name, MISSING, False))
            raise
        return
    commit_staged(StagedWrite(path, tmp_name, expected, False, target))


# --- Compiling a catalog (.mo) ------------------------------------------------

# polib 1.2's POFile.to_binary, for its use in newsloc.bundle, without building
# a POFile and a POEntry per entry (it cost ~0.04 ms per article): the same
# bytes, in the same layout (tests/test_pofile_mo.py compares them with polib's
# and has GNU msgunfmt read them back).  The layout: a 7-int header, the
# (length, offset) table of the keys and then of the values, the keys, the
# values, each string NUL-terminated; no hash table (as polib); native byte
# order and C int size, as polib packs them.
_MO_MAGIC = 0x950412DE
# polib's ordered_metadata: these fields first, in this order, then the rest
# in polib.natural_sort order.
_MO_HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)
_MO_HEADER_FIELDS = frozenset(_MO_HEADER_ORDER)
_first = itemgetter(0)  # an entry's sort key: its key's bytes only (ties keep their order)


@functools.lru_cache(maxsize=64)
def _mo_field_order(names: tuple[str, ...]) -> tuple[str, ...]:
    """The header fields in polib's ordered_metadata order.  Cached by the
    field names alone (not their values): a project's catalogs all carry the
    fields newsloc writes, and polib.natural_sort costs more than the rest of
    the header."""
    ordered = [name for name in _MO_HEADER_ORDER if name in names]
    rest = [name for name in names if name not in _MO_HEADER_FIELDS]
    return tuple(ordered + polib.natural_sort(rest) if rest else ordered)


def _mo_header(metadata: dict[str, str]) -> bytes:
    """The header entry's msgstr as polib's metadata_as_entry writes it ("" with no metadata)."""
    if not metadata:
        return b""
    lines = ["%s: %s" % (name, metadata[name]) for name in _mo_field_order(tuple(metadata))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def mo_bytes(metadata: dict[str, str], entries: Iterable[tuple[str | None, str, str]]) -> bytes:
    """The .mo file of ``entries`` ((msgctxt, msgid, msgstr) each) under the header ``metadata``.

    Byte for byte what polib 1.2's ``POFile.to_binary`` writes for a catalog
    with this metadata whose translated entries are these (singular) entries:
    the header entry first, then the entries sorted by their UTF-8 key
    (``msgctxt + "\\x04" + msgid``, or the msgid alone when msgctxt is empty or
    None), entries with equal keys in the order given.

    >>> mo_bytes({}, [(None, "a", "b")])[:8] == (0x950412DE).to_bytes(4, sys.byteorder) + bytes(4)
    True
    """
    # One encode per string; the sort key is the key's own UTF-8 bytes (as polib's),
    # and list.sort is stable as polib's, so duplicate keys keep their order.
    pairs = [
        ((f"{context}\x04{msgid}" if context else msgid).encode("utf-8"), msgstr.encode("utf-8"))
        for context, msgid, msgstr in entries
    ]
    pairs.sort(key=_first)
    keys = [b""]
    values = [_mo_header(metadata)]
    if pairs:
        more_keys, more_values = zip(*pairs)
        keys += more_keys
        values += more_values
    count = len(keys)
    ids = b"\0".join(keys) + b"\0"
    strs = b"\0".join(values) + b"\0"
    keystart = 28 + 16 * count  # after the header and both tables
    valuestart = keystart + len(ids)
    # The 7-int header (the magic number as the signed int of the same bytes:
    # one array of "i" for all, as polib's "i" table), then the table: rows of
    # (length, offset); the i-th string starts after the strings before it and
    # their i NULs (map/accumulate/add keep the arithmetic out of the
    # interpreter loop).
    key_lengths = list(map(len, keys))
    value_lengths = list(map(len, values))
    table = [_MO_MAGIC - 2**32, 0, count, 28, 28 + 8 * count, 0, keystart] + [0] * (4 * count)
    table[7 : 7 + 2 * count : 2] = key_lengths
    table[8 : 7 + 2 * count : 2] = map(add, accumulate(key_lengths, initial=keystart), range(count))
    table[7 + 2 * count :: 2] = value_lengths
    table[8 + 2 * count :: 2] = map(add, accumulate(value_lengths, initial=valuestart), range(count))
    return b"".join((array.array("i", table).tobytes(), ids, strs))
