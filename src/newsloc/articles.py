"""Reading articles from ``source/``: the format adapter for ``.txt`` and ``.html``.

Markup is tokenised by Python's :mod:`html.parser` (a real, forgiving HTML
tokenizer that reports line numbers); this module only decides what the tokens
mean.  Broken markup that newsrooms really produce is repaired, and every repair
is reported as a :class:`~newsloc.model.Repair` naming the file and line:

* attribute values written in typographic quotes (``href=”…”``) are re-quoted;
* an inline element left open is closed at the end of its paragraph;
* an ``<a>`` opened inside another ``<a>`` closes the first (as browsers do);
* stray closing tags are dropped;
* unsupported tags are dropped (their text is kept; ``script``/``style`` content is not).

The result of parsing is, per block, a list of *runs*: pieces of text (or a
``<br>``) together with the stack of inline elements open around them.  The
segmenter cuts these runs into sentences (see :mod:`newsloc.segment`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from .htmlparse import HTMLParser
from pathlib import Path

from . import textchars
from .errors import ArticleError
from .locales import code_for_language_tag
from .model import Repair

# (sup and sub carry meaning: 10<sup>6</sup> is not 106)
INLINE_TAGS = frozenset({"a", "em", "strong", "i", "b", "span", "sup", "sub"})
VOID_TAGS = frozenset({"br"})
BLOCK_TAGS = frozenset({"h1", "p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6"})
# Dropped with their content: not text of the page (a frame's or a player's content is
# what a browser that cannot show it would show instead: "Your browser does not support…").
SKIP_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "title", "head",
                               "iframe", "video", "audio", "object", "canvas"})
# Structural tags of an .html document that carry no content of their own.
CONTAINER_TAGS = frozenset({"html", "body", "article", "main", "section", "header", "footer",
                            "div", "ul", "ol", "meta", "link", "!doctype"})
# What an element newsloc does not keep does to the text in and around it, decided by HTML's
# content categories (HTML Living Standard, "Kinds of content", and "Rendering" for how a
# browser shows each).  An element not named here is phrasing content that a browser shows
# inline (font, u, s, small, big, abbr, time, mark, ins, del, code, Word's o:p, custom
# elements): it is dropped and its text joins the text around it, as on the screen.
PARAGRAPH = "paragraph"  # flow content in a box of its own, inside a structure newsloc does not keep
SEPARATE = "separate"  # shown as a box: the words on either side of it stay apart
DROPPED_ELEMENTS: dict[str, str] = {
    # Table cells and captions, definition-list terms and descriptions, figure captions:
    # each is read as a paragraph of its own (.html; in a .txt line they separate words).
    **dict.fromkeys(("td", "th", "caption", "dt", "dd", "figcaption"), PARAGRAPH),
    # Flow content that is not phrasing content (block-level: a box on lines of its own),
    # with the table and list structure around the above (and BLOCK_TAGS, which in a .txt
    # line are not blocks).
    **dict.fromkeys((
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
        "dl", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "legend", "li", "listing", "main", "menu", "nav", "ol", "optgroup", "option",
        "p", "pre", "search", "section", "summary", "table", "thead", "tbody", "tfoot", "tr",
        "colgroup", "col", "ul",
    ), SEPARATE),
    # Embedded content (an image, a player, a frame: replaced elements) and form controls:
    # phrasing content, but a box the line of text does not run through.
    **dict.fromkeys((
        "img", "picture", "embed", "svg", "math", "input", "button", "select", "textarea", "meter",
        "progress",
    ), SEPARATE),
}
# What is not kept when a PARAGRAPH element is read (named once per kind and article).
_NOT_KEPT = {"td": "tables", "th": "tables", "caption": "tables", "dt": "definition lists",
             "dd": "definition lists", "figcaption": "figures"}
# The structure around cells: not reported (the cells are, once); its end ends an open cell.
_CELL_STRUCTURE = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup", "col", "dl"})
_CELL_ENDS = _CELL_STRUCTURE | _NOT_KEPT.keys() | {"figure"}
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
TYPOGRAPHIC_QUOTES = "“”„″«»"
_TYPOGRAPHIC_QUOTE = re.compile("[" + TYPOGRAPHIC_QUOTES + "]")
# HTML's whitespace (ASCII only: a no-break space, U+00A0, and the other Unicode
# spaces are text, which str.split() and str.isspace() would take for whitespace).
HTML_WHITESPACE = " \t\n\r\f"
_HTML_WHITESPACE_RUN = re.compile("[" + HTML_WHITESPACE + "]+")
# The start of a tag, end tag, comment or declaration (as HTMLParser sees one).
_MARKUP_START = re.compile(r"<[a-zA-Z/!?]")
# A source-language suffix in the file name: story.ru.txt is a Russian article.
_LANG_SUFFIX = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")


@dataclass(eq=False)
class Element:
    """An inline element instance (identity matters: two <em> are two elements)."""

    tag: str
    attrs: tuple[tuple[str, str], ...]

    def open_tag(self) -> str:
        parts = [self.tag]
        for name, value in self.attrs:
            parts.append(f'{name}="{escape_attr(value)}"')
        return "<" + " ".join(parts) + ">"

    def close_tag(self) -> str:
        return f"</{self.tag}>"

    def label(self) -> str:
        return element_label(self.tag, self.attrs)


def element_label(tag: str, attrs) -> str:
    """An element as warnings name it: ``<a href="…/armenia-pivots-to-the-west">`` (a link by
    the end of its target, which tells two links of one line apart), else ``<em>``."""
    href = next((value for name, value in attrs if name == "href" and value), None)
    if href is None:
        return f"<{tag}>"
    return f'<{tag} href="{href if len(href) <= 40 else "…" + href[-39:]}">'


@dataclass
class Run:
    """Text (or a void element) with the inline elements open around it."""

    text: str  # plain text; "\n" for a <br>
    stack: tuple[Element, ...]
    line: int
    void: str | None = None  # "br" for a void element


@dataclass
class RawBlock:
    tag: str
    line: int
    runs: list[Run] = field(default_factory=list)
    group: int = 0  # the <blockquote> or <li> it is a paragraph of (see model.Block)
    list_tag: str = ""  # a list item's list, "ol" or "ul", and its number (see model.Block)
    list_id: int = 0
    list_parent: int = 0  # the item a nested list is in, and an <ol>'s start (see model.Block)
    list_start: int = 1


@dataclass
class RawArticle:
    path: Path
    slug: str
    source_lang: str
    headline: RawBlock
    blocks: list[RawBlock]
    repairs: list[Repair]


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


def slug_and_lang(path: Path) -> tuple[str, str | None]:
    """``story.txt`` -> ("story", None); ``story.ru.txt`` -> ("story", "ru")."""
    return _slug_and_lang(path.name, path.suffix)


def _slug_and_lang(name: str, suffix: str) -> tuple[str, str | None]:
    # (parse_article has the name and suffix already: pathlib computes them anew on every access)
    stem = name[: -len(suffix)] if suffix else name
    base, dot, maybe_lang = stem.rpartition(".")
    # (a suffix Babel does not know, notes.old.txt, is part of the name, not a language)
    if dot and _LANG_SUFFIX.match(maybe_lang) and code_for_language_tag(maybe_lang) == maybe_lang:
        return base, maybe_lang
    return stem, None


def requote_typographic(raw_tag: str) -> str:
    """Turn ``name=”value with spaces”`` into ``name="value with spaces"`` in one start tag.

    Only quotes that open an attribute value (right after ``=``) and the
    typographic quote that closes it are touched; the tag is then parsed again
    by the HTML parser.
    """
    out: list[str] = []
    i = 0
    while i < len(raw_tag):
        ch = raw_tag[i]
        out.append(ch)
        i += 1
        if ch != "=":
            continue
        while i < len(raw_tag) and raw_tag[i] in " \t\n":
            out.append(raw_tag[i])
            i += 1
        if i < len(raw_tag) and raw_tag[i] in TYPOGRAPHIC_QUOTES:
            close = i + 1
            while close < len(raw_tag) and raw_tag[close] not in TYPOGRAPHIC_QUOTES + '">':
                close += 1
            value = raw_tag[i + 1:close]
            out.append('"' + value.replace('"', "&quot;") + '"')
            i = close + 1 if close < len(raw_tag) and raw_tag[close] in TYPOGRAPHIC_QUOTES else close
    return "".join(out)


class _TagReader(HTMLParser):
    """Parses one repaired start tag back into (tag, attrs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result: tuple[str, list[tuple[str, str | None]]] | None = None

    def handle_starttag(self, tag, attrs):
        self.result = (tag, attrs)

    handle_startendtag = handle_starttag


def _reparse_tag(raw: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    reader = _TagReader()
    reader.feed(raw)
    reader.close()
    return reader.result


class _ArticleParser(HTMLParser):
    """Turns markup into blocks of runs, repairing what is broken.

    In ``txt`` mode the caller feeds one paragraph line at a time and calls
    :meth:`start_block` / :meth:`end_block` around it; in ``html`` mode block
    tags in the document delimit the blocks.
    """

    def __init__(self, path: Path, mode: str, repairs: list[Repair]):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.mode = mode
        self.html = mode == "html"  # tested on every event
        self.repairs = repairs
        self.line_base = 0  # added to the parser's own line numbers (txt mode)
        self.blocks: list[RawBlock] = []
        self.block: RawBlock | None = None
        self.open: list[Element] = []
        self.skip_depth = 0
        self.html_lang: str | None = None
        self.html_lang_line = 0
        self.dropped: set[str] = set()  # unsupported tags already reported
        # txt mode: markup that left nothing in the text (a comment, a dropped
        # tag or <script>) was just read, so the text on either side meets here
        self.seam = False
        # .html: the <blockquote> or <li> open in the source whose <p> are its
        # paragraphs (its tag and number, "" and 0 when none), whether a <p> is
        # open in it, and the last number given to an element
        self.holder_tag = ""
        self.holder = 0
        self.in_p = False
        self.count = 0
        # the paragraph newsloc made itself for text outside any block (none of
        # the source's elements was left open when it ends)
        self.made_block: RawBlock | None = None
        # .html: in a table cell, caption or definition-list part (its text is a paragraph)
        self.cell = False
        # the <ol> and <ul> open, outermost first: (tag, number, the item it is in, start)
        self.lists: list[tuple[str, int, int, int]] = []

    # -- helpers ---------------------------------------------------------
    def _line(self) -> int:
        # (self.lineno is what getpos() returns first, without building the tuple)
        return self.lineno + self.line_base

    def _warn(self, message: str, line: int | None = None) -> None:
        self.repairs.append(Repair(self.path, line if line is not None else self._line(), message))

    def start_block(self, tag: str, line: int) -> None:
        if self.block is not None:
            self.end_block(implicit=True)
        self.block = RawBlock(tag, line)
        self.seam = False

    def end_block(self, implicit: bool = False, at_end: bool = False) -> None:
        block = self.block
        if block is None:
            return
        line = None
        if at_end:
            # (the parser is past the file's last line: name the paragraph's last text)
            line = block.line
            for run in reversed(block.runs):
                if run.text.strip():
                    line = run.line
                    break
        if self.open:
            for element in reversed(self.open):
                self._warn(f"closed {element.label()} left open, at the end of its paragraph", line)
            self.open.clear()
        if self.html:
            if implicit and block is not self.made_block:
                tag = "p" if self.in_p else block.tag
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

    # -- HTMLParser callbacks --------------------------------------------
    # (called for every tag and text of every article: kept lean, e.g. the
    # parser's line is read with getpos() where it is used)
    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        # The typographic quotes are not ASCII, and most tags are (isascii() is a flag test).
        if not raw.isascii() and _TYPOGRAPHIC_QUOTE.search(raw):
            repaired = requote_typographic(raw)
            if repaired != raw:
                parsed = _reparse_tag(repaired)
                if parsed is not None:
                    tag, attrs = parsed
                    self._warn(f"re-quoted attribute values of {element_label(tag, attrs)} written in "
                               "typographic quotes")
        if self.skip_depth:
            if tag in SKIP_CONTENT_TAGS:
                self.skip_depth += 1
            return
        if tag in SKIP_CONTENT_TAGS:
            self.skip_depth = 1
            self.seam = True
            if tag not in ("title", "head"):
                self._separate()  # (a frame or a player is a box between the words around it)
                self._warn(f"dropped <{tag}> and its content")
            return
        if tag == "html":
            self.html_lang = dict(attrs).get("lang") or None
            self.html_lang_line = self.lineno
            self.seam = True
            return
        if self.html and tag in BLOCK_TAGS:
            if tag == "p" and self.holder_tag:
                self._paragraph_in_holder()
                return
            self.start_block(tag, self.lineno + self.line_base)
            if tag == "blockquote" or tag == "li":
                self.count += 1
                self.holder_tag = tag
                self.holder = self.block.group = self.count
                if tag == "li" and self.lists:
                    self._in_list(self.block)
            return
        if tag in CONTAINER_TAGS:
            if self.block is not None and tag in DROPPED_ELEMENTS:
                self._separate()
            if self.html and tag in ("div", "ul", "ol"):
                # A list in a list item is nested in it: the item's text so far ends
                # here as it should (its text after the list is a further paragraph).
                parent = self.holder if self.holder_tag == "li" and tag != "div" else 0
                if self.block is not None:
                    self.end_block(implicit=not (parent and self.block.group == parent))
                if tag != "div":
                    self.count += 1
                    self.lists.append((tag, self.count, parent, _list_start(tag, attrs)))
            self.seam = True
            return
        if tag in VOID_TAGS:
            self._ensure_block()
            self.block.runs.append(Run("\n", tuple(self.open), self.lineno + self.line_base, void=tag))
            return
        if tag in INLINE_TAGS:
            self._ensure_block()
            if tag == "a" and any(e.tag == "a" for e in self.open):
                # Links cannot nest; browsers close the outer one here.
                self._close_through("a", reason="where another <a> opened inside it")
            clean = tuple((name, value or "") for name, value in attrs) if attrs else ()
            self.open.append(Element(tag, clean))
            return
        # A tag newsloc does not keep (rare: new work only from here on).
        kind = DROPPED_ELEMENTS.get(tag)
        self.seam = True
        if kind is not None and self.html:
            if kind == PARAGRAPH:
                self._start_cell(tag)
                return
            if tag in _CELL_STRUCTURE:  # (reported with its cells)
                self.dropped.add(tag)
                self._separate()
                return
        self.dropped.add(tag)
        if kind is not None:
            self._separate()
        self._warn(f"dropped unsupported tag <{tag}> (its text is kept)")

    def _separate(self) -> None:
        """A dropped element shown as a box: the words on either side of it stay apart."""
        block = self.block
        if block is not None and block.runs:
            last = block.runs[-1]
            if not last.void and last.text[-1] not in HTML_WHITESPACE:
                # (a space, which collapse_whitespace folds into whitespace next to it)
                block.runs.append(Run(" ", tuple(self.open), self._line()))

    def _start_cell(self, tag: str) -> None:
        """A table cell, caption or definition-list part: its text is a paragraph of its own."""
        if tag not in self.dropped:
            self.dropped.add(tag)
            self._warn(f"read <{tag}> as paragraphs: {_NOT_KEPT[tag]} are not kept")
        block = self.block
        if block is not None:
            # (the text of the list item or quotation the table is in ends here, as at
            # a <p> of it; a paragraph newsloc made is not reported either)
            self.end_block(implicit=not (self.holder and block.group == self.holder))
        self.cell = True
        self._ensure_block()

    def handle_startendtag(self, tag, attrs):
        if tag in VOID_TAGS or tag not in INLINE_TAGS:
            self.handle_starttag(tag, attrs)
        else:
            self.seam = True
            self._warn(f"dropped empty self-closing <{tag}/>")

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag in SKIP_CONTENT_TAGS:
                self.skip_depth -= 1
            return
        if self.html and tag in BLOCK_TAGS:
            block = self.block
            if block is not None and (block.tag == tag or tag == "p" and self.in_p):
                self.end_block()
            elif tag != "blockquote" and tag != "li":
                self._warn(f"dropped stray closing tag </{tag}>")
            if tag == self.holder_tag:
                self.holder_tag = ""
                self.holder = 0
            return
        if tag in INLINE_TAGS and any(e.tag == tag for e in self.open):
            self._close_through(tag)
            return
        self.seam = True
        if tag in CONTAINER_TAGS or tag in SKIP_CONTENT_TAGS or tag in VOID_TAGS or tag in self.dropped:
            if tag in DROPPED_ELEMENTS:
                if self.cell and tag in _CELL_ENDS:  # the end of a cell's paragraph
                    self.cell = False
                    self.end_block()
                elif self.block is not None:
                    self._separate()
            if tag == "ul" or tag == "ol":
                if self.holder_tag == "li":
                    self.holder_tag = ""  # the end of a list ends its item
                    self.holder = 0
                for index in range(len(self.lists) - 1, -1, -1):
                    if self.lists[index][0] == tag:
                        parent = self.lists[index][2]
                        del self.lists[index:]  # (and any list left open inside it)
                        if parent:  # back in the item the list is nested in
                            if self.block is not None:
                                self.end_block(implicit=True)
                            self.holder_tag = "li"
                            self.holder = parent
                        break
            return
        self._warn(f"dropped stray closing tag </{tag}>")

    def _paragraph_in_holder(self) -> None:
        """A <p> in the open <blockquote> or <li>: a paragraph of it, not the end of it.

        The first <p> of a quotation or item that has no text yet is the block
        itself (it keeps its tag); a further one is a further block of the
        same element (same tag, same group).
        """
        block = self.block
        if block is not None and block.group == self.holder and not self.in_p:
            if not any(run.text.strip() for run in block.runs):
                self.in_p = True
                return
            self.end_block()  # text directly in the quotation, then a paragraph of it
        self.start_block(self.holder_tag, self.lineno + self.line_base)  # (closes an open <p>)
        self.block.group = self.holder
        if self.holder_tag == "li" and self.lists:
            self._in_list(self.block)
        self.in_p = True

    def _in_list(self, block: RawBlock) -> None:
        # (the innermost list open: a nested list's items name the item it is in)
        block.list_tag, block.list_id, block.list_parent, block.list_start = self.lists[-1]

    def _close_through(self, tag: str, reason: str | None = None) -> None:
        while self.open:
            element = self.open.pop()
            if element.tag == tag:
                if reason:
                    self._warn(f"closed {element.label()} {reason}")
                return
            self._warn(f"closed {element.label()} left open inside <{tag}>")

    def _ensure_block(self, line: int | None = None) -> None:
        if self.block is None:
            if line is None:
                line = self._line()
            if self.holder_tag:  # text after a <p> of a quotation or list item: another paragraph of it
                self.block = RawBlock(self.holder_tag, line, group=self.holder)
                if self.holder_tag == "li" and self.lists:
                    self._in_list(self.block)
                return
            self.block = RawBlock("p", line)
            if self.html:
                self.made_block = self.block
                if not self.cell:
                    self._warn("text outside any block element was made a paragraph", line)

    def handle_data(self, data):
        if self.skip_depth or not data:
            return
        block = self.block
        if block is None:
            text = data.lstrip()
            if not text:
                return
            # (the paragraph starts at its text, not at the line break before it)
            self._ensure_block(self._line() + data.count("\n", 0, len(data) - len(text)))
            block = self.block
        line = self.lineno + self.line_base
        if self.html:  # one run per source line, so sentences know their line
            # (a line ends at "\n", as the parser counts lines: not at every
            # boundary splitlines() knows, a lone "\r", a form feed or U+2028,
            # which would put later runs on lines further down than they are;
            # "\n" is unprintable: most data is printable, on one line)
            if data.isprintable() or "\n" not in data:
                block.runs.append(Run(data, tuple(self.open), line))
                return
            lines = data.split("\n")
            last = lines.pop()
            stack = tuple(self.open)
            for offset, piece in enumerate(lines):
                block.runs.append(Run(piece + "\n", stack, line + offset))
            if last:
                block.runs.append(Run(last, stack, line + len(lines)))
        else:
            if self.seam:
                # The author's text is kept exactly, but what markup was dropped
                # between two spaces must not leave two: "ended <!-- x --> today".
                self.seam = False
                runs = block.runs
                if data[0].isspace() and runs and not runs[-1].void and runs[-1].text[-1].isspace():
                    data = data.lstrip()
                    if not data:
                        self.seam = True  # whitespace between two dropped pieces
                        return
            block.runs.append(Run(data, tuple(self.open), line))

    def close(self):
        # What is left unparsed at the end is an unterminated tag or comment,
        # which HTMLParser hands over as text: say so (it shows on the page).
        rest = self.rawdata
        if rest[:1] == "<" and _MARKUP_START.match(rest):
            shown = rest.split("\n", 1)[0]
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            self._warn(f"unterminated markup {shown!r} kept as text")
        super().close()

    def handle_comment(self, data):
        self.seam = True

    def handle_bogus_section(self, data):
        self.seam = True
        shown = data if len(data) <= 40 else data[:40] + "…"
        self._warn(f"dropped '<!{shown}>': not HTML, read as a comment (as browsers do)")

    def handle_decl(self, decl):
        self.seam = True

    def handle_pi(self, data):
        self.seam = True

    def unknown_decl(self, data):
        self.seam = True


def collapse_whitespace(runs: list[Run]) -> list[Run]:
    """HTML whitespace rules: any run of whitespace is one space, none at a line start.

    Whitespace is HTML's (:data:`HTML_WHITESPACE`): a no-break space is text.
    Applied to .html articles only; in .txt articles a paragraph is one line and
    its text is kept exactly.
    """
    result: list[Run] = []
    after_space = True
    for run in runs:
        if run.void:
            result.append(run)
            after_space = True
            continue
        raw = run.text
        # whitespace only: one space, if any (isspace() first: most text fails it at once)
        if not raw or raw.isspace() and not raw.strip(HTML_WHITESPACE):
            if after_space:
                continue
            text = " "
        elif raw.isprintable() and "  " not in raw:
            # The usual text: its only whitespace is single ASCII spaces (every
            # other whitespace character is unprintable), so there is nothing
            # to collapse but a leading space after a space (split() and join()
            # would copy every word to find that out).
            text = raw[1:] if after_space and raw[0] == " " else raw
        else:
            text = _HTML_WHITESPACE_RUN.sub(" ", raw)
            if after_space and text[0] == " ":
                text = text[1:]
        after_space = text[-1] == " "
        # A run already collapsed is kept (runs are not changed once made).
        result.append(run if text == raw else Run(text, run.stack, run.line))
    return result


def decode_article(path: Path, data: bytes) -> str:
    """Bytes of an article -> text, or an :class:`ArticleError` that says why not."""
    # (isspace() and find() with bounds test the same as strip() and a slice
    # would, without copying the file)
    if not data or data.isspace():
        raise ArticleError("the article is empty", path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # (UTF-16 is full of NUL bytes: say what it is)
        raise ArticleError("the article is in UTF-16 (Word's \"Unicode\" text): save it as UTF-8", path, 1)
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise ArticleError("this is a binary file, not an article (it contains NUL bytes)", path,
                           data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArticleError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}; "
            "save the file as UTF-8",
            path,
            line,
        ) from None
    if not text or text.isspace():
        raise ArticleError("the article is empty", path)
    return text


def _repair_controls(path: Path, text: str, repairs: list[Repair]) -> str:
    """``text`` without control characters and noncharacters (U+000B made a space), each
    kind reported once per line."""
    found: dict[tuple[int, str], int] = {}  # (line, character) -> how many, in text order
    line = 1
    position = 0
    for match in textchars.FORBIDDEN.finditer(text):  # (NUL was refused before)
        start = match.start()
        line += text.count("\n", position, start)
        position = start
        key = (line, match.group())
        found[key] = found.get(key, 0) + 1
    if not found:
        return text
    for (line, char), count in found.items():
        if char == "\x0b":
            message = "replaced control character U+000B with a space"
        else:
            message = f"removed {textchars.kind(ord(char))} U+{ord(char):04X}"
        repairs.append(Repair(path, line, message + (f" ({count} times)" if count > 1 else "")))
    return textchars.FORBIDDEN.sub("", text.replace("\x0b", " "))


_LINE_END = re.compile("\r\n|\r|\n")


_LIST_START = re.compile(r"-?[0-9]{1,9}")


def _list_start(tag: str, attrs: list[tuple[str, str | None]]) -> int:
    """An ordered list's first number (<ol start="3">); 1 when absent or not a number."""
    if tag != "ol" or not attrs:
        return 1
    value = (dict(attrs).get("start") or "").strip()
    return int(value) if _LIST_START.fullmatch(value) else 1


def parse_article(path: Path, text: str, source_lang: str | None = None,
                  default_lang: str = "en") -> RawArticle:
    """Parse the text of an article file into a headline and blocks of runs.

    Its language: ``source_lang`` if given, else the article's own (a ``.ru``
    in its file name, ``<html lang>``), else ``default_lang``.
    """
    # decode_article looks for NUL bytes in the first 8 KiB only (binary files);
    # one further on would end the sentence early in every gettext tool.
    nul = text.find("\x00")
    if nul >= 0:
        raise ArticleError("a NUL character: this is a binary file, not an article",
                           path, text.count("\n", 0, nul) + 1)
    repairs: list[Repair] = []
    # Almost every article has none: every such character is unprintable, and
    # isprintable() is the fastest test of the whole text (its line breaks made
    # spaces); a text with a tab or a no-break space is searched.
    if not text.replace("\n", " ").isprintable() and textchars.FORBIDDEN_QUICK.search(text) is not None:
        text = _repair_controls(path, text, repairs)
    suffix = path.suffix
    slug, name_lang = _slug_and_lang(path.name, suffix)
    suffix = suffix.lower()
    if suffix == ".txt":
        parser = _ArticleParser(path, "txt", repairs)
        # A line ends at LF, CRLF or CR, as in every editor (splitlines() would also
        # end one at a form feed or U+2028 and make the rest a paragraph of its own).
        lines = _LINE_END.split(text)
        if lines[-1] == "":
            lines.pop()
        if not lines or not lines[0].strip():
            raise ArticleError("the first line (the headline) is empty", path, 1)
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if "<" not in line and "&" not in line and not parser.skip_depth:
                # No markup and no character reference (and not inside an
                # unclosed <script>): the parser would hand the line over as
                # one piece of text with nothing open around it.
                parser.blocks.append(RawBlock("h1" if number == 1 else "p", number, [Run(line, (), number)]))
                continue
            parser.line_base = number - 1
            parser.reset()
            parser.start_block("h1" if number == 1 else "p", number)
            parser.feed(line)
            parser.close()
            parser.end_block()
        blocks = parser.blocks
    elif suffix in (".html", ".htm"):
        parser = _ArticleParser(path, "html", repairs)
        parser.feed(text)
        parser.close()
        parser.end_block(implicit=True, at_end=True)
        blocks = parser.blocks
        for h1_index, block in enumerate(blocks):
            if block.tag == "h1":
                break
        else:
            raise ArticleError("no <h1> headline found", path)
        if h1_index:
            repairs.append(Repair(path, blocks[0].line, "content before the <h1> headline was ignored"))
        blocks = blocks[h1_index:]
        if not name_lang and parser.html_lang:
            # a BCP 47 tag (WordPress writes lang="en-US") as a gettext code: en_US
            name_lang = code_for_language_tag(parser.html_lang)
            if name_lang is None:
                repairs.append(Repair(path, parser.html_lang_line,
                                      f"ignored <html lang=\"{parser.html_lang}\">: not a language Babel knows "
                                      f"(read as {source_lang or default_lang})"))
    else:
        raise ArticleError(
            f"unknown article type {path.suffix or '(no extension)'!r}; "
            f"use one of {', '.join(ARTICLE_SUFFIXES)}",
            path,
        )
    if not blocks:
        raise ArticleError("the article is empty", path)
    lang = source_lang or name_lang or default_lang
    repairs.sort(key=lambda repair: repair.line)
    return RawArticle(path, slug, lang, blocks[0], blocks[1:], repairs)
