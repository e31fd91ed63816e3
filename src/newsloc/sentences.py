"""Plain-text sentence segmentation for news paragraphs.

The cutting is done by maintained libraries, chosen by measurement
(``benchmarks/segmentation.md``):

* ``ru``: `razdel <https://github.com/natasha/razdel>`_, the best measured on
  independent Russian news text;
* every other language (``en``, ``hy``...): Wikimedia's
  `sentencex <https://github.com/wikimedia/sentencex>`_, fast (tens of MB/s)
  and good on English and Armenian (``:``/``։`` full stop).

Neither library is perfect for news copy, so a few small wrappers adjust the
*positions* of the library's cuts; each is a general editing rule, documented
where it is defined:

* a blank line (``<br><br>``) always ends a sentence (:func:`_blocks`);
* sentencex 1.0.32 stops splitting after a sentence that starts with a
  parenthesised list marker such as ``(a)``; the marker is shown to it as
  ``{a}`` (:func:`_mask_paren_markers`);
* a bracketed sentence ``(How about this?)`` ends before a capitalised one
  (:func:`_closing_brackets`, sentencex only);
* an enumeration marker (``1.``, ``a.``, ``IV.``, ``§2.``, ``8.1.``) is never a
  sentence of its own, and an inline numbered list ``1. … 2. …`` is one item
  per sentence (:func:`_enumerations`);
* a 4-dot ellipsis ``word. . . . Next`` is a full stop followed by an ellipsis
  that belongs to the next sentence (:func:`_spaced_ellipsis`);
* an opening quotation mark is never left hanging at the end of the previous
  sentence (:func:`_dangling_quotes`);
* a sentence never starts with a lowercase word (:func:`_lowercase_continuation`,
  sentencex only: ``the undef. abbreviation``, ``”Why?” she asked``);
* no cut inside a balanced quotation: same-glyph ``”…”`` (which sentencex
  does not pair) and, for razdel, ``«…»`` (:func:`_inside_quotations`); and
  for razdel, which takes every ``”`` for a closing quote, a cut before a
  ``”`` that opens a quoted sentence (:func:`_same_glyph_openers`);
* no cut after a title or place type that always precedes a name and that
  the library does not know (``Ms.``, ``пгт.``, :func:`_head_abbreviations`).

The wrappers only move, add or drop cut positions; the spans are then derived
from the cuts by trimming whitespace, so segmentation is lossless by
construction: the text between consecutive spans is whitespace only, and
every non-whitespace character is inside exactly one span.

Example::

    >>> split_sentences("He met U.S. officials on Jan. 5. They talked.", "en")
    ['He met U.S. officials on Jan. 5.', 'They talked.']
"""

from __future__ import annotations

import functools
import heapq
import re
from bisect import bisect_right, insort

import sentencex

__all__ = ["split_spans", "split_sentences", "segbench"]

# Languages sent to razdel; everything else goes to sentencex.
_RAZDEL_LANGS = frozenset({"ru"})


def split_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Return the sentences of ``text`` as ``(start, end)`` offsets.

    ``text`` is plain text (inline HTML already removed; ``\\n`` stands for a
    ``<br>``).  ``lang`` is a language code such as ``en``, ``ru``, ``hy``
    or ``en_US``.  No span starts or ends with whitespace and only whitespace
    lies outside the spans.

    >>> split_spans("Hello there.  How are you?", "en")
    [(0, 12), (14, 26)]
    """
    base = _base_lang(lang)
    spans: list[tuple[int, int]] = []
    if "\n" not in text:  # the common case: one block
        _append_pieces(text, 0, _adjust(text, _library_cuts(text, base), base), spans)
        return spans
    for bstart, bend in _blocks(text):
        block = text[bstart:bend]
        cuts = _library_cuts(block, base)
        cuts = _adjust(block, cuts, base)
        _append_pieces(block, bstart, cuts, spans)
    return spans


def split_sentences(text: str, lang: str) -> list[str]:
    """Return the sentences of ``text`` (see :func:`split_spans`).

    >>> split_sentences("«Мы не отступим», — сказал он. Затем уехал.", "ru")
    ['«Мы не отступим», — сказал он.', 'Затем уехал.']
    """
    return [text[s:e] for s, e in split_spans(text, lang)]


def segbench(text: str, lang: str) -> list[str]:
    """Plug-in for the segmentation benchmark (``newsloc.sentences:segbench``)."""
    return split_sentences(text, lang)


# --------------------------------------------------------------- plumbing


@functools.lru_cache(maxsize=64)
def _base_lang(lang: str) -> str:
    """``en_US``/``pt-BR``/``RU`` -> ``en``/``pt``/``ru`` (the libraries key on the base)."""
    return re.split(r"[-_@.]", lang.strip(), maxsplit=1)[0].lower() or "en"


# Two or more line breaks (``<br><br>``, or a blank line) separate blocks.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def _blocks(text: str) -> list[tuple[int, int]]:
    """Split at blank lines: a CMS writes ``<br><br>`` where it means a new paragraph.

    A single line break is ordinary whitespace for the libraries, which still
    end a sentence at it after terminal punctuation; splitting at every single
    ``<br>`` would cut sentences that are only wrapped for layout.
    """
    out = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _library_cuts(block: str, lang: str) -> list[int]:
    """Interior cut offsets (sorted, unique, 0 < cut < len) proposed by the library."""
    n = len(block)
    if lang in _RAZDEL_LANGS:
        import razdel  # only Russian sources need it (~7 ms of start-up otherwise)

        ends = [s.stop for s in razdel.sentenize(block)] or [n]
    else:
        # sentencex.segment() returns consecutive slices of its input (its
        # get_sentence_boundaries() gives the same offsets, ~15% slower).
        masked = _mask_paren_markers(block) if "(" in block else block
        pieces = sentencex.segment(lang, masked)
        if len(pieces) == 1 and len(pieces[0]) == n:
            return []  # the common case: one sentence
        ends = []
        end = 0
        for piece in pieces:  # (a loop beats accumulate() for the usual 2-3 pieces)
            if not piece:
                break
            end += len(piece)
            ends.append(end)
        else:
            if end == n and ends:
                ends.pop()  # consecutive non-empty slices: the cuts are sane
                return ends
        # not slices after all: ask for the offsets
        ends = [b["end_index"] for b in sentencex.get_sentence_boundaries(lang, masked)] or [n]
    ends.pop()  # the end of the block is not a cut
    # Offsets are only used as cut points, so the result stays lossless
    # whatever the library returns; still keep them sane.
    if all(a < b for a, b in zip([0, *ends], [*ends, n])):
        return ends
    return sorted({e for e in ends if 0 < e < n})


def _append_pieces(block: str, offset: int, cuts: list[int], out: list[tuple[int, int]]) -> None:
    """Turn cuts into whitespace-trimmed, non-empty spans."""
    prev = 0
    cuts.append(len(block))  # (the cuts are the caller's own list, made for this call)
    for cut in cuts:
        piece = block[prev:cut]
        if piece and not piece[0].isspace():  # the usual piece: the sentence, then whitespace
            out.append((offset + prev, offset + prev + len(piece.rstrip())))
        else:
            stripped = piece.lstrip()
            if stripped:
                start = cut - len(stripped)
                out.append((offset + start, offset + start + len(stripped.rstrip())))
        prev = cut


def _adjust(block: str, cuts: list[int], lang: str) -> list[int]:
    """Apply the wrappers, in order, to the library's cuts (cheap tests first: most blocks skip most rules)."""
    sentencex_path = lang not in _RAZDEL_LANGS
    if sentencex_path and (")" in block or "]" in block):
        cuts = _closing_brackets(block, cuts)  # razdel has this rule built in
    if "." in block:
        cuts = _enumerations(block, cuts)
        if ". ." in block:
            cuts = _spaced_ellipsis(block, cuts)
    if cuts and _ANY_OPENER.search(block):
        cuts = _dangling_quotes(block, cuts)
    if cuts and sentencex_path:
        cuts = _lowercase_continuation(block, cuts)  # razdel has this rule built in
    if not sentencex_path and "”" in block:
        cuts = _same_glyph_openers(block, cuts)  # razdel takes every ” for a closing quote
    if cuts and ("”" in block or (not sentencex_path and "«" in block)):
        # sentencex pairs «…» itself; razdel pairs no quotes
        cuts = _inside_quotations(block, cuts, guillemets=not sentencex_path)
    if cuts and lang in _HEAD_ABBR:
        quick = _HEAD_ABBR_QUICK.get(lang)
        if quick is None or quick.search(block):
            cuts = _head_abbreviations(block, cuts, _HEAD_ABBR[lang])
    return cuts


# --------------------------------------------------------------- wrappers

# sentencex 1.0.32 never splits again after a sentence that starts with a
# parenthesised list marker, "(a) First. Second. Third." comes back as one
# sentence, while "{a} First. Second." is split correctly.  Showing the
# library braces instead of parentheses (same length, so offsets hold) works
# around it without changing what a marker means.  (Square brackets would
# not do: "Third. [1]" is taken for a footnote reference of "Third.".)
_PAREN_MARKER = re.compile(r"\((\d{1,3}|[^\W\d_]|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})\)")


def _mask_paren_markers(block: str) -> str:
    # (a function, not the template r"{\1}": re parses a template on every call)
    return _PAREN_MARKER.sub(_braced, block)


def _braced(m: re.Match[str]) -> str:
    return "{" + m[1] + "}"


# An enumeration marker: "1.", "1.)", "8.1.", "a.", "b)", "IV.", "§2.", "(3)", with an
# optional bullet glued in front ("⁃9.").
_ENUM = re.compile(
    r"(?P<bullet>[⁃•‣◦▪*])?(?P<open>[(\[])?"
    r"(?P<value>§\s?\d{1,3}(?:\.\d{1,3})*|\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{2,7}|[ivxlcdm]{2,7}|[^\W\d_])"
    r"(?P<close>\.?[)\]]|\.)"
)
_ENUM_WORD = re.compile(r"(?<!\S)" + _ENUM.pattern + r"(?=\s)")
_ITEM_TEXT = re.compile(r"\s+\w")
_AFTER_LETTER_MARKER = frozenset(".)]")
_ROMAN_CHARS = frozenset("IVXLCDMivxlcdm")
_MARKER_PUNCT = frozenset("⁃•‣◦▪*([§")  # the non-alphanumeric characters a marker may start with


def _find_marker(block: str, marker: str, start: int) -> int:
    """Offset of ``marker`` standing as a word and followed by item text ("2." in "… 2. The…"), or -1."""
    p = block.find(marker, start)
    while p >= 0:
        if (p == 0 or block[p - 1].isspace()) and _ITEM_TEXT.match(block, p + len(marker)):
            return p
        p = block.find(marker, p + 1)
    return -1


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_OUT = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
              (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman_value(s: str) -> int | None:
    s = s.lower()
    if not s or any(ch not in _ROMAN for ch in s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def _roman(n: int, upper: bool) -> str:
    out = []
    for v, sym in _ROMAN_OUT:
        while n >= v:
            out.append(sym)
            n -= v
    s = "".join(out)
    return s.upper() if upper else s


def _successors(value: str) -> list[str]:
    """The marker values that may follow ``value`` in a list (1 -> 2, a -> b, iv -> v, 8.1 -> 8.2)."""
    out = []
    if value[0] == "§":  # "§2" -> "§3", "§ 2" -> "§ 3"
        digits = value.lstrip("§ ")
        return [value[: len(value) - len(digits)] + str(int(digits.split(".")[0]) + 1)]
    if value[0].isdigit():
        head, _, last = value.rpartition(".")
        return [(head + "." if head else "") + str(int(last) + 1)]
    if len(value) == 1 and value.isalpha():
        nxt = chr(ord(value) + 1)
        if nxt.isalpha() and nxt.isupper() == value.isupper():
            out.append(nxt)
    r = _roman_value(value)
    if r is not None and r < 50:
        out.append(_roman(r + 1, value.isupper()))
    return out


_TERMINAL = ".!?…;:"


def _prev_char(block: str, pos: int) -> str:
    """The last non-whitespace character before ``pos`` ("" if none)."""
    while pos > 0 and block[pos - 1].isspace():
        pos -= 1
    return block[pos - 1] if pos else ""


def _enumerations(block: str, cuts: list[int]) -> list[int]:
    """Enumerated items are sentences of their own, and a marker never is.

    * A numbered list written inline, ``1. The first item 2. The second
      item``, is cut before each marker that continues the sequence of the
      marker starting the sentence (1 -> 2 -> 3, a -> b, iv -> v).  Only the
      next value counts, so ``The vote was 52 to 2. The motion…`` is left
      alone; a capital-letter sequence (``A. … B. …``) must follow terminal
      punctuation, as ``A. Smith met B. Jones`` is a sentence about people.
    * A piece that is only a marker (``1.``, ``IV.``, ``§2.``, ``8.1.``) is
      joined to the text it introduces.
    """
    # sentence starts that are a marker; in most prose there are none
    starts: dict[int, re.Match[str]] = {}
    n = len(block)
    for pos in (0, *cuts):
        c = block[pos:pos + 1]
        if c.isspace():  # razdel cuts before the whitespace
            while pos < n and block[pos].isspace():
                pos += 1
            c = block[pos:pos + 1]
        # a cheap look at the first characters rules out most sentence starts:
        # a marker starts with a letter or digit (re's \w is isalnum() or "_"),
        # a bullet, a bracket or "§"; a letter is followed by the marker's
        # closing "." or bracket, or is a Roman digit followed by another
        if c.isalpha():
            after = block[pos + 1:pos + 2]
            if after not in _AFTER_LETTER_MARKER and (after not in _ROMAN_CHARS or c not in _ROMAN_CHARS):
                continue
        elif not c.isalnum() and c not in _MARKER_PUNCT:  # (also the end of the block: c == "")
            continue
        m = _ENUM_WORD.match(block, pos)
        if m:
            starts[pos] = m
    if not starts:
        return cuts
    changed = False
    # 1. inline lists: from every sentence start that is a marker, follow the sequence
    todo = sorted(starts)  # a heap of positions: visited in text order
    seen: set[int] = set()
    have = set(cuts)
    found_at: dict[str, tuple[int, int]] = {}  # marker -> (searched from, offset or -1)
    while todo:
        pos = heapq.heappop(todo)
        if pos in seen:
            continue
        seen.add(pos)
        m = starts[pos]
        for nxt in _successors(m["value"]):
            marker = (m["bullet"] or "") + (m["open"] or "") + nxt + m["close"]
            # an earlier search from no later than here that found nothing, or found
            # an occurrence still ahead, gives the answer: keeps long texts linear
            since, p = found_at.get(marker, (len(block) + 1, -1))
            if since > m.end() or 0 <= p < m.end():
                p = _find_marker(block, marker, m.end())
                found_at[marker] = (m.end(), p)
            found = _ENUM_WORD.match(block, p) if p >= 0 else None
            if found is None:
                continue
            if len(nxt) == 1 and nxt.isupper() and _prev_char(block, p) not in _TERMINAL:
                continue
            if p not in have:
                insort(cuts, p)
                have.add(p)
                changed = True
            starts[p] = found
            heapq.heappush(todo, p)
            break
    # 2. marker-only pieces join the following piece
    out = []
    prev = 0
    last = len(block.rstrip())
    for cut in cuts:
        start = prev
        while start < cut and block[start].isspace():
            start += 1
        m = starts.get(start)
        if m is not None and cut < last and not block[m.end():cut].strip():
            changed = True
            continue  # drop the cut: the marker stays with its item
        out.append(cut)
        prev = cut
    return out if changed else cuts


# "compounds. . . . The practice": the first dot is the full stop, the spaced
# ellipsis marks an omission at the start of the next sentence (Chicago Manual
# of Style 13.51).  Libraries cut after the last dot; move the cut forward.
_FOUR_DOTS = re.compile(r"\.(?<=\w\.)(?=(?:[ \u00a0]\.){3})")  # (a leading look-behind is ~8x slower)


def _spaced_ellipsis(block: str, cuts: list[int]) -> list[int]:
    last = len(block.rstrip())
    for m in _FOUR_DOTS.finditer(block):
        stop = m.end()  # just after the full stop
        after = _SPACES.match(block, stop + 6).end()  # after " . . ." and its whitespace
        # the library's cut, somewhere in the ellipsis or just after it
        j = bisect_right(cuts, stop)
        if j < len(cuts) and cuts[j] <= after and cuts[j] < last:
            cuts[j] = stop
    return cuts


_SPACES = re.compile(r"\s*")


# A sentence in brackets ends with its own terminal punctuation inside the
# bracket: "(How about this?) Or that." / "(Reporting by J. Smith.) The…".
_BRACKETED_END = re.compile(r"[.!?…][\"'”’»]?[)\]]+(?=\s+[\"'“‘«(\[]?[^\W\d_])")


def _closing_brackets(block: str, cuts: list[int]) -> list[int]:
    """End a sentence after a bracketed sentence when a capitalised one follows.

    sentencex never cuts after ``?)`` or ``.]``, so a whole parenthesised
    sentence is glued to the next one.
    """
    depth = 0  # brackets open before `scanned`: no cut inside an outer bracket
    scanned = 0
    have = set(cuts)
    for m in _BRACKETED_END.finditer(block):
        stop = m.end()
        for ch in _BRACKETS.findall(block, scanned, stop):
            depth = depth + 1 if ch in "([" else max(0, depth - 1)
        scanned = stop
        if depth == 0 and stop not in have:
            nxt = _NEXT_LETTER.match(block, stop)
            if nxt and nxt[1].isupper():
                insort(cuts, stop)
                have.add(stop)
    return cuts


_BRACKETS = re.compile(r"[()\[\]]")
# whitespace, optional opening quotes/brackets, then the first letter (group 1)
_NEXT_LETTER = re.compile(r"\s+[\"'“‘«(\[]*([^\W\d_])")


_LOWER_NEXT = re.compile(r"\s*([^\W\d_])")
# terminal punctuation, then optional closing quotes/brackets, at the end of a piece
_TERMINAL_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")


def _lowercase_continuation(block: str, cuts: list[int]) -> list[int]:
    """Drop a cut when the next piece starts with a lowercase word.

    A sentence does not start in lowercase.  A full stop before a lowercase
    word ends an abbreviation the library does not know (``the undef.
    abbreviation``, ``Cannabis sativa subsp. sativa``); a quoted question or
    exclamation before one is followed by its attribution (``”Why?” she
    asked.``: sentencex pairs ``“…”`` but not same-glyph ``”…”``).  razdel
    applies the same rule.  A lowercase list marker (``b. The second item``)
    still starts a sentence.
    """
    out = []
    prev = 0
    for cut in cuts:
        c = block[cut]  # cuts are interior offsets
        if not c.islower() and not c.isspace():  # the next piece does not start in lowercase
            out.append(cut)
            prev = cut
            continue
        nxt = _LOWER_NEXT.match(block, cut)
        if (nxt and nxt[1].islower() and _TERMINAL_END.search(block, prev, cut)
                and not _ENUM_WORD.match(block, nxt.start(1))):
            continue
        out.append(cut)
        prev = cut
    return out


# Characters that open a quotation (in some language) or a bracket, and the
# subset that can only open one (in en/ru/hy copy), even with a space after it.
_OPENERS = frozenset("\"'“”„‟«»‹›‘’‚‛「『([{")
_ONLY_OPENERS = frozenset("“„‟«‹‘‚「『([{")
_ANY_OPENER = re.compile("[" + re.escape("".join(sorted(_OPENERS))) + "]")


def _dangling_quotes(block: str, cuts: list[int]) -> list[int]:
    """Move an opening quotation mark from the end of a sentence to the next one.

    sentencex cuts ``he said. “We will…`` as ``he said. “`` + ``We will…``.
    A quote mark (or bracket) that follows whitespace and is glued to the
    next word opens the next sentence, whatever its glyph (news copy often
    uses ``”`` or ``"`` on both sides).  One with spaces on both sides moves
    only if its glyph can only open (``“``, ``«``, ``(``): a spaced ``'`` or
    ``''`` after a full stop is as often a closing quote (``…through. ' The``).
    """
    prev = 0
    out = []
    for cut in cuts:
        j = cut
        while j > prev and block[j - 1].isspace():
            j -= 1
        k = j
        while k > prev and block[k - 1] in _OPENERS:
            k -= 1
        if (k < j and k > prev and block[k - 1].isspace()
                and (j == cut or all(ch in _ONLY_OPENERS for ch in block[k:j]))
                and cut < len(block) and not block[cut].isspace()
                and block[prev:k].strip()):
            cut = k
        out.append(cut)
        prev = cut
    return out


# Abbreviations that always precede a name, so never end a sentence, and that
# the library does not list (sentencex 1.0.32 for English, razdel 0.5 for
# Russian).  English: titles (Ms., Mx., Mmes., Amb., Atty.) and Ft. (Fort,
# capitalised; "ft." for feet is lowercase and left alone).  Russian: place
# types (посёлок городского типа, микрорайон, набережная, деревня, район).
_HEAD_ABBR = {
    "en": re.compile(r"(?<![^\W\d_])(?:Ms|Mx|Mmes|Amb|Atty|Ft)\."),
    "ru": re.compile(r"(?<![^\W\d_])(?:пгт|мкр|мкрн|наб|дер|р-н)\.", re.IGNORECASE),
}
# A cheap test that rules out most blocks: a full stop that ends one of the
# abbreviations, without the look-behind for a letter before it.  Every match
# of the full pattern ends where this one does.  (A leading look-behind keeps
# ``re`` from skipping ahead to a possible first letter, which makes the full
# pattern ~7x slower on prose; starting with the literal "." lets ``re`` jump
# from full stop to full stop, ~2x faster again for English and ~7x for
# Russian, whose IGNORECASE pattern cannot skip ahead at all.)
_HEAD_ABBR_QUICK = {
    "en": re.compile(r"\.(?:(?<=Ms\.)|(?<=Mx\.)|(?<=Mmes\.)|(?<=Amb\.)|(?<=Atty\.)|(?<=Ft\.))"),
    "ru": re.compile(r"\.(?:(?<=пгт\.)|(?<=мкр\.)|(?<=мкрн\.)|(?<=наб\.)|(?<=дер\.)|(?<=р-н\.))", re.IGNORECASE),
}


def _head_abbreviations(block: str, cuts: list[int], pattern: re.Pattern[str]) -> list[int]:
    """No cut after a title or place type that precedes a name (``Ms. Ivanova``, ``пгт. Брагиновка``)."""
    ends = {m.end() for m in pattern.finditer(block)}
    if not ends:
        return cuts
    out = []
    last = len(block.rstrip())
    for cut in cuts:
        j = cut
        while j > 0 and block[j - 1].isspace():
            j -= 1
        if j in ends and cut < last:
            continue
        out.append(cut)
    return out


_SAME_GLYPH_AFTER_CLOSE = frozenset(".,;:!?)]…-–—")


def _quotations(block: str, guillemets: bool) -> tuple[list[int], list[int]]:
    """Outermost balanced quotations: (opening offsets, closing offsets), in text order.

    ``«…»`` (when ``guillemets``) pair by nesting.  ``”…”`` written with the
    same glyph on both sides (as in the shipped article) pairs by position:
    a ``”`` after whitespace and glued to the next word opens, one glued to
    the previous word and followed by a space or punctuation closes.
    """
    opens: list[int] = []
    closes: list[int] = []

    def add(start: int, stop: int) -> None:
        while opens and opens[-1] > start:  # a pair nested in this one
            opens.pop()
            closes.pop()
        if not (closes and closes[-1] > start):  # not inside an earlier pair
            opens.append(start)
            closes.append(stop)

    chars = "«»”" if guillemets else "”"
    stack: list[int] = []
    open_same = -1
    n = len(block)
    for m in re.finditer(f"[{chars}]", block):
        i = m.start()
        ch = m[0]
        if ch == "«":
            stack.append(i)
        elif ch == "»":
            if stack:
                add(stack.pop(), i)
        elif (i == 0 or block[i - 1].isspace() or block[i - 1] in "([{—–-") and i + 1 < n and not block[i + 1].isspace():
            open_same = i
        elif (open_same >= 0 and i > 0 and not block[i - 1].isspace()
              and (i + 1 == n or block[i + 1].isspace() or block[i + 1] in _SAME_GLYPH_AFTER_CLOSE)):
            add(open_same, i)
            open_same = -1
    pairs = sorted(zip(opens, closes))
    return [a for a, _ in pairs], [b for _, b in pairs]


# terminal punctuation, whitespace, then a ” glued to a word: that ” opens a quotation
_SAME_GLYPH_OPENER = re.compile(r"[.!?…][\"'»)\]]*\s+(”)([^\W\d_])")


def _same_glyph_openers(block: str, cuts: list[int]) -> list[int]:
    """Cut before a same-glyph ``”`` that opens a quoted sentence (``сказал. ”Да.”``).

    razdel treats ``”`` as a closing quote wherever it stands, so it never
    ends a sentence before one.
    """
    have = set(cuts)
    for m in _SAME_GLYPH_OPENER.finditer(block):
        if m[2].isupper() and m.start(1) not in have:
            insort(cuts, m.start(1))
            have.add(m.start(1))
    return cuts


def _inside_quotations(block: str, cuts: list[int], guillemets: bool) -> list[int]:
    """No cut inside a balanced quotation.

    A quotation of several sentences stays one segment together with its
    attribution, as sentencex already does for ``“…”`` and ``"…"``; its
    halves (``”We will not retreat.`` / ``The border is secure.”``) would not
    be translatable on their own.  In Russian this covers direct speech with
    the author's words in dashes: ``«К чему ты готовишься? – спросила мама.
    – Завтра ведь выходной».``
    """
    opens, closes = _quotations(block, guillemets)
    if not opens:
        return cuts
    out = []
    for cut in cuts:
        k = bisect_right(opens, cut - 1) - 1  # the last quotation opened before the cut
        if k >= 0 and cut <= closes[k]:
            continue
        out.append(cut)
    return out
