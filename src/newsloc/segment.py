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

from itertools import accumulate
from pathlib import Path

from . import sentences
from .articles import Element, RawArticle, RawBlock, Run, escape_text
from .model import Article, Block, Repair, Segment


def _pieces(runs: list[Run], offsets: list[int], bounds: list[int]) -> list[list[tuple[Run, str, int]]]:
    """For each interval [bounds[k], bounds[k + 1]) of plain offsets: the part of ``runs`` in it.

    The parts are lists of (run, text slice, offset of the slice in the run);
    the intervals come in text order, so one pass over the runs serves them
    all.  An empty interval inside a run gives that run with an empty slice.
    """
    result = []
    count = len(runs)
    first = 0  # runs before it end at or before the current interval
    for k in range(len(bounds) - 1):
        start = bounds[k]
        end = bounds[k + 1]
        while first < count and offsets[first] + len(runs[first].text) <= start:
            first += 1
        out = []
        index = first
        while index < count:
            run_start = offsets[index]
            if run_start >= end:
                break
            run = runs[index]
            run_end = run_start + len(run.text)
            lo = start - run_start if start > run_start else 0
            out.append((run, run.text[lo: (end if end < run_end else run_end) - run_start], lo))
            index += 1
        result.append(out)
    return result


def serialise(pieces, escape: bool = True) -> str:
    """Serialise (run, text) pieces with the minimal tag changes between them.

    ``escape=False`` when the caller knows the text has no ``&``, ``<`` or ``>``.
    """
    out: list[str] = []
    current: tuple[Element, ...] = ()
    for run, text, _ in pieces:
        stack = run.stack
        if stack != current:  # (elements compare by identity)
            common = 0
            while common < len(current) and common < len(stack) and current[common] is stack[common]:
                common += 1
            for element in reversed(current[common:]):
                out.append(element.close_tag())
            for element in stack[common:]:
                out.append(element.open_tag())
            current = stack
        if run.void:
            out.append(f"<{run.void}>")
        else:
            out.append(escape_text(text) if escape else text)
    for element in reversed(current):
        out.append(element.close_tag())
    return "".join(out)


def _separator(pieces) -> str:
    # Between sentences only whitespace and <br> remain; elements are closed around them.
    if len(pieces) == 1 and not pieces[0][0].void:  # the usual gap: a space
        return escape_text(pieces[0][1])
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
    escape = "&" in plain or "<" in plain or ">" in plain  # most paragraphs have nothing to escape
    segments: list[Segment] = []
    separators: list[str] = []
    prev_last_stack: tuple[Element, ...] = ()
    # the parts of the runs in every sentence and every gap between two, in one pass
    parts = _pieces(runs, offsets, [offset for span in spans for offset in span])
    for index in range(len(spans)):
        pieces = parts[2 * index]
        first_run, _, first_offset = pieces[0]
        line = first_run.line + first_run.text.count("\n", 0, first_offset) if not first_run.void else first_run.line
        segments.append(Segment(serialise(pieces, escape), line))
        if index:
            separators.append(_separator(parts[2 * index - 1]))
            stack = first_run.stack
            if stack and prev_last_stack:
                carried = {id(e) for e in stack} & {id(e) for e in prev_last_stack}
                for element in stack:
                    if id(element) in carried:
                        repairs.append(Repair(
                            path, line,
                            f"split {element.label()} at a sentence boundary into one element per sentence",
                        ))
        prev_last_stack = pieces[-1][0].stack
    return Block(block.tag, block.line, segments, separators, block.group, block.list_tag,
                 block.list_id, block.list_parent, block.list_start)


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
        return Block(block.tag, block.line, [Segment(escape_text(sentence) if escape else sentence, line)], [],
                     block.group, block.list_tag, block.list_id, block.list_parent, block.list_start)
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
    return Block(block.tag, block.line, segments, separators, block.group, block.list_tag,
                 block.list_id, block.list_parent, block.list_start)


def segment_article(raw: RawArticle) -> Article:
    """Segment every block of a parsed article."""
    repairs = list(raw.repairs)
    headline = segment_block(raw.headline, raw.source_lang, raw.path, repairs, split=False)
    blocks = [segment_block(b, raw.source_lang, raw.path, repairs) for b in raw.blocks]
    repairs.sort(key=lambda repair: repair.line)
    return Article(raw.slug, raw.path, raw.source_lang, headline, blocks, repairs)
