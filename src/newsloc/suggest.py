"""Candidate named entities in ``source/`` that the glossary does not cover yet.

A terminologist's first pass over new articles, as heuristics over the project's
own sentences (newsloc's segmentation, markup removed):

* acronyms: ``CSTO``, ``NATO``, ``G7`` (two or more capitals);
* runs of capitalised words, optionally joined by ``of``/``the``/``for``/``de``
  (``Collective Security Treaty Organisation``, ``Soviet Union``; not ``and``, which
  joins two names more often than it belongs to one), and capitalised
  hyphenated names (``Nagorno-Karabakh``; ``Moscow-led`` gives ``Moscow``);
* names after a title (``Prime Minister Nikol Pashinyan``, ``president Aliyev``):
  the title is dropped and the name is marked as a person;
* a capitalised word that starts a sentence counts only if it is no common
  sentence opener and also occurs capitalised inside a sentence, or never
  occurs in lower case (``Yerevan, which...``, but not ``However,``).

An occurrence is covered when glossary matches span every one of its words in
that sentence; candidates are ranked by uncovered occurrences, with the first
context snippet and location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .glossary import Glossary, plain_text

# Words that introduce a name: "Prime Minister X", "president X", "leader X".
TITLES = {
    "president", "vice-president", "prime", "minister", "premier", "chancellor", "leader",
    "king", "queen", "prince", "princess", "pope", "patriarch", "emir", "sheikh", "sultan",
    "general", "colonel", "commander", "marshal", "admiral", "senator", "governor", "mayor",
    "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman",
    "chair", "secretary", "secretary-general", "speaker", "deputy", "foreign", "defence", "defense",
    "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "judge", "justice", "archbishop", "bishop",
}
# Joiners allowed inside a capitalised run when a capitalised word follows.
JOINERS = {"of", "the", "for", "de", "du", "la", "von", "van", "al", "bin", "on"}
# Common sentence openers that are not names (a sentence-initial capital is not evidence).
OPENERS = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i",
    "you", "his", "her", "their", "our", "my", "your", "in", "on", "at", "by", "for", "from", "with",
    "without", "as", "but", "and", "or", "nor", "if", "yet", "so", "also", "still", "even", "only",
    "now", "then", "today", "yesterday", "tomorrow", "recent", "recently", "last", "next", "first",
    "second", "third", "finally", "according", "despite", "instead", "such", "not", "no", "there",
    "here", "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "while",
    "whilst", "although", "though", "however", "meanwhile", "moreover", "furthermore", "therefore",
    "thus", "hence", "since", "after", "before", "during", "until", "unlike", "like", "following",
    "both", "each", "every", "all", "some", "many", "most", "much", "more", "few", "several",
    "other", "another", "one", "two", "three", "over", "under", "among", "between", "through",
    "about", "against", "amid", "within", "earlier", "later", "officials", "critics", "analysts",
    "experts", "asked", "speaking", "writing", "yes", "well", "once", "because", "unless",
    "whether", "do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "will",
    "would", "can", "could", "should", "may", "might", "must", "let", "many", "people",
}

_WORD = re.compile(r"[^\W\d_](?:[\w]|[-\u2010\u2011'\u2019](?=\w))*|\d+[^\W\d_]\w*")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Z0-9&]+$")


@dataclass
class Candidate:
    """A possible glossary term."""

    text: str
    kind: str  # "acronym", "person" (after a title) or "name"
    count: int = 0
    snippet: str = ""
    location: str = ""
    locations: list[str] = field(default_factory=list)


@dataclass
class _Token:
    text: str
    start: int
    end: int


def _tokens(sentence: str) -> list[_Token]:
    tokens = []
    for m in _WORD.finditer(sentence):
        text, end = m.group(), m.end()
        possessive = _POSSESSIVE.search(text)
        if possessive:
            text, end = text[: possessive.start()], end - len(possessive.group())
        tokens.append(_Token(text, m.start(), end))
    return tokens


def _capitalised(text: str) -> bool:
    return text[:1].isupper()


def _name_part(token: _Token) -> _Token | None:
    """A capitalised token, cut at the first lower-case hyphen part (Moscow-led -> Moscow)."""
    if not _capitalised(token.text):
        return None
    parts = re.split(r"([-\u2010\u2011])", token.text)
    keep = parts[0]
    for i in range(1, len(parts) - 1, 2):
        if not _capitalised(parts[i + 1]):
            break
        keep += parts[i] + parts[i + 1]
    return _Token(keep, token.start, token.start + len(keep))


def _adjacent(sentence: str, left: _Token, right: _Token) -> bool:
    """Only a single space between two words (punctuation ends a name)."""
    return sentence[left.end:right.start] in (" ", "\u00a0")


def _spans(sentence: str) -> list[tuple[list[_Token], bool, bool]]:
    """Candidate spans of a sentence: (tokens, after a title, starts the sentence)."""
    tokens = _tokens(sentence)
    out = []
    i = 0
    while i < len(tokens):
        first = _name_part(tokens[i])
        if first is None:
            i += 1
            continue
        run = [first]
        j = i + 1
        # Extend while the next word is capitalised, or a joiner followed by a capitalised word.
        while j < len(tokens) and run[-1].end == tokens[j - 1].end and _adjacent(sentence, tokens[j - 1], tokens[j]):
            nxt = _name_part(tokens[j])
            if nxt is not None:
                run.append(nxt)
                j += 1
                continue
            if (
                tokens[j].text.lower() in JOINERS
                and j + 1 < len(tokens)
                and _adjacent(sentence, tokens[j], tokens[j + 1])
                and _name_part(tokens[j + 1]) is not None
            ):
                run.append(tokens[j])
                run.append(_name_part(tokens[j + 1]))
                j += 2
                continue
            break
        at_start = i == 0
        after_title = i > 0 and tokens[i - 1].text.lower() in TITLES and _adjacent(sentence, tokens[i - 1], tokens[i])
        # Leading titles and openers inside the run are not part of the name.
        while run and (run[0].text.lower() in TITLES or (at_start and run[0].text.lower() in OPENERS)):
            if run[0].text.lower() in TITLES:
                after_title = True
            run.pop(0)
            at_start = False
            while run and run[0].text.lower() in JOINERS:
                run.pop(0)
        while run and run[-1].text.lower() in JOINERS:
            run.pop()
        if run:
            out.append((run, after_title, at_start))
        i = j
    return out


def find_candidates(sentences: Iterable[tuple[str, str]], glossary: Glossary | None = None) -> list[Candidate]:
    """Candidates in (location, plain sentence) pairs that the glossary does not cover.

    Ranked by the number of uncovered occurrences (most first), then by first appearance.
    """
    glossary = glossary or Glossary([])
    found: dict[str, Candidate] = {}
    seen: dict[str, list[tuple[int, str, str]]] = {}  # text -> (sentence number, location, snippet)
    initial_only: dict[str, list[tuple[str, str, int, int]]] = {}
    mid_capitalised: set[str] = set()
    lower_words: set[str] = set()
    for index, (location, sentence) in enumerate(sentences):
        for token in _tokens(sentence):
            if not _capitalised(token.text):
                lower_words.add(token.text)
        covered = {i for m in glossary.find(sentence) for i in range(m.start, m.end)}
        for run, after_title, at_start in _spans(sentence):
            start, end = run[0].start, run[-1].end
            text = sentence[start:end]
            letters = [i for t in run if _capitalised(t.text) for i in range(t.start, t.end) if sentence[i].isalnum()]
            if all(i in covered for i in letters):
                continue  # every word of it is a glossary term already
            if len(run) == 1 and _ACRONYM.match(text):
                kind = "acronym"
            elif after_title:
                kind = "person"
            else:
                kind = "name"
            if len(run) == 1 and kind == "name" and text.lower() in OPENERS:
                continue  # "However," after a semicolon, "The" in a quote: not names
            if at_start and len(run) == 1 and kind == "name":
                # A capital at the start of a sentence is weak evidence: decide at the end.
                initial_only.setdefault(text, []).append((index, location, sentence, start, end))
                continue
            if len(run) == 1:
                mid_capitalised.add(text)
            _add(found, seen, text, kind, index, location, sentence, start, end)
    for text, occurrences in initial_only.items():
        if text.lower() in OPENERS:
            continue
        if text in mid_capitalised or text.lower() not in lower_words:
            for index, location, sentence, start, end in occurrences:
                _add(found, seen, text, "name", index, location, sentence, start, end)
    first: dict[str, int] = {}
    for candidate in found.values():
        # (sentence-initial occurrences were added last: the first one is in text order)
        occurrences = sorted(seen[candidate.text])
        first[candidate.text], candidate.location, candidate.snippet = occurrences[0]
        candidate.locations = list(dict.fromkeys(location for _, location, _ in occurrences))
    return sorted(found.values(), key=lambda c: (-c.count, first[c.text]))


def _add(found: dict[str, Candidate], seen: dict[str, list], text: str, kind: str, index: int, location: str,
         sentence: str, start: int, end: int) -> None:
    candidate = found.get(text)
    if candidate is None:
        candidate = found[text] = Candidate(text, kind, 0, "", location)
    elif kind == "person" and candidate.kind == "name":
        candidate.kind = "person"
    candidate.count += 1
    seen.setdefault(text, []).append((index, location, _snippet(sentence, start, end)))


def _snippet(sentence: str, start: int, end: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(sentence), end + width)
    if left > 0:
        space = sentence.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(sentence):
        space = sentence.rfind(" ", end, right)
        right = space if space != -1 else right
    return ("…" if left > 0 else "") + sentence[left:right] + ("…" if right < len(sentence) else "")


def suggest(project, glossary: Glossary | None = None) -> list[Candidate]:
    """Candidates in every article of ``project`` (a :class:`newsloc.project.Project`)."""
    sentences = []
    for path in project.article_paths():
        article = project.read_article(path)
        shown = article.path.as_posix()
        for segment in article.segments():
            sentences.append((f"{shown}:{segment.line}", plain_text(segment.text)))
    return find_candidates(sentences, glossary)
