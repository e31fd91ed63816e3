"""The small data model of newsloc.  Nothing here does I/O.

An :class:`Article` is a headline plus a list of :class:`Block` (paragraphs,
list items, sub-headings); each block is cut into :class:`Segment` (sentences)
whose ``text`` is exactly the msgid translators see: the sentence with its
inline markup normalised (``<a href="...">``, ``<em>``...).  Joining a block's
segments with its ``separators`` rebuilds the block's inner HTML.

A :class:`Term` is one glossary entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Segment:
    """One sentence of a block, in msgid form (inline markup kept)."""

    text: str
    line: int


@dataclass
class Block:
    """A block-level element of the article: the headline, a paragraph, a list item..."""

    tag: str  # h1 (headline), p, li, blockquote, h2 ... h6
    line: int
    segments: list[Segment]
    # separators[i] is the markup between segments[i] and segments[i + 1]
    # (whitespace, sometimes a <br>); len(separators) == len(segments) - 1.
    separators: list[str] = field(default_factory=list)
    # The source <blockquote> or <li> element this block is a paragraph of (a
    # number unique in the article; 0: none or not known): a quotation or list
    # item written as several <p> is several blocks with the same group, which
    # the page shows as paragraphs of one element.
    group: int = 0
    # A list item's list: "ol" or "ul" ("" when not known: shown as "ul"), and a
    # number unique in the article, so that two lists one after the other stay two.
    list_tag: str = ""
    list_id: int = 0
    # A list nested in a list item: the group of that item (0: a list of the article's
    # own); and an ordered list's first number (<ol start>).
    list_parent: int = 0
    list_start: int = 1

    def join(self, texts: list[str] | None = None) -> str:
        """Rebuild the block's inner HTML, optionally with other segment texts."""
        parts = texts if texts is not None else [s.text for s in self.segments]
        if len(parts) == 1:  # most blocks: one sentence
            return parts[0]
        if len(self.separators) == len(parts) - 1:  # interleaved by slice assignment (no loop)
            out = [""] * (2 * len(parts) - 1)
            out[0::2] = parts
            out[1::2] = self.separators
            return "".join(out)
        out = [parts[0]] if parts else []
        for sep, part in zip(self.separators, parts[1:]):
            out.append(sep)
            out.append(part)
        return "".join(out)


@dataclass(frozen=True)
class Repair:
    """A change made to broken source markup, reported to the user as a warning."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}"


@dataclass
class Article:
    """A parsed source article."""

    slug: str
    path: Path  # relative to the project root, e.g. source/x.txt
    source_lang: str
    headline: Block
    blocks: list[Block]
    repairs: list[Repair] = field(default_factory=list)

    def all_blocks(self) -> list[Block]:
        return [self.headline, *self.blocks]

    def segments(self) -> list[Segment]:
        return [seg for block in self.all_blocks() for seg in block.segments]


TERM_KINDS = ("person", "organisation", "place", "acronym", "group", "other")


@dataclass(frozen=True)
class TermTarget:
    """How a term is rendered in one locale.

    ``forms[0]`` is the agreed (canonical) form; the rest are accepted inflected
    forms.  ``pattern`` is an optional regular expression that also accepts a
    form.  ``keep`` means "keep as in source" (forms then equal the source forms).
    """

    locale: str
    forms: tuple[str, ...]
    pattern: str | None = None
    keep: bool = False

    @property
    def agreed(self) -> str:
        return self.forms[0]


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    id: str
    kind: str
    sources: tuple[str, ...]  # sources[0] is the canonical source form
    case_sensitive: bool = True
    note: str | None = None
    targets: dict[str, TermTarget] = field(default_factory=dict, hash=False, compare=True)
    line: int | None = None  # line in glossary.yaml, for error messages
