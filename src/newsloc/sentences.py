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
from collections.abc import Iterable

import sentencex

__all__ = ["split_spans", "split_sentences", "count_sentences", "may_split", "segbench"]

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


def count_sentences(text: str, lang: str) -> int:
    """``len(split_spans(text, lang))``, cheaper: no spans are made.

    For callers that only need the number (the ``sentences`` check).  A text
    that :func:`may_split` rules out is one sentence (none if blank); any
    other is cut as :func:`split_spans` cuts it, and its pieces that hold
    more than whitespace are counted (each is one span).

    >>> count_sentences("He met U.S. officials on Jan. 5. They talked.", "en")
    2
    """
    if not may_split(text, lang):
        return 0 if not text or text.isspace() else 1  # every non-space character is in a span
    if "\n" in text:  # several blocks (rare): count the spans
        return len(split_spans(text, lang))
    base = _base_lang(lang)
    cuts = _library_cuts(text, base)
    cuts = _adjust(text, cuts, base)
    if not cuts:  # the usual outcome: the library ended no sentence before the end
        return 0 if not text or text.isspace() else 1
    # as _append_pieces: a piece is a span if it holds a character that is not whitespace
    count = 0
    prev = 0
    for cut in cuts:
        piece = text[prev:cut]
        if piece and not piece.isspace():
            count += 1
        prev = cut
    piece = text[prev:]
    return count + 1 if piece and not piece.isspace() else count


def split_sentences(text: str, lang: str) -> list[str]:
    """Return the sentences of ``text`` (see :func:`split_spans`).

    >>> split_sentences("«Мы не отступим», — сказал он. Затем уехал.", "ru")
    ['«Мы не отступим», — сказал он.', 'Затем уехал.']
    """
    return [text[s:e] for s, e in split_spans(text, lang)]


def segbench(text: str, lang: str) -> list[str]:
    """Plug-in for the segmentation benchmark (``newsloc.sentences:segbench``)."""
    return split_sentences(text, lang)


def may_split(text: str, lang: str) -> bool:
    """False only if ``split_spans(text, lang)`` certainly returns at most one sentence.

    A cheap, exact pre-test for callers that only need to know whether a
    text is more than one sentence (the ``sentences`` check counts them):
    ``False`` means the segmenter could not cut ``text`` anywhere, so it is
    one sentence, or none if it is blank; ``True`` means "maybe": ask
    :func:`split_spans`.  It looks for a character at which the library or a
    wrapper could end a sentence, outside the run of terminators that ends
    the text (``Hello world.``, ``Really?!``):

    * sentencex: one of the language's terminators (``.`` ``?`` ``!`` ``։``
      ``。``...), unless it stands alone before a lowercase ASCII letter or a
      digit (``3.5``, ``example.com``: the library reads on); a list bullet
      (``•``); a second ``)`` or a first word that could be a list marker
      (list items ``a) … b) …``, ``1. … 2) …``); a bracketed sentence
      (``(Why?) Then``); ``…`` (``… …Next``, ``Wait … !.``);
    * razdel (``ru``): ``.`` ``?`` ``!`` ``…`` ``;`` not followed by a letter
      or digit, or a smiley (``:(``), only before the last word (it cuts only
      where whitespace and text follow);
    * both: a line break, or an enumeration marker starting the text
      (``1. … 2. …``).

    A language neither library was probed for is always "maybe".

    >>> may_split("He met U.S. officials on Jan. 5. They talked.", "en")
    True
    >>> may_split("Growth was 3.5% (a record), officials said.", "en")
    False
    >>> may_split("Growth was 3.5% (a record). Officials (AP) said.", "en")
    True
    """
    if "\n" in text:
        return True  # a blank line always cuts; a single one may start a list item
    finder = _FINDERS.get(lang)
    if finder is None:
        finder = _FINDERS[lang] = _finder(_base_lang(lang))
    terminators, ascii_terminators, cut = finder
    if cut is None:
        return True  # a language not probed: sentencex's fallback table may send it to any rules
    if terminators is None:  # razdel
        if cut.search(text):
            return True
    else:
        if (")" in text or "]" in text) and (
                text.count(")") > 1 or _BRACKETED_END.search(text) or _opens_like_a_list_item(text)):
            # sentencex ends a sentence before a list item marked with ")" ("a) … b) …",
            # "(1) … (2) …") only if another item precedes it, inline (a second ")") or at
            # the start ("1. … 2) …"); _closing_brackets cuts after "?)" and the like
            return True
        if text.isascii():  # the usual case, done with str methods (a regex search costs more)
            head = text.rstrip().rstrip(ascii_terminators)  # without the final run of terminators
            for terminator in ascii_terminators:  # any before it (in most texts none)
                if terminator in head:
                    i = head.find(terminator)
                    while i >= 0:
                        if head[i + 1:i + 2] not in _CONTINUATION:  # (head does not end with one)
                            return True
                        i = head.find(terminator, i + 1)
        else:
            if "…" in text:
                return True  # no terminator alone, but "… …" and "… !" are sentencex sentence ends
            m = cut.search(text)
            while m is not None:  # (usually none: the final run of terminators is not looked at)
                c = m[0]
                if c in terminators:
                    if text[m.end():m.end() + 1] not in _CONTINUATION:
                        return True
                elif c in _SENTENCEX_BULLETS:
                    return True
                m = cut.search(text, m.end())  # a digit or [a-z] after a lone terminator, or an astral character
    # _enumerations cuts an inline list only after a marker that starts a sentence: most
    # texts start with a letter followed by one that cannot follow a marker's first letter
    if "." not in text:
        return False
    if _letter_starts_no_marker(text[:1], text[1:2]):
        return False
    return _marker_at(text, 0) is not None


# Where the libraries can end a sentence, found by probing them (sentencex 1.0.32, razdel
# 0.5.0) for every Unicode code point c, in every base language of a Babel locale and in
# unknown codes ("xx", "und": sentencex falls back to English): is "Aaa bbb{c} Ccc ddd",
# "Aaa bbb{c}Ccc ddd", "日本語{c}日本語" or "Aaa bbb :{c} Ccc ddd" more than one piece
# (a terminator)?  Is "Aaa bbb {c} Ccc ddd {c} Eee fff" (an inline list bullet), or
# "Aaa bbb{c}- Ccc ddd{c}- Eee fff" or "Aaa bbb{c}{c}Ccc ddd" (a line break: only "\n")?
# Pairs of punctuation, symbols and spaces ("Aaa {a} {b}Word ccc", "Aaa {a}{b} Ccc ddd")
# and triples ("Aaa {c} {c} {c}Word") found one more: "… …" (in most languages), after
# which sentencex cuts though "…" alone is no terminator; it also takes "… !" for one sentence
# end, so that "Wait … !." is cut before the final "." (found by the property test).  Then, in
# every language, a lone terminator before [0-9a-z] and a run of terminators at the end
# of the text were probed never to cut.  The sets agree with the sources:
# sentencex's terminators are the Unicode Sentence_Break STerm and ATerm characters plus
# "。" and "｡", Greek adds ";", Burmese "၏", Armenian ":" ";" "՜" and drops "."; razdel
# cuts only after . ? ! … ; (or a quote or bracket right after one) or a smiley, when
# whitespace and a word follow.  tests/test_sentence_gate.py probes again, so a library
# version that cuts elsewhere fails the tests instead of this pre-test.


def _code_points(spec: str) -> frozenset[str]:
    """``"0021 0589 061D-061F"`` -> the characters (hex code points and ranges)."""
    out = set()
    for item in spec.split():
        first, _, last = item.partition("-")
        out.update(map(chr, range(int(first, 16), int(last or first, 16) + 1)))
    return frozenset(out)


_SENTENCEX_DEFAULT = _code_points("""
    0021 002E 003F 0589 061D-061F 06D4 0700-0702 07F9 0837 0839 083D-083E 0964-0965 104A-104B 1362
    1367-1368 166E 1735-1736 1803 1809 1944-1945 1AA8-1AAB 1B5A-1B5B 1B5E-1B5F 1B7D-1B7E 1C3B-1C3C
    1C7E-1C7F 2024 203C-203D 2047-2049 2E2E 2E3C 2E53-2E54 3002 A4FF A60E-A60F A6F3 A6F7 A876-A877
    A8CE-A8CF A92F A9C8-A9C9 AA5D-AA5F AAF0-AAF1 ABEB FE52 FE56-FE57 FF01 FF0E FF1F FF61 10A56-10A57
    10F55-10F59 10F86-10F89 11047-11048 110BE-110C1 11141-11143 111C5-111C6 111CD 111DE-111DF
    11238-11239 1123B-1123C 112A9 1144B-1144C 115C2-115C3 115C9-115D7 11641-11642 1173C-1173E 11944
    11946 11A42-11A43 11A9B-11A9C 11C41-11C42 11EF7-11EF8 11F43-11F44 16A6E-16A6F 16AF5 16B37-16B38
    16B44 16E98 1BC9F 1DA88
""")
_SENTENCEX_TERMINATORS = {  # the languages whose terminators differ
    "el": _SENTENCEX_DEFAULT | {";"},
    "hy": (_SENTENCEX_DEFAULT - {"."}) | {":", ";", "\u055c"},
    "my": _SENTENCEX_DEFAULT | {"\u104f"},
}
# Inline list bullets: sentencex ends a sentence before the second one.
_SENTENCEX_BULLETS = _code_points(
    "2022 2043 204C-204D 25A0-25A1 25AA-25AB 25B6 25B8 25BA 25C6-25C7 25CB 25CF 25E6 2605-2606 27A2-27A4")
# Every base language probed (Babel's, and unknown codes); any other may be sent by
# sentencex's fallback table to other rules.
_SENTENCEX_PROBED = frozenset("""
    aa ab ady af agq ak am an ann apc ar arn ary as asa ast az ba bal bas be bem bew bez bg bgc bgn bho
    blo blt bm bn bo bqi br brh brx bs bss bua byn ca cad cch ccp ce ceb cgg cho chr cic ckb co cop cs
    csw cu cv cy da dav de dje doi dsb dua dv dyo dz ebu ee el en eo es et eu ewo fa ff fi fil fo fr frr
    fur fy ga gaa gd gez gl gn gsw gu guz gv ha haw he hi hnj hr hrx hsb ht hu hy ia id ie ig ii io is
    isv it iu ja jbo jgo jmc jv ka kaa kab kaj kam kbd kcg kde kea kek ken kgp khq ki kk kkj kl kln km
    kn ko kok kpe ks ksb ksf ksh ku kw kxv ky la lag lb lg lij lkt lld lmo ln lo lrc lt ltg lu luo luy
    lv lzz mai mas mdf mer mfe mg mgh mgo mhn mi mic mk ml mn mni moh mr mrh ms mt mua mus mww my myv
    mzn naq nb nd nds ne nl nmg nn nnh no nqo nr nso nus nv ny nyn oc oka om or os osa pa pap pcm pi pis
    pl pms prg ps pt qu quc raj rhg rif rm rn ro rof ru rw rwk sa sah saq sat sbp sc scn sd sdh se seh
    ses sg sgs shi shn si sid sk skr sl sma smj smn sms sn so sq sr ss ssy st su sus suz sv sw syr szl
    ta te teo tg th ti tig tk tn to tok tpi tr trv trw ts tt twq tyv tzm ug uk und ur uz vai ve vec vi
    vmw vo vun wa wae wal wbp wo xdq xh xnr xog xx yav yi yo yrl yue za zgh zh zu zz
""".split())
# razdel: after . ? ! … ; when whitespace follows (or a quote or bracket that follows one of
# them: razdel's rules take "." for the last token before it), or after a smiley
# [=:;]-?[)(]{1,3} (";" is in the first set already).  Followed by a word character (\w, as
# razdel's own tokens) neither can happen: "3.5", "example.com", "т.е".  razdel cuts only
# where whitespace and a word follow, so never in the text's last word (the look-ahead).
_RAZDEL_ENDINGS = ".?!…;"
_RAZDEL_CUT = re.compile(rf"(?:[{re.escape(_RAZDEL_ENDINGS)}](?!\w)|[=:]-?[()])(?=.*?\s\S)", re.DOTALL)

def _opens_like_a_list_item(text: str) -> bool:
    """The first word could be a sentencex list marker: it ends in "." or ")" ("1.", "(a)",
    "ii)"), or it is an ASCII bullet (a unicode one is a cut of its own)."""
    words = text.split(None, 1)
    return bool(words) and (words[0][-1] in ".)" or words[0] in ("*", "+", "-"))


# A lone terminator followed by one of these continues the sentence (sentencex's rule:
# "3.5", "example.com"; in a run of terminators the first is followed by the next one).
_CONTINUATION = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")

_Finder = tuple[frozenset[str] | None, str, re.Pattern[str] | None]
_FINDERS: dict[str, _Finder] = {}  # by language code


def _char_class(chars: Iterable[str]) -> str:
    return "".join(f"\\U{ord(c):08x}" for c in sorted(chars))


def _finder(base: str) -> _Finder:
    """How :func:`may_split` looks for a cut in ``base``: (terminators, the ASCII ones, a pattern).

    razdel: (None, "", the pattern of its cuts).  sentencex: sentencex's
    terminators, and a pattern for text that is not ASCII: a terminator or list
    bullet, not in the run of terminators that ends the text (the look-ahead);
    ``re`` tests a class of Basic Multilingual Plane characters with a table,
    but astral ones range by range, so the class takes every astral
    character (one range) and the caller skips those that are not
    terminators.  A language not probed: no pattern.
    """
    if base in _RAZDEL_LANGS:
        return None, "", _RAZDEL_CUT
    terminators = _SENTENCEX_TERMINATORS.get(base)
    if terminators is None:
        if base not in _SENTENCEX_PROBED:
            return None, "", None
        terminators = _SENTENCEX_DEFAULT
    bmp = {c for c in terminators | _SENTENCEX_BULLETS if ord(c) <= 0xFFFF}
    pattern = (f"[{_char_class(bmp)}\\U00010000-\\U0010ffff]"
               f"(?![{_char_class(terminators)}]*\\s*\\Z)")
    return terminators, "".join(sorted(c for c in terminators if c.isascii())), re.compile(pattern)


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


# sentencex 1.0.32 panics (a Rust slice at a byte that is not a character
# boundary, printed on stderr, then pyo3's PanicException, a BaseException) on
# an ASCII capital, spaces of which one is not ASCII, and a full stop ("I\u00a0.").
_NON_ASCII_SPACE = re.compile(r"[^\S\x00-\x7f]")
_PANICS_SENTENCEX = re.compile(r"[A-Z]\s*[^\S\x00-\x7f]\s*\.")


def _sentencex(function, lang: str, text: str):
    """``function(lang, text)`` of sentencex, avoiding (and surviving) its known panic.

    A text with the pattern that panics is given to sentencex with every
    non-ASCII space replaced by an ASCII one: the same number of characters,
    so the offsets still fit ``text`` (other texts go as they are: sentencex
    does not always treat the two kinds of space alike).  Any other panic is
    retried that way too; should that panic as well, the text is one
    sentence (no cut) rather than a crash of the command.
    """
    # (the pattern needs a space that is not ASCII: isascii() is a flag test, no scan)
    if text.isascii() or not _PANICS_SENTENCEX.search(text):
        try:
            return function(lang, text)
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":
                raise
    try:
        return function(lang, _NON_ASCII_SPACE.sub(" ", text))
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
    return [text] if function is sentencex.segment else []


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
        pieces = _sentencex(sentencex.segment, lang, masked)
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
        ends = [b["end_index"] for b in _sentencex(sentencex.get_sentence_boundaries, lang, masked)] or [n]
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
    if sentencex_path and (")" in block or "]" in block) and _BRACKETED_END.search(block):
        cuts = _closing_brackets(block, cuts)  # razdel has this rule built in
    if "." in block:
        # _enumerations looks at sentence starts only: with no cut, at the start of the
        # block alone, which most blocks rule out by its first two characters (its own first
        # test, done here as a call costs more: a one-sentence text is the check's usual case)
        if cuts:
            cuts = _enumerations(block, cuts)
        elif not _letter_starts_no_marker(block[:1], block[1:2]):
            cuts = _enumerations(block, cuts)
        if cuts and ". ." in block:  # (it moves cuts, adds none)
            cuts = _spaced_ellipsis(block, cuts)
    if not cuts and sentencex_path:
        return cuts  # one sentence: the rules below move or drop cuts (razdel's next one adds)
    if cuts:
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


def _letter_starts_no_marker(first: str, second: str) -> bool:
    """Whether a sentence starting with the characters ``first`` and ``second`` cannot start with an
    enumeration marker because it starts with a letter: a marker's letter is followed by its closing
    "." or bracket, or is a Roman digit followed by another.  (Most sentences start so: a cheap test
    that rules out the marker pattern.)"""
    return first.isalpha() and second not in _AFTER_LETTER_MARKER and (
        second not in _ROMAN_CHARS or first not in _ROMAN_CHARS)


def _marker_at(block: str, pos: int) -> re.Match[str] | None:
    """The enumeration marker starting the sentence that starts at ``pos`` (after whitespace), if any."""
    c = block[pos:pos + 1]
    if c.isspace():  # razdel cuts before the whitespace
        n = len(block)
        while pos < n and block[pos].isspace():
            pos += 1
        c = block[pos:pos + 1]
    # a cheap look at the first characters rules out most sentence starts:
    # a marker starts with a letter or digit (re's \w is isalnum() or "_"),
    # a bullet, a bracket or "§"; a letter is followed by the marker's
    # closing "." or bracket, or is a Roman digit followed by another
    if c.isalpha():
        if _letter_starts_no_marker(c, block[pos + 1:pos + 2]):
            return None
    elif not c.isalnum() and c not in _MARKER_PUNCT:  # (also the end of the block: c == "")
        return None
    return _ENUM_WORD.match(block, pos)


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
    for pos in (0, *cuts):
        # (_marker_at's first tests, inlined: most sentences start with a word, e.g. "Th",
        # or a quote mark, that cannot start a marker, and a call per sentence costs more
        # than the test; after whitespace _marker_at looks further)
        c = block[pos:pos + 1]
        if c.isalpha():
            if _letter_starts_no_marker(c, block[pos + 1:pos + 2]):
                continue
        elif not c.isalnum() and c not in _MARKER_PUNCT and not c.isspace():
            continue
        m = _marker_at(block, pos)
        if m:
            starts[m.start()] = m
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
    for cut in cuts:  # most pieces start with a capital: then no cut is dropped
        c = block[cut]  # cuts are interior offsets
        if c.islower() or c.isspace():
            break
    else:
        return cuts
    out = []
    prev = 0
    for cut in cuts:
        c = block[cut]
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


def _dangling_quotes(block: str, cuts: list[int]) -> list[int]:
    """Move an opening quotation mark from the end of a sentence to the next one.

    sentencex cuts ``he said. “We will…`` as ``he said. “`` + ``We will…``.
    A quote mark (or bracket) that follows whitespace and is glued to the
    next word opens the next sentence, whatever its glyph (news copy often
    uses ``”`` or ``"`` on both sides).  One with spaces on both sides moves
    only if its glyph can only open (``“``, ``«``, ``(``): a spaced ``'`` or
    ``''`` after a full stop is as often a closing quote (``…through. ' The``).
    """
    # Most cuts follow a terminator and a space: first look for one that follows an opening
    # mark (a cut moves only then; prev below only stops the search earlier), rather than
    # scan the whole block for a mark.
    for cut in cuts:
        j = cut - 1  # (cuts are interior: j >= 0)
        while j and block[j].isspace():
            j -= 1
        if block[j] in _OPENERS:
            break
    else:
        return cuts
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
