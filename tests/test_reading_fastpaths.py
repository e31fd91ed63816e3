"""The shortcuts taken when reading an article agree with the general code they skip.

``collapse_whitespace`` keeps a run whose text is printable and has no double
space, and ``_ArticleParser.handle_data`` keeps printable data as one line:
both rest on every whitespace character but the ASCII space, and every line
boundary ``str.splitlines`` knows, being unprintable.  That premise is checked
here over all of Unicode (so a Python whose tables change fails here, not in
an article), and the shortcuts are compared with the general formulation on
text made of the characters that matter.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsloc.articles import Run, collapse_whitespace, parse_article

# every kind of whitespace and line boundary str.split()/splitlines() know, and text
SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u2028\u2029\u3000"


def test_whitespace_and_line_boundaries_are_unprintable():
    chars = map(chr, range(sys.maxunicode + 1))
    printable_space = [c for c in chars if c != " " and c.isprintable()
                       and (c.isspace() or len(f"a{c}b".splitlines()) > 1)]
    assert printable_space == []


HTML_SPACE = " \t\n\r\f"  # what HTML collapses (a no-break space is text)


def _html_words(text: str) -> list[str]:
    """str.split() on HTML's whitespace only."""
    return [word for word in re.split(f"[{HTML_SPACE}]", text) if word]


def _collapse_general(runs: list[Run]) -> list[Run]:
    """collapse_whitespace without its shortcuts (as it was before them, collapsing HTML's
    whitespace only, as it does since)."""
    result: list[Run] = []
    after_space = True
    for run in runs:
        if run.void:
            result.append(run)
            after_space = True
            continue
        raw = run.text
        if not _html_words(raw):
            if after_space:
                continue
            text = " "
        else:
            text = " ".join(_html_words(raw))
            if not after_space and raw[0] in HTML_SPACE:
                text = " " + text
            if raw[-1] in HTML_SPACE:
                text += " "
        after_space = text[-1] == " "
        result.append(run if text == raw else Run(text, run.stack, run.line))
    return result


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=SPACES + "ab", max_size=6), st.just(None)), max_size=4))
def test_collapse_shortcuts_agree_with_the_general_code(texts):
    runs = [Run("\n", (), 1, void="br") if t is None else Run(t, (), 1) for t in texts]
    assert collapse_whitespace(runs) == _collapse_general(runs)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SPACES + "ab.", min_size=1, max_size=12))
def test_paragraph_data_is_cut_into_source_lines(text):
    data = f"x{text}y"  # (handed to handle_data in one piece: no markup, no "&")
    raw = parse_article(Path("source/x.html"), f"<h1>H</h1><p>{data}</p>")
    # the reader first replaces control characters: U+000B by a space, the others (but the
    # whitespace TAB LF FF CR) removed
    data = "".join(" " if c == "\x0b" else c for c in data
                   if c in "\t\n\x0b\x0c\r" or unicodedata.category(c) != "Cc")
    # one run per source line, a line ending at "\n" only (as the parser counts lines)
    pieces = re.findall(r"[^\n]*\n|[^\n]+", data)
    general = [Run(piece, (), 1 + offset) for offset, piece in enumerate(pieces)]
    assert raw.blocks[0].runs == _collapse_general(general)
