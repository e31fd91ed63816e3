"""Reading and writing PO/POT files: the only module that touches them on disk.

Reading and writing go through polib; the text is laid out exactly as GNU
``msgcat`` would lay it out (see :mod:`newsloc.powrap`), so saving in Poedit or
running gettext tools produces no diff noise.

Writes never lose a translator's work:

* a write goes to a temporary file in the same folder, then ``os.replace``
  (atomic on POSIX), so no PO file is ever half-written;
* a file whose bytes would not change is not rewritten (its mtime stays);
* before replacing a file we compare what is on disk with the fingerprint of
  what we read; if a translator saved in the meantime we raise
  :class:`~newsloc.errors.ConcurrentEditError` and write nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

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


def fingerprint(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
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


def parse_po(text: str, path: Path) -> polib.POFile:
    """Parse PO text; syntax errors and duplicate entries raise CatalogError with the line."""
    check_po_lines(text, path)
    try:
        po = polib.pofile(text, wrapwidth=79)
    except (OSError, ValueError) as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        line = int(match.group(1)) if match else None
        raise CatalogError(f"cannot parse catalog: {message}", path, line) from None
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
    return po


def load_po(path: Path) -> LoadedPO:
    """Read a PO/POT file; raises CatalogError naming file and line on bad input."""
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"not valid UTF-8 at byte offset {exc.start}", path, line) from None
    return LoadedPO(parse_po(text, path), hashlib.sha256(data).hexdigest(), path)


def format_po(po: polib.POFile) -> str:
    """The file text of a catalog, as msgcat would write it."""
    if _format_po is not None:
        return _format_po(po)
    text = str(po)
    return text if text.endswith("\n") else text + "\n"


def save_po(po: polib.POFile, path: Path, stamp: str | None = None) -> bool:
    """Write ``po`` atomically; return False (and write nothing) if nothing would change.

    ``stamp`` is the fingerprint of the bytes the caller read (``MISSING`` for a
    file that did not exist); if the file on disk differs from it now, nothing
    is written and :class:`ConcurrentEditError` is raised.
    """
    path = Path(path)
    data = format_po(po).encode("utf-8")
    current = fingerprint(path)
    if stamp is not None and current != stamp:
        raise ConcurrentEditError(
            "changed on disk since it was read (saved in Poedit meanwhile?); "
            "not written, run the command again",
            path,
        )
    if current != MISSING and current == hashlib.sha256(data).hexdigest():
        return False
    # A template is rebuilt from source/ at will; only catalogs, which hold
    # translators' work, are worth an fsync before the rename.
    write_atomic(path, data, expected=current, durable=path.suffix != ".pot")
    return True


def _changed_since(path: Path, expected: str) -> bool:
    if expected == MISSING:  # a stat is enough to see that a new file appeared
        return os.path.lexists(path)
    return fingerprint(path) != expected


def write_atomic(path: Path, data: bytes, expected: str | None = None, durable: bool = True) -> None:
    """Write bytes to a temp file beside ``path`` and rename it into place.

    ``expected`` (a fingerprint) is checked once more right before the rename,
    which narrows the window in which a concurrent save could be overwritten.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.fchmod(fd, mode)  # mkstemp creates 0600; keep the file's own mode
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if expected is not None and _changed_since(path, expected):
            raise ConcurrentEditError(
                "changed on disk while newsloc was writing it; not written, run the command again",
                path,
            )
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
