"""Segmentation stage: blocks of marked-up runs -> sentences in msgid form.

Sentence boundaries are found on the block's *plain text* (markup removed,
``<br>`` as a line break) by :mod:`newsloc.sentences`, so inline markup never
causes a split.  Each sentence is then serialised back with its inline markup.
An element that spans a sentence boundary is closed at the end of one sentence
and reopened, with the same tag and attributes, at the start of the next, so
every segment is well-formed on its own and the rebuilt page renders the same.
The whitespace (and any ``<br>``) between two sentences becomes the block's
separator, so joining segments and separators gives the block back.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from . import sentences
from .articles import Element, RawArticle, RawBlock, Run, escape_text
from .model import Article, Block, Repair, Segment


def _pieces(runs: list[Run], start: int, end: int, offsets: list[int]):
    """Yield (run, text slice) for the part of ``runs`` between plain offsets start and end."""
    # Runs that start after ``start`` cannot hold it, and those before the
    # last run starting at or before it end there at the latest: skip them.
    first = max(bisect_right(offsets, start) - 1, 0)
    for run, run_start in zip(runs[first:], offsets[first:]):
        run_end = run_start + len(run.text)
        if run_end <= start:
            continue
        if run_start >= end:
            break
        yield run, run.text[max(start, run_start) - run_start: min(end, run_end) - run_start], max(start, run_start) - run_start


def serialise(pieces) -> str:
    """Serialise (run, text) pieces with the minimal tag changes between them."""
    out: list[str] = []
    current: tuple[Element, ...] = ()
    for run, text, _ in pieces:
        stack = run.stack
        common = 0
        while common < len(current) and common < len(stack) and current[common] is stack[common]:
            common += 1
        out.extend(element.close_tag() for element in reversed(current[common:]))
        out.extend(element.open_tag() for element in stack[common:])
        current = stack
        out.append(f"<{run.void}>" if run.void else escape_text(text))
    out.extend(element.close_tag() for element in reversed(current))
    return "".join(out)


def _separator(pieces) -> str:
    # Between sentences only whitespace and <br> remain; elements are closed around them.
    return "".join(f"<{run.void}>" if run.void else escape_text(text) for run, text, _ in pieces)


def segment_block(block: RawBlock, lang: str, path: Path, repairs: list[Repair], split: bool = True) -> Block:
    """Cut one block into sentence segments (the headline is not split: ``split=False``)."""
    runs = block.runs
    if len(runs) == 1 and not runs[0].stack and not runs[0].void:
        return _segment_plain(block, runs[0], lang, split)
    plain = "".join(run.text for run in runs)
    offsets: list[int] = []
    position = 0
    for run in block.runs:
        offsets.append(position)
        position += len(run.text)
    spans = _spans(plain, lang, split)
    segments: list[Segment] = []
    separators: list[str] = []
    for index, (start, end) in enumerate(spans):
        pieces = list(_pieces(block.runs, start, end, offsets))
        first_run, _, first_offset = pieces[0]
        line = first_run.line + first_run.text.count("\n", 0, first_offset) if not first_run.void else first_run.line
        segments.append(Segment(serialise(pieces), line))
        if index:
            gap = list(_pieces(block.runs, spans[index - 1][1], start, offsets))
            separators.append(_separator(gap))
            carried = {id(e) for e in pieces[0][0].stack} & {id(e) for e in prev_last_stack}
            for element in pieces[0][0].stack:
                if id(element) in carried:
                    repairs.append(Repair(
                        path, line,
                        f"split <{element.tag}> at a sentence boundary into one element per sentence",
                    ))
        prev_last_stack = pieces[-1][0].stack
    return Block(block.tag, block.line, segments, separators)


def _spans(plain: str, lang: str, split: bool) -> list[tuple[int, int]]:
    if split:
        return sentences.split_spans(plain, lang)
    stripped = plain.strip()
    left = len(plain) - len(plain.lstrip())
    return [(left, left + len(stripped))] if stripped else []


def _segment_plain(block: RawBlock, run: Run, lang: str, split: bool) -> Block:
    """:func:`segment_block` for the common block: one run of text with no markup.

    Nothing is open around the text, so every segment (and separator) is just
    the escaped text between the sentence offsets, and no element is split.
    """
    text = run.text
    segments: list[Segment] = []
    separators: list[str] = []
    previous_end = None
    multiline = "\n" in text
    for start, end in _spans(text, lang, split):
        if previous_end is not None:
            separators.append(escape_text(text[previous_end:start]))
        line = run.line + text.count("\n", 0, start) if multiline else run.line
        segments.append(Segment(escape_text(text[start:end]), line))
        previous_end = end
    return Block(block.tag, block.line, segments, separators)


def segment_article(raw: RawArticle) -> Article:
    """Segment every block of a parsed article."""
    repairs = list(raw.repairs)
    headline = segment_block(raw.headline, raw.source_lang, raw.path, repairs, split=False)
    blocks = [segment_block(b, raw.source_lang, raw.path, repairs) for b in raw.blocks]
    repairs.sort(key=lambda repair: repair.line)
    return Article(raw.slug, raw.path, raw.source_lang, headline, blocks, repairs)
