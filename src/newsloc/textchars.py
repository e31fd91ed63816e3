"""The characters no page or catalog may hold as text: one definition for every stage.

HTML does not allow, in text, a control character other than ASCII whitespace (TAB,
LF, FF, CR), nor a noncharacter; a lone surrogate cannot be encoded at all (HTML
Living Standard, "Text").  A page with one is invalid (html5lib: "Invalid codepoint in
stream").  Articles (Word's manual line break is U+000B), glossaries (a YAML escape,
a TBX character reference) and machine drafts bring them in: the reader repairs them,
the glossary refuses them, drafting drops them and the ``control-chars`` check reports
them.  Every one is unprintable (Cc, Cs or Cn: a test checks all of Unicode), so
``str.isprintable()`` clears nearly every text without a scan.
"""

from __future__ import annotations

import re

FORBIDDEN_CODEPOINTS = (
    [range(0x00, 0x09), range(0x0B, 0x0C), range(0x0E, 0x20), range(0x7F, 0xA0), range(0xD800, 0xE000),
     range(0xFDD0, 0xFDF0)]
    + [range(plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0x10000) for plane in range(17)])
FORBIDDEN = re.compile("[" + "".join(f"\\U{r.start:08x}-\\U{r.stop - 1:08x}" for r in FORBIDDEN_CODEPOINTS) + "]")
# A superset, with all of U+1FFFE.. in one range, to find out quickly whether a long text
# may hold one (sre tests every character against each range a class has beyond the BMP:
# this one is ~5x faster); a match is then looked at with FORBIDDEN.
FORBIDDEN_QUICK = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                             "\U0001fffe-\U0010ffff]")
# A numeric character reference (&#11; &#x0B;): HTML parsers turn it into the character.
NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")


def kind(codepoint: int) -> str:
    """What a forbidden character is, for messages."""
    if 0xD800 <= codepoint < 0xE000:
        return "lone surrogate"
    return "control character" if codepoint < 0xA0 else "noncharacter"


def _referenced(match: re.Match) -> int:
    hexadecimal, decimal = match.groups()
    return int(hexadecimal, 16) if hexadecimal else int(decimal)


def _forbidden_reference(match: re.Match) -> bool:
    codepoint = _referenced(match)
    return codepoint > 0x10FFFF or FORBIDDEN.match(chr(codepoint)) is not None


def forbidden_in(text: str) -> list[int]:
    """The forbidden characters of ``text``, also those written as numeric references, in order."""
    found = [ord(ch) for ch in FORBIDDEN.findall(text)] if not text.isprintable() else []
    if "&#" in text:
        found += [_referenced(m) for m in NUMERIC_REFERENCE.finditer(text) if _forbidden_reference(m)]
    return found


def has_forbidden(text: str) -> bool:
    """Whether ``text`` holds a forbidden character, or a numeric reference to one."""
    if not text.isprintable() and FORBIDDEN.search(text):
        return True
    return "&#" in text and any(map(_forbidden_reference, NUMERIC_REFERENCE.finditer(text)))


def remove_forbidden(text: str) -> str:
    """``text`` without what :func:`has_forbidden` finds."""
    if not text.isprintable():
        text = FORBIDDEN.sub("", text)
    if "&#" in text:
        text = NUMERIC_REFERENCE.sub(lambda m: "" if _forbidden_reference(m) else m.group(0), text)
    return text
