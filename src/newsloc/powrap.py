"""Serialise a :class:`polib.POFile` exactly as GNU ``msgcat`` prints it.

Why: translators save catalogs in Poedit, which (like every gettext tool)
normalises the layout of a PO file.  If newsloc wrote polib's own layout
(``textwrap`` based, different comment order and wrapping), every save in
Poedit would produce diff noise.  :func:`format_po` therefore reproduces the
output of gettext's ``write-po.c`` (checked against ``msgcat`` 0.21):

* entries are separated by one blank line; obsolete entries come after all
  live ones, and obsolete entries whose msgstr is empty are dropped (msgcat
  drops them too, so keeping them would never survive a Poedit save);
* comment order: ``# `` translator comments, ``#.`` extracted comments,
  ``#:`` references (packed greedily into lines of at most 79 columns,
  duplicates removed, leading ``./`` stripped), ``#,`` flags (``fuzzy`` first and only
  when the entry is translated, then format flags in gettext 0.21's language
  order, a valid ``range:`` on live entries, ``no-wrap``; flags gettext does
  not know are dropped, as msgcat drops them), then ``#|`` previous
  msgctxt/msgid/msgid_plural, then msgctxt/msgid/msgid_plural/msgstr;
* obsolete entries prefix their strings with ``#~ `` and previous strings
  with ``#~| ``;
* strings are cut into portions after each embedded newline, escaped
  (``\\a \\b \\f \\n \\r \\t \\v \\\\ \\"``), and wrapped with gettext's
  rules: width 79 including quotes and prefix, a break never splits an escape
  sequence nor falls right before a trailing ``\\n``, and when the first line
  would wrap (or the string has a newline before its end) the field starts
  with an empty ``""`` line.  The ``no-wrap`` flag disables wrapping.
  With ``python-format`` no break falls inside a ``%`` directive (gettext
  does this for every format language; only Python's is modelled here, so
  entries flagged with another *possible* ``*-format`` may wrap differently
  where a directive straddles the margin).

A catalog with nothing but its header is still written in full (``msgcat``
only prints it with ``--force-po``).

Line-break opportunities: gettext asks libunistring's
``ulc_width_linebreaks`` (UAX #14 line breaking plus column widths).  Debian's
``msgcat`` is dynamically linked against the system ``libunistring.so.2``
(``ldd /usr/bin/msgcat``), so when the library is found (by its soname, else
``ctypes.util.find_library("unistring")``) we call ``u8_width_linebreaks`` from that very library
with the same overrides gettext passes; the result is then byte-identical to
msgcat on the same machine, including across libunistring/Unicode versions.
Without the library we fall back to a pure-Python approximation of the same
greedy algorithm in which the only break opportunities are after spaces
(plus after a hyphen between letters).  That is exact for plain prose with
no long hyphenated/URL-like words, but may differ on e.g. URLs; it exists so
newsloc still works (readably) where libunistring is missing.  Check
:data:`BACKEND` to see which one is in use.
"""

from __future__ import annotations

import ctypes
import functools
import re
import unicodedata
from typing import Iterable

import polib

__all__ = ["BACKEND", "PAGE_WIDTH", "format_entry", "format_po", "wrap_field", "linebreaks"]

PAGE_WIDTH = 79

# libunistring's enum values (unilbrk.h), the same ones gettext uses.
_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2, 3

# gettext escapes exactly these control characters (write-po.c); other
# control characters are written raw.
_ESCAPES = {
    "\a": "a",
    "\b": "b",
    "\f": "f",
    "\n": "n",
    "\r": "r",
    "\t": "t",
    "\v": "v",
    "\\": "\\",
    '"': '"',
}


# The sonames of libunistring 1.x and 0.9.x, newest first (the order of the
# linker cache, which ctypes.util.find_library reads).  Opening them directly
# spares every newsloc command ~15 ms: find_library imports subprocess and
# runs ``ldconfig -p``; it is still asked when neither is there (other
# systems, other sonames).
_UNISTRING_SONAMES = ("libunistring.so.5", "libunistring.so.2")


def _load_unistring():
    lib = None
    for name in _UNISTRING_SONAMES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    if lib is None:
        from ctypes.util import find_library

        name = find_library("unistring")
        if not name:
            return None
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            return None
    try:
        fn = lib.u8_width_linebreaks
    except AttributeError:
        return None
    fn.restype = ctypes.c_int
    fn.argtypes = [
        ctypes.c_char_p,  # s
        ctypes.c_size_t,  # n
        ctypes.c_int,  # width
        ctypes.c_int,  # start_column
        ctypes.c_int,  # at_end_columns
        ctypes.c_char_p,  # overrides
        ctypes.c_char_p,  # encoding
        ctypes.c_char_p,  # result
    ]
    return fn


_u8_width_linebreaks = _load_unistring()
BACKEND: str = "libunistring" if _u8_width_linebreaks is not None else "python"


def _char_width(ch: str) -> int:
    # Approximation of uc_width() for the fallback only.
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def _py_linebreaks(chars: list[str], width: int, start_column: int, overrides: list[int]) -> list[int]:
    """Fallback: libunistring's greedy algorithm over simplified UAX #14 breaks."""
    n = len(chars)
    p = [_PROHIBITED] * n
    for i in range(1, n):
        prev, cur = chars[i - 1], chars[i]
        if prev == " " and cur != " ":
            p[i] = _POSSIBLE
        elif prev == "-" and cur.isalpha() and i >= 2 and chars[i - 2].isalpha():
            p[i] = _POSSIBLE
    last = None
    last_column = start_column
    piece = 0
    for i, ch in enumerate(chars):
        if overrides[i] != _UNDEFINED:
            p[i] = overrides[i]
        if p[i] == _POSSIBLE:
            if last is not None and last_column + piece > width:
                p[last] = _POSSIBLE
                last_column = 0
            last = i
            last_column += piece
            piece = 0
            p[i] = _PROHIBITED
        piece += _char_width(ch)
    if last is not None and last_column + piece > width:
        p[last] = _POSSIBLE
    return p


def linebreaks(chars: list[str], width: int, start_column: int, overrides: list[int]) -> list[int]:
    """Return one break code per character of *chars* (``2`` = break before it).

    *chars* are the characters of one escaped portion; *overrides* holds
    gettext's per-character overrides (0 = compute, 1 = no break here).
    """
    if _u8_width_linebreaks is None:
        return _py_linebreaks(chars, width, start_column, overrides)
    data = bytearray()
    obytes = bytearray()
    starts = []
    for ch, ov in zip(chars, overrides):
        b = ch.encode("utf-8")
        starts.append(len(data))
        data += b
        obytes.append(ov)
        obytes += bytes(len(b) - 1)
    out = ctypes.create_string_buffer(len(data) or 1)
    _u8_width_linebreaks(bytes(data), len(data), width, start_column, 0, bytes(obytes), b"UTF-8", out)
    raw = out.raw
    return [raw[s] for s in starts]


_PY_FLAGS = " #+-0"
_PY_CONVERSIONS = "%cdiouxXeEfFgGrsa"


def _skip_count(value: str, i: int) -> int:
    """Skip a ``*`` or a run of digits (a width or precision) starting at ``i``."""
    if i < len(value) and value[i] == "*":
        return i + 1
    while i < len(value) and value[i].isdigit():
        i += 1
    return i


def _python_directive_tails(value: str) -> list[bool]:
    """Mark characters inside (but not starting) a python-format directive.

    gettext forbids line breaks inside format directives of the entry's
    format language; this mirrors its Python ``%`` parser closely enough for
    prose (parsing stops at the first invalid directive, as gettext's does).
    """
    tails = [False] * len(value)
    i, n = 0, len(value)
    while i < n:
        if value[i] != "%":
            i += 1
            continue
        start = i
        i += 1
        if i < n and value[i] == "(":
            depth = 1
            i += 1
            while i < n and depth:
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
            if depth:
                break
        while i < n and value[i] in _PY_FLAGS:
            i += 1
        i = _skip_count(value, i)  # field width
        if i < n and value[i] == ".":
            i = _skip_count(value, i + 1)  # precision
        while i < n and value[i] in "hlL":
            i += 1
        if i >= n or value[i] not in _PY_CONVERSIONS:
            break
        for k in range(start + 1, i + 1):
            tails[k] = True
        i += 1
    return tails


def wrap_field(
    name: str,
    value: str,
    prefix: str = "",
    wrap: bool = True,
    page_width: int = PAGE_WIDTH,
    flags: Iterable[str] = (),
    cache: dict | None = None,
) -> list[str]:
    """Lines (without ``\\n``) for ``<prefix><name> "<value>"`` as gettext's ``wrap()`` writes them.

    *flags* are the entry's flags: ``python-format`` forbids breaks inside
    ``%`` directives, as gettext does.  *cache* (a dict the caller owns)
    remembers layouts found with libunistring, for catalogs that share
    strings (see :func:`format_po`).
    """
    if not value:  # every layout writes an empty string the same way
        return [f'{prefix}{name} ""']
    lines: list[str] = []
    if flags:
        flags = {f.strip() for f in flags}
        python_format = "python-format" in flags or "possible-python-format" in flags
    else:
        python_format = False
    if python_format:
        tails = _python_directive_tails(value)
    elif _u8_width_linebreaks is not None:
        escaped = None
        if "\n" not in value:
            escaped = _escape(value)
            if (len(prefix) + len(name) + len(escaped) + 3 <= page_width or not wrap) and _NARROW.match(value):
                # Fits on its line (every character one column wide): gettext
                # would find no break, so skip asking libunistring.
                return [f'{prefix}{name} "{escaped}"']
        if cache is None:
            return _wrap_field_bytes(name, value, prefix, wrap, page_width, escaped)
        key = (name, value, prefix, wrap, page_width)
        lines = cache.get(key)
        if lines is None:
            lines = cache[key] = _wrap_field_bytes(name, value, prefix, wrap, page_width, escaped)
        return list(lines)
    else:
        tails = [False] * len(value)
    portions = _portions(value)
    first_line = True
    after_break = len(prefix) + 1
    width = (page_width if wrap else 2**31 - 1) - 1 - after_break
    offset = 0
    for index, portion in enumerate(portions):
        more_follows = index < len(portions) - 1
        chars: list[str] = []
        overrides: list[int] = []
        for k, ch in enumerate(portion):
            first = _PROHIBITED if tails[offset + k] else _UNDEFINED
            esc = _ESCAPES.get(ch)
            if esc is not None:
                chars += ["\\", esc]
                overrides += [first, _PROHIBITED]
            else:
                chars.append(ch)
                overrides.append(first)
        offset += len(portion)
        if portion.endswith("\n"):
            # Don't break immediately before the "\n" at the end.
            overrides[-2] = _PROHIBITED
        while True:
            startcol = len(prefix) + (len(name) + 1 if first_line else 0) + 1 - after_break
            breaks = linebreaks(chars, width, startcol, overrides)
            if first_line and chars and (more_follows or startcol > width or _POSSIBLE in breaks):
                lines.append(f'{prefix}{name} ""')
                first_line = False
                continue
            break
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        cur = [head, '"']
        for ch, br in zip(chars, breaks):
            if br == _POSSIBLE:
                cur.append('"')
                lines.append("".join(cur))
                cur = [prefix, '"']
            cur.append(ch)
        cur.append('"')
        lines.append("".join(cur))
    return lines


# Characters that certainly take one column (printable Latin, Greek, Cyrillic, Armenian,
# general punctuation such as ” ’ — …): lines made of these need no width lookup.
_NARROW = re.compile("^[\x20-\x7e\u00a0-\u02ff\u0370-\u0482\u048a-\u052f\u0531-\u058a"
                     "\u2010-\u2027\u2030-\u205e]*$")
# Backslash first, so the backslashes the other escapes add stay single.
_ESCAPE_PAIRS = sorted(((ch, "\\" + esc) for ch, esc in _ESCAPES.items()), key=lambda pair: pair[0] != "\\")
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _escape(text: str) -> str:
    """``text`` with gettext's escapes (same result as a translate table, which
    looks up every character in a dict and is ~10x slower on prose)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    if text[-1] == "\n" and _NEEDS_ESCAPE.search(text, 0, len(text) - 1) is None:
        return text[:-1] + "\\n"  # a header line
    for ch, esc in _ESCAPE_PAIRS:
        text = text.replace(ch, esc)
    return text
_ESCAPE_SEQUENCE = re.compile(r"\\.", re.S)
_BREAK = re.compile(b"\x02")


def _portions(value: str) -> list[str]:
    """Cut a string after each newline (the newline stays with its portion), as gettext does."""
    if "\n" not in value:
        return [value]
    portions = [piece + "\n" for piece in value.split("\n")]
    portions[-1] = portions[-1][:-1]
    if len(portions) > 1 and portions[-1] == "":
        portions.pop()  # a trailing newline ends the last portion; no empty one after it
    return portions


def _wrap_field_bytes(
    name: str, value: str, prefix: str, wrap: bool, page_width: int, escaped_value: str | None = None
) -> list[str]:
    """:func:`wrap_field` on whole byte strings: at most one libunistring call per
    portion in the common cases and no per-character Python loop (the hot path
    of extraction).

    Where libunistring is asked is decided by two facts about its greedy
    algorithm (``u8_width_linebreaks``): it only ever breaks where the text
    would overflow the width (a portion whose columns fit from its start
    column gets no break), and it breaks a portion that overflows as soon as
    the portion has one break opportunity.  So a portion of one-column
    characters that fits is written without asking, and a break found from
    column 0 (a continuation line) implies one from the first line's later
    start column, which then needs no call of its own.  ``escaped_value``:
    the escaped ``value`` when the caller has it (a value without newline).
    """
    lines: list[str] = []
    first_line = True
    width = (page_width if wrap else 2**31 - 1) - 2 - len(prefix)
    portions = _portions(value)
    last = len(portions) - 1
    if last:
        # Several portions (a header, a translation with newlines): the
        # first line is `msgstr ""` and each portion starts a line of its
        # own at column 0, so its lines depend on it alone (and a header's
        # portions are mostly the same in every catalog).
        lines.append(f'{prefix}{name} ""')
        for portion in portions:
            lines += _continuation_lines(portion, prefix, width)
        return lines
    # Start columns as gettext computes them (past the opening quote): after
    # `msgid ` on the first line, 0 on a continuation line.
    first_column = len(name) + 1
    for index, portion in enumerate(portions):
        escaped = escaped_value if escaped_value is not None else _escape(portion)
        # With only one-column characters the escaped length is the width in
        # columns (only worth knowing when it may fit: a longer text is laid
        # out by libunistring either way).
        columns = len(escaped) if len(escaped) <= width and _NARROW.fullmatch(escaped) else None
        data = overrides = None
        raw = None  # break codes of the layout used; None when it has no break
        if first_line and escaped:
            if index < last or first_column > width:
                blank_first = True
            elif columns is not None and first_column + columns <= width:
                blank_first = False
            else:
                data, overrides = _encode_portion(portion, escaped)
                raw = _breaks(data, overrides, width, 0)
                # A break from column 0 means one from the first column too;
                # otherwise ask from the first column (raw stays the layout).
                blank_first = raw is not None or _breaks(data, overrides, width, first_column) is not None
            if blank_first:
                lines.append(f'{prefix}{name} ""')
                first_line = False
        if escaped and not first_line and data is None and (columns is None or columns > width):
            data, overrides = _encode_portion(portion, escaped)
            raw = _breaks(data, overrides, width, 0)
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        if raw is None:
            lines.append(f'{head}"{escaped}"')
            continue
        cuts = [m.start() for m in _BREAK.finditer(raw)]
        bounds = [0, *cuts, len(data)]
        for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
            lines.append(f'{head if number == 0 else prefix}"{data[start:end].decode("utf-8")}"')
    return lines


@functools.lru_cache(maxsize=1024)
def _continuation_lines(portion: str, prefix: str, width: int) -> tuple[str, ...]:
    """The lines of a portion laid out from column 0 (see :func:`_wrap_field_bytes`)."""
    escaped = _escape(portion)
    if len(escaped) <= width and _NARROW.fullmatch(escaped):
        return (f'{prefix}"{escaped}"',)  # one-column characters that fit: no break
    data, overrides = _encode_portion(portion, escaped)
    raw = _breaks(data, overrides, width, 0)
    if raw is None:
        return (f'{prefix}"{escaped}"',)
    bounds = [0, *(m.start() for m in _BREAK.finditer(raw)), len(data)]
    return tuple(f'{prefix}"{data[start:end].decode("utf-8")}"' for start, end in zip(bounds, bounds[1:]))


def _encode_portion(portion: str, escaped: str) -> tuple[bytes, bytes]:
    """UTF-8 bytes of an escaped portion and gettext's break overrides for them."""
    data = escaped.encode("utf-8")
    if len(escaped) == len(portion) and portion[-1] != "\n":  # nothing to override (most prose)
        return data, bytes(len(data))
    overrides = bytearray(len(data))
    if len(escaped) != len(portion):  # an escape sequence is never split
        is_ascii = len(data) == len(escaped)
        for match in _ESCAPE_SEQUENCE.finditer(escaped):
            second = match.start() + 1
            overrides[second if is_ascii else len(escaped[:second].encode("utf-8"))] = _PROHIBITED
    if portion.endswith("\n"):  # nor does a break fall right before a trailing \n
        overrides[len(data) - 2] = _PROHIBITED
    return data, bytes(overrides)


def _breaks(data: bytes, overrides: bytes, width: int, start_column: int) -> bytes | None:
    """libunistring's break codes for ``data`` (``\\x02`` = break before), or None if it has no break."""
    size = len(data)
    out = (ctypes.c_char * size)()  # data is never empty here
    _u8_width_linebreaks(data, size, width, start_column, 0, overrides, b"UTF-8", out)
    raw = out.raw
    return raw if _POSSIBLE_BYTE in raw else None


_POSSIBLE_BYTE = bytes([_POSSIBLE])


# Flags in the order gettext prints them (format_language[] in message.c).
_FORMAT_LANGS = [
    "c", "objc", "python", "python-brace", "java", "java-printf",
    "csharp", "javascript", "scheme", "lisp", "elisp", "librep", "ruby", "sh",
    "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde",
    "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
]  # fmt: skip


# "c-format", "possible-c-format", "impossible-c-format", "no-c-format" -> "c", ...
_FORMAT_FLAG_LANG = {
    f"{state}{lang}-format": lang for lang in _FORMAT_LANGS for state in ("", "possible-", "impossible-", "no-")
}

_RANGE = re.compile(r"range:\s*(\d+)\.\.(\d+)")


def _format_flags(flags: Iterable[str], obsolete: bool = False) -> str | None:
    """The ``#,`` line gettext writes for these flags (None when it writes none)."""
    flags = [f.strip() for f in flags]
    if not flags:
        return None
    out: list[str] = []
    if "fuzzy" in flags:
        out.append("fuzzy")
    # gettext keeps one state per language: the last flag read wins.
    states = {_FORMAT_FLAG_LANG[f]: f for f in flags if f in _FORMAT_FLAG_LANG}
    if states:
        out.extend(states[lang] for lang in _FORMAT_LANGS if lang in states)
    if not obsolete:
        # gettext drops invalid ranges (and never writes ranges of obsolete entries).
        ranges = [m for m in map(_RANGE.fullmatch, flags) if m and int(m[1]) <= int(m[2])]
        if ranges:
            out.append(f"range: {int(ranges[-1][1])}..{int(ranges[-1][2])}")
    if not _wraps(flags):
        out.append("no-wrap")  # "wrap" is the default and never written
    if not out:
        return None
    return "#, " + ", ".join(out)


def _wraps(flags: Iterable[str]) -> bool:
    state = True
    for f in flags:
        if f.strip() == "no-wrap":
            state = False
        elif f.strip() == "wrap":
            state = True
    return state


def _format_references(occurrences: list[tuple[str, str]], page_width: int) -> list[str]:
    if len(occurrences) == 1:  # the common case: one reference, always on one line
        fname, lineno = occurrences[0]
        return ["#: " + _reference(fname, str(lineno) if lineno not in (None, "") else "")]
    seen: set[tuple[str, str]] = set()
    lines: list[str] = []
    cur = "#:"
    column = 2
    for fname, lineno in occurrences:
        key = (fname, str(lineno) if lineno not in (None, "") else "")
        if key in seen:
            continue
        seen.add(key)
        ref = _reference(fname, key[1])
        length = len(ref.encode("utf-8")) + 1
        if column > 2 and column + length > page_width:
            lines.append(cur)
            cur = "#:"
            column = 2
        cur += " " + ref
        column += length
    if column > 2:
        lines.append(cur)
    return lines


def _reference(fname: str, lineno: str) -> str:
    while fname.startswith("./"):
        fname = fname[2:]
    if " " in fname or "\t" in fname:
        # gettext >= 0.20 isolates file names containing spaces.
        fname = "\u2068" + fname + "\u2069"
    return fname + (f":{lineno}" if lineno else "")


def _comment_lines(marker: str, text: str | None) -> list[str]:
    if not text:
        return []
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def format_entry(entry: polib.POEntry, page_width: int = PAGE_WIDTH, cache: dict | None = None) -> str:
    """One entry as msgcat prints it, ending in ``\\n`` (no separating blank line)."""
    # Each part is looked at only when the entry has it: most entries have a
    # reference, a msgid and a msgstr and nothing else.
    lines: list[str] = []
    if entry.tcomment:
        lines += _comment_lines("#", entry.tcomment)
    if entry.comment:
        lines += _comment_lines("#.", entry.comment)
    if entry.occurrences:
        lines += _format_references(entry.occurrences, page_width)
    entry_flags = entry.flags
    if entry_flags:
        shown = [f.strip() for f in entry_flags]
        if not _first_msgstr(entry):
            # gettext ignores "fuzzy" on an untranslated entry (nothing to be fuzzy about).
            shown = [f for f in shown if f != "fuzzy"]
        flags = _format_flags(shown, entry.obsolete)
        if flags:
            lines.append(flags)
        wrap = _wraps(entry_flags)
    else:
        wrap = True
    prefix = "#~ " if entry.obsolete else ""
    if entry.previous_msgctxt is not None or entry.previous_msgid is not None or entry.previous_msgid_plural:
        prev_prefix = "#~| " if entry.obsolete else "#| "
        for name, value in (
            ("msgctxt", entry.previous_msgctxt),
            ("msgid", entry.previous_msgid),
            ("msgid_plural", entry.previous_msgid_plural),
        ):
            if value is not None and (value or name != "msgid_plural"):
                lines += wrap_field(name, value, prev_prefix, wrap, page_width, entry_flags, cache)
    if entry.msgctxt is not None:
        lines += wrap_field("msgctxt", entry.msgctxt, prefix, wrap, page_width, entry_flags, cache)
    lines += wrap_field("msgid", entry.msgid, prefix, wrap, page_width, entry_flags, cache)
    if entry.msgid_plural:
        lines += wrap_field("msgid_plural", entry.msgid_plural, prefix, wrap, page_width, entry_flags, cache)
        for index in sorted(entry.msgstr_plural, key=int):
            lines += wrap_field(
                f"msgstr[{index}]", entry.msgstr_plural[index], prefix, wrap, page_width, entry_flags, cache
            )
    else:
        lines += wrap_field("msgstr", entry.msgstr, prefix, wrap, page_width, entry_flags, cache)
    return "\n".join(lines) + "\n"


def _header_entry(po: polib.POFile) -> polib.POEntry | None:
    if not po.metadata and not po.header and not po.metadata_is_fuzzy:
        return None
    # What polib's metadata_as_entry() gives, but with the header fields in the
    # order of ``po.metadata`` (the file's own order when it was read), not
    # polib's fixed order: Poedit and msgcat keep the order they find, so
    # re-sorting would make every save after Poedit's a diff.
    return polib.POEntry(
        msgid="",
        msgstr="".join(f"{name}: {value}\n" for name, value in po.metadata.items()),
        flags=["fuzzy"] if po.metadata_is_fuzzy else [],
        tcomment=po.header or "",
    )


def _first_msgstr(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "") or ""
    return entry.msgstr


def format_po(po: polib.POFile, page_width: int = PAGE_WIDTH, cache: dict | None = None) -> str:
    """The whole catalog as ``msgcat`` would print it (header, live entries, obsolete entries).

    *cache*: pass the same dict when formatting catalogs that share their
    msgids (an article's template and its locale catalogs), so each long
    string is laid out once.  Keep it no longer than that: it grows with
    every string laid out.
    """
    chunks: list[str] = []
    header = _header_entry(po)
    if header is not None:
        chunks.append(format_entry(header, page_width))
    live = [e for e in po if not e.obsolete and not (e.msgid == "" and e.msgctxt is None)]
    # msgcat silently drops obsolete entries whose (first) msgstr is empty.
    obsolete = [e for e in po if e.obsolete and _first_msgstr(e)]
    for entry in live + obsolete:
        chunks.append(format_entry(entry, page_width, cache))
    return "\n".join(chunks)
