"""Reading and writing catalogs with one very long string (a paragraph of a million words).

The reader once built a wrapped string one continuation line at a time
(``entry["msgstr"] += piece``), which copies the string so far each time:
quadratic (800,000 words took 22 s to read, where msgfmt takes 0.1 s).
These tests do not time anything: they read such catalogs in a subprocess
that is given minutes for what takes well under a second when reading is
linear (and hours when it is quadratic), and check what was read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import polib

from newsloc import pofile

SRC = Path(pofile.__file__).resolve().parents[1]

# Every string kind that can be continued: msgid, msgstr, msgstr[N], msgctxt,
# and the previous (#|) strings, continued by '"..."' and by '#| "..."' lines.
SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from newsloc.pofile import load_po, format_po
    lines = int(sys.argv[2])
    piece = "the cat sat on a mat "
    def wrapped(keyword, prefix=""):
        return prefix + keyword + ' ""\\n' + "".join(prefix + '"' + piece + '"\\n' for _ in range(lines))
    text = ('msgid ""\\nmsgstr ""\\n"Content-Type: text/plain; charset=UTF-8\\\\n"\\n'
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\\\n"\\n\\n'
            + "#, fuzzy\\n" + wrapped("msgctxt", "#| ") + wrapped("msgid", "#| ")
            + wrapped("msgctxt") + wrapped("msgid") + wrapped("msgstr") + "\\n"
            + wrapped("msgid") .replace(piece, piece.upper()) + wrapped("msgid_plural") + wrapped("msgstr[0]")
            + wrapped("msgstr[1]"))
    path = Path(sys.argv[1])
    path.write_text(text, encoding="utf-8")
    po = load_po(path).po
    long = piece * lines
    first, second = po
    assert first.previous_msgctxt == first.previous_msgid == long, "previous"
    assert first.msgctxt == first.msgid == first.msgstr == long, "first"
    assert second.msgid == long.upper() and second.msgid_plural == long, "second"
    assert second.msgstr_plural == {0: long, 1: long}, "plural"
    assert len(format_po(po)) > 9 * len(long)  # and the writer copes too
    print("ok")
    """
)


def test_a_string_of_many_lines_reads_whole(tmp_path):
    # 400,000 lines (8 MB) per string, 9 such strings: linear reading takes ~3 s,
    # quadratic reading ~5 minutes.
    env = dict(os.environ, PYTHONPATH=str(SRC))
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "long.po"), "400000"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


def test_short_strings_still_match_polib():
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '#| msgid "a"\n#| "b"\nmsgid ""\n"c"\n"d"\nmsgstr "e"\n"f"\n\n'
            'msgid "g"\nmsgid_plural "h"\n"i"\nmsgstr[0] "j"\n"k"\nmsgstr[1] ""\n"l"\n')
    ours = pofile.parse_po(text, Path("x.po"))
    theirs = polib.pofile(text, wrapwidth=79)
    assert [e.__dict__ for e in ours] == [e.__dict__ for e in theirs]
    assert ours.metadata == theirs.metadata
