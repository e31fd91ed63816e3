"""Pinning: protect glossary terms and inline markup through machine translation.

:func:`protect` replaces, in one msgid-form segment, every pinned glossary term
(by the locale's agreed form) and every run of inline tags (``<a href=...>``,
``</em><strong>``...) by a placeholder, and decodes character references so the
model sees plain text.  :func:`restore` puts the agreed forms and the markup back
into the model output, escapes the model's text for HTML again, and reports every
placeholder that the model dropped, duplicated or altered, so that the draft is
flagged to the reviewer instead of silently carrying a wrong name.

The placeholder form: two capital Latin letters and a number, ``ZQ1``, ``ZQ2``...

* Only ASCII letters and digits.  Every Argos SentencePiece vocabulary holds them
  (no ``<unk>``, which Argos decodes as ``⁇``), NFKC normalisation leaves them
  alone, and the Moses tokeniser of BPE-based Argos packages does not split them.
  Brackets, braces, ``<x1/>`` tags and private-use characters are split,
  escaped, normalised or unknown in one tokeniser or another.
* No underscore: Argos's SentencePiece decode turns every ``_`` into a space, so
  ``__T1__`` or ``PH_1`` would come back as ``  T1  `` or ``PH 1``.
* A code-like token (capitals plus digits) is what NMT models are trained to
  copy verbatim (model numbers, flight numbers, unknown acronyms); the digits in
  particular are copied because numbers must survive translation.  A
  capitalised word instead would be transliterated (``Zeq`` -> ``Зек``) and a
  bare number might be reformatted or spelled out.
* ``Z`` and ``Q`` rarely start English or Russian words, so a collision with real
  text is unlikely; if the segment contains the prefix anyway, another pair
  (``QZ``, ``ZX``...) is used.  The number makes each pin unique, so a duplicated
  or dropped pin is detected exactly.
* A placeholder that touches a letter or digit (markup inside a word, two tags in
  a row) gets a space on that side, so the model sees a separate token; restore
  removes that space again.

In an inflecting target language the agreed form is the nominative
(``Пашинян``), so a restored draft may need a case ending fixed by the
reviewer; the draft is fuzzy anyway, and the compliance check accepts every
declared inflected form.  Terms with ``pin: false`` (adjectives) and terms
without a target for the locale are left to the model.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

from .glossary import Glossary, markup_parts

PREFIXES = ("ZQ", "QZ", "ZX", "XZ", "QX", "XQ", "ZJ", "JZ")

# Look-alikes a model may write for a placeholder letter (case, Cyrillic, Armenian).
_LOOKALIKE = {
    "Z": "ZzЗзԶզ",
    "Q": "QqКкՔք",
    "X": "XxХхԽխ",
    "J": "JjЙйДдՋջ",
}


@dataclass
class Pin:
    """One placeholder: what it stands for in the output."""

    placeholder: str
    replacement: str  # agreed form (term, plain text) or the original tags (markup)
    kind: Literal["term", "markup"]
    term_id: str | None = None
    source: str = ""  # the source text it replaced (for messages)
    pad_before: bool = False  # protect() added a space before the placeholder
    pad_after: bool = False  # ... and after it

    def label(self) -> str:
        if self.kind == "term":
            return f"{self.source} → {self.replacement}"
        shown = self.replacement if len(self.replacement) <= 60 else self.replacement[:57] + "..."
        return f"markup {shown}"


@dataclass
class Pinned:
    """A segment prepared for the MT model."""

    text: str  # plain text with placeholders, to feed the model
    pins: list[Pin] = field(default_factory=list)
    source: str = ""  # the msgid-form segment it came from


@dataclass
class Restored:
    """A model output with the pins put back."""

    text: str  # msgid-form text (markup restored, text HTML-escaped)
    problems: list[str] = field(default_factory=list)  # "pin ZQ1 (CSTO → ОДКБ) dropped", ...


def _choose_prefix(plain: str) -> str:
    folded = plain.casefold()
    for prefix in PREFIXES:
        if prefix.casefold() not in folded:
            return prefix
    # Every candidate occurs (a pathological segment): extend the first one until it does not.
    prefix = PREFIXES[0]
    while prefix.casefold() in folded:
        prefix += "Q"
    return prefix


def protect(segment: str, locale: str, glossary: Glossary | None) -> Pinned:
    """Replace pinned terms and inline markup of ``segment`` by placeholders.

    ``segment`` is msgid-form text (inline tags, ``&amp;``).  The returned
    ``Pinned.text`` is plain text for the MT model.
    """
    parts = markup_parts(segment)
    terms: list[tuple[int, int, Pin]] = []
    if glossary is not None:
        for match in glossary.find(segment):
            target = match.term.targets.get(locale)
            if target is None or not glossary.pinned(match.term):
                continue
            surface = html.unescape(match.surface)
            replacement = surface if target.keep else target.agreed
            terms.append((match.start, match.end, Pin("", replacement, "term", match.term.id, surface)))

    # Pieces in order: ("text", str) or ("pin", Pin).
    pieces: list[tuple[str, object]] = []
    pos = 0
    term_iter = iter(terms)
    next_term = next(term_iter, None)
    for is_tag, piece in parts:
        start, end = pos, pos + len(piece)
        pos = end
        if is_tag:
            pieces.append(("pin", Pin("", piece, "markup", None, piece)))
            continue
        cursor = start
        while next_term is not None and next_term[0] < end:
            t_start, t_end, pin = next_term
            if t_start > cursor:
                pieces.append(("text", html.unescape(segment[cursor:t_start])))
            pieces.append(("pin", pin))
            cursor = t_end
            next_term = next(term_iter, None)
        if cursor < end:
            pieces.append(("text", html.unescape(segment[cursor:end])))

    plain = "".join(p for kind, p in pieces if kind == "text")
    prefix = _choose_prefix(plain)
    out: list[str] = []
    pins: list[Pin] = []
    for index, (kind, value) in enumerate(pieces):
        if kind == "text":
            out.append(value)  # type: ignore[arg-type]
            continue
        pin: Pin = value  # type: ignore[assignment]
        pin.placeholder = f"{prefix}{len(pins) + 1}"
        before = next((piece[-1] for piece in reversed(out) if piece), "")
        if before.isalnum():
            pin.pad_before = True
            out.append(" ")
        out.append(pin.placeholder)
        after = _first_char(pieces, index + 1)
        if after and (after.isalnum() or after == "\0pin"):
            pin.pad_after = True
            out.append(" ")
        pins.append(pin)
    return Pinned("".join(out), pins, segment)


def _first_char(pieces: list[tuple[str, object]], index: int) -> str:
    """The first character that will follow position ``index`` ("\\0pin" for a placeholder)."""
    for kind, value in pieces[index:]:
        if kind == "pin":
            return "\0pin"
        if value:
            return value[0]  # type: ignore[index]
    return ""


@dataclass
class _Occurrence:
    start: int
    end: int
    pin: Pin | None  # None: a placeholder number that no pin has
    written: str


def _fuzzy_regex(placeholder: str) -> re.Pattern:
    letters = re.match(r"[A-Z]+", placeholder).group()
    number = placeholder[len(letters):]
    parts = ["[" + re.escape(_LOOKALIKE.get(ch, ch + ch.lower())) + "]" for ch in letters]
    sep = r"[\s.\-‐]{0,2}"
    return re.compile(r"(?<![^\W\d_])" + sep.join(parts) + sep + re.escape(number) + r"(?!\d)")


def restore(model_output: str, pinned: Pinned) -> Restored:
    """Put agreed forms and markup back into a model output and report lost pins."""
    text = html.escape(model_output, quote=False)
    if not pinned.pins:
        return Restored(text, [])
    prefix = re.match(r"[A-Z]+", pinned.pins[0].placeholder).group()
    by_number = {pin.placeholder[len(prefix):]: pin for pin in pinned.pins}
    exact = re.compile(r"(?<![A-Za-z0-9])" + re.escape(prefix) + r"(\d+)(?!\d)")

    occurrences: list[_Occurrence] = []
    counts: dict[str, int] = {}
    for m in exact.finditer(text):
        pin = by_number.get(m.group(1))
        occurrences.append(_Occurrence(m.start(), m.end(), pin, m.group()))
        if pin is not None:
            counts[pin.placeholder] = counts.get(pin.placeholder, 0) + 1

    problems: list[str] = []
    taken = [(o.start, o.end) for o in occurrences]
    for pin in pinned.pins:
        n = counts.get(pin.placeholder, 0)
        if n > 1:
            problems.append(f"pin {pin.placeholder} ({pin.label()}) duplicated ({n} times)")
        if n:
            continue
        found = None
        for m in _fuzzy_regex(pin.placeholder).finditer(text):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                found = m
                break
        if found is None:
            problems.append(f"pin {pin.placeholder} ({pin.label()}) dropped")
            continue
        problems.append(f"pin {pin.placeholder} ({pin.label()}) altered (model wrote {found.group()!r})")
        occurrences.append(_Occurrence(found.start(), found.end(), pin, found.group()))
        taken.append((found.start(), found.end()))
    for occ in occurrences:
        if occ.pin is None:
            problems.append(f"unexpected placeholder {occ.written} in the model output (removed)")

    occurrences.sort(key=lambda o: o.start)
    out: list[str] = []
    pos = 0
    skip_space = False
    for occ in occurrences:
        chunk = text[pos:occ.start]
        if skip_space and chunk[:1] == " ":
            chunk = chunk[1:]
        if occ.pin is not None and occ.pin.pad_before and chunk[-1:] == " ":
            chunk = chunk[:-1]
        out.append(chunk)
        if occ.pin is not None:
            pin = occ.pin
            out.append(html.escape(pin.replacement, quote=False) if pin.kind == "term" else pin.replacement)
        pos = occ.end
        skip_space = occ.pin is not None and occ.pin.pad_after
    tail = text[pos:]
    if skip_space and tail[:1] == " ":
        tail = tail[1:]
    out.append(tail)
    return Restored("".join(out), problems)


_LEFTOVER = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(PREFIXES) + r")\d+(?!\d)")


def leftover_placeholders(text: str) -> list[str]:
    """Placeholders (``ZQ1``...) left in a translation: a draft whose pins were not restored."""
    return _LEFTOVER.findall(text)
