"""The end of a block in an .html article (``_ArticleParser.end_block``) gives what collapsing its
whitespace gave before the reading fast paths (that code is kept below: a shortcut in end_block
for a block of one printable run was tried and removed, collapse_whitespace having its own), on
generated articles and on the test articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloc import articles
from newsloc.articles import collapse_whitespace, parse_article
from newsloc.errors import NewslocError

DATA = Path(__file__).resolve().parent / "data"


def _end_block_before(self, implicit: bool = False, at_end: bool = False) -> None:
    """_ArticleParser.end_block before its shortcut (commit 8701555), with the later fixes
    to what it does (a <p> in a <blockquote> or <li>; no "left open" for a paragraph newsloc
    made itself; at the end of the file, the lines of the paragraph and its last text)."""
    block = self.block
    if block is None:
        return
    line = None
    if at_end:  # (later fix)
        line = next((run.line for run in reversed(block.runs) if run.text.strip()), block.line)
    if self.open:
        for element in reversed(self.open):
            self._warn(f"closed {element.label()} left open, at the end of its paragraph", line)
        self.open.clear()
    if self.html:
        if implicit and block is not self.made_block:  # (a <p> read as a quotation's or list
            tag = "p" if self.in_p else block.tag       # item's paragraph is named: later fix)
            if at_end:
                self._warn(f"closed <{tag}> left open at the end of the file", block.line)
            else:
                self._warn(f"closed <{tag}> left open before the next block")
        self.in_p = False
        block.runs = collapse_whitespace(block.runs)
    for run in block.runs:
        if run.text.strip():  # a block of whitespace only is no block
            self.blocks.append(block)
            break
    self.block = None


def _parse(text: str):
    try:
        return repr(parse_article(Path("a.html"), text))
    except NewslocError as exc:
        return f"{type(exc).__name__}: {exc}"


def _both(text: str) -> tuple[str, str]:
    fast = _parse(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(articles._ArticleParser, "end_block", _end_block_before)
        before = _parse(text)
    return fast, before


TEXT = st.lists(st.sampled_from(["Word", "word.", " ", "  ", "\t", "\n", "\u00a0", "\u2028", "\x0b", "&amp;", "é",
                                 "<em>", "</em>", "<b>x</b>", "<br>", "<a href='u'>", "</a>", "<span>", ""]),
                max_size=8).map("".join)
ARTICLE = st.builds(
    lambda head, blocks: "<html><body><h1>" + head + "</h1>" + "".join(blocks) + "</body></html>",
    TEXT,
    st.lists(st.builds(lambda tag, text, close: f"<{tag}>{text}" + (f"</{tag}>" if close else ""),
                       st.sampled_from(["p", "li", "h2", "blockquote", "div"]), TEXT, st.booleans()), max_size=5))


@settings(max_examples=1500, deadline=None)
@given(ARTICLE)
def test_block_end_shortcut_agrees_with_collapsing(text):
    fast, before = _both(text)
    assert fast == before


def test_block_end_shortcut_on_the_test_articles():
    paths = [p for p in DATA.rglob("*") if p.suffix in (".html", ".htm")]
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        fast, before = _both(text)
        assert fast == before, path
