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
from itertools import accumulate
from pathlib import Path

from . import sentences
from .articles import Element, RawArticle, RawBlock, Run, escape_text
from .model import Article, Block, Repair, Segment


def _pieces(runs: list[Run], start: int, end: int, offsets: list[int]) -> list[tuple[Run, str, int]]:
    """(run, text slice, offset of the slice in the run) for the part of ``runs`` between plain offsets start and end."""
    # Runs that start after ``start`` cannot hold it, and those before the
    # last run starting at or before it end there at the latest: skip them
    # (by index: slicing the lists would copy them for every sentence).
    out = []
    count = len(runs)
    index = max(bisect_right(offsets, start) - 1, 0)
    while index < count:
        run_start = offsets[index]
        run = runs[index]
        index += 1
        run_end = run_start + len(run.text)
        if run_end <= start:
            continue
        if run_start >= end:
            break
        lo = start - run_start if start > run_start else 0
        out.append((run, run.text[lo: (end if end < run_end else run_end) - run_start], lo))
    return out


def serialise(pieces) -> str:
    """Serialise (run, text) pieces with the minimal tag changes between them."""
    out: list[str] = []
    current: tuple[Element, ...] = ()
    for run, text, _ in pieces:
        stack = run.stack
        if stack != current:  # (elements compare by identity)
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
    texts = [run.text for run in runs]
    plain = "".join(texts)
    offsets = [0, *accumulate(map(len, texts))]
    offsets.pop()
    spans = _spans(plain, lang, split)
    segments: list[Segment] = []
    separators: list[str] = []
    prev_last_stack: tuple[Element, ...] = ()
    prev_end = 0
    for index, (start, end) in enumerate(spans):
        pieces = _pieces(runs, start, end, offsets)
        first_run, _, first_offset = pieces[0]
        line = first_run.line + first_run.text.count("\n", 0, first_offset) if not first_run.void else first_run.line
        segments.append(Segment(serialise(pieces), line))
        if index:
            separators.append(_separator(_pieces(runs, prev_end, start, offsets)))
            stack = first_run.stack
            if stack and prev_last_stack:
                carried = {id(e) for e in stack} & {id(e) for e in prev_last_stack}
                for element in stack:
                    if id(element) in carried:
                        repairs.append(Repair(
                            path, line,
                            f"split <{element.tag}> at a sentence boundary into one element per sentence",
                        ))
        prev_last_stack = pieces[-1][0].stack
        prev_end = end
    return Block(block.tag, block.line, segments, separators)


def _spans(plain: str, lang: str, split: bool) -> list[tuple[int, int]]:
    if split:
        return sentences.split_spans(plain, lang)
    stripped = plain.strip()
    left = len(plain) - len(plain.lstrip())
    return [(left, left + len(stripped))] if stripped else []


def _segment_plain(block: RawBlock, run: Run, lang: str, split: bool) -> Block:
    """:func:`segment_block` for the common block: one run of text with no markup.

    Nothing is open around the text, so every segment is just the escaped
    text between the sentence offsets, every separator the whitespace
    between them, and no element is split.
    """
    text = run.text
    line = run.line
    spans = sentences.split_spans(text, lang) if split else _spans(text, lang, False)
    escape = "&" in text or "<" in text or ">" in text  # most paragraphs have nothing to escape
    if len(spans) == 1:  # one sentence (always the headline)
        start, end = spans[0]
        if "\n" in text:
            line += text.count("\n", 0, start)
        sentence = text[start:end]
        return Block(block.tag, block.line, [Segment(escape_text(sentence) if escape else sentence, line)], [])
    segments: list[Segment] = []
    separators: list[str] = []
    previous_end = None
    multiline = "\n" in text
    for start, end in spans:
        if previous_end is not None:
            separators.append(text[previous_end:start])  # whitespace only: nothing to escape
        sentence = text[start:end]
        segments.append(Segment(escape_text(sentence) if escape else sentence,
                                line + text.count("\n", 0, start) if multiline else line))
        previous_end = end
    return Block(block.tag, block.line, segments, separators)


def segment_article(raw: RawArticle) -> Article:
    """Segment every block of a parsed article."""
    repairs = list(raw.repairs)
    headline = segment_block(raw.headline, raw.source_lang, raw.path, repairs, split=False)
    blocks = [segment_block(b, raw.source_lang, raw.path, repairs) for b in raw.blocks]
    repairs.sort(key=lambda repair: repair.line)
    return Article(raw.slug, raw.path, raw.source_lang, headline, blocks, repairs)
