"""Reading an article gives exactly what it gave before the reading stage was made faster.

``snapshot.json`` (tests/data/reading) holds what ``parse_article`` +
``segment_article`` (blocks, segments with their text and line, separators,
repairs with file:line) and ``split_spans`` returned for the repository's own
articles, the test articles, the segmentation texts and a fixed set of
generated texts and markup soups (``inputs.json``), recorded with the code as
it was before the speed-ups.  Regenerate after an intended change with
``NEWSLOC_REGENERATE=1 pytest tests/test_reading_equivalence.py`` and review
the diff.

The rewritten regular expressions and tests are also checked against the
formulations they replaced, on arbitrary text.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloc import sentences
from newsloc.articles import Run, collapse_whitespace, decode_article, parse_article
from newsloc.errors import NewslocError
from newsloc.segment import segment_article

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SNAPSHOT = DATA / "reading" / "snapshot.json"
INPUTS = json.loads((DATA / "reading" / "inputs.json").read_text(encoding="utf-8"))
LANGS = ("en", "ru", "hy")


def _article(name: str, text: str, lang: str | None = None):
    """The article as plain data (or the error, as the user would see it)."""
    try:
        article = segment_article(parse_article(Path(name), text, lang))
    except NewslocError as exc:
        return {"error": type(exc).__name__, "message": str(exc)}
    return {
        "slug": article.slug,
        "lang": article.source_lang,
        "blocks": [[b.tag, b.line, [[s.text, s.line] for s in b.segments], b.separators]
                   for b in article.all_blocks()],
        "repairs": [str(r) for r in article.repairs],
    }


def _spans(text: str) -> dict[str, list[list[int]]]:
    return {lang: [list(span) for span in sentences.split_spans(text, lang)] for lang in LANGS}


def _files() -> list[Path]:
    """The repository's articles and the test articles, each content once."""
    seen: set[str] = set()
    files = []
    for path in sorted([*REPO.glob("source/*.txt"), *REPO.glob("tests/golden/extract/*/*.txt"),
                        *REPO.glob("tests/golden/extract/*/*.html"), *REPO.glob("tests/data/build/*.html")]):
        text = path.read_text(encoding="utf-8")
        if not path.name.startswith("expected") and text not in seen:
            seen.add(text)
            files.append(path)
    return files


def _segmentation_texts() -> list[str]:
    texts = []
    for path in sorted((DATA / "segmentation").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    return texts


def _current() -> dict[str, object]:
    result: dict[str, object] = {}
    for path in _files():
        rel = path.relative_to(REPO).as_posix()
        text = path.read_text(encoding="utf-8")
        for lang in (None, "ru", "hy"):
            result[f"{rel} {lang}"] = _article(rel, text, lang)
    for i, text in enumerate(_segmentation_texts()):
        result[f"segmentation {i}"] = _spans(text)
    for i, text in enumerate(INPUTS["texts"]):
        result[f"text {i}"] = _spans(text)
        lang = LANGS[i % 3]
        result[f"text {i} txt"] = _article(f"source/t{i}.{lang}.txt", "Headline. Two.\n\n" + text)
        result[f"text {i} html"] = _article(f"source/t{i}.html", f"<h1>H</h1>\n<p>{text}</p>", LANGS[(i + 1) % 3])
    for i, soup in enumerate(INPUTS["soups"]):
        result[f"soup {i} html"] = _article(f"source/m{i}.html", soup)
        result[f"soup {i} h1"] = _article(f"source/m{i}.ru.html", "<h1>Head\nline</h1>\n" + soup)
        result[f"soup {i} txt"] = _article(f"source/m{i}.txt", "Head <em>line\n" + soup)
        result[f"soup {i} txt hy"] = _article(f"source/m{i}.txt", soup, "hy")
    return result


def test_reading_matches_snapshot():
    current = _current()
    if os.environ.get("NEWSLOC_REGENERATE"):
        lines = [f"{json.dumps(key)}: {json.dumps(current[key], ensure_ascii=False, separators=(',', ':'))}"
                 for key in sorted(current)]  # one line per case: a change shows as a readable diff
        SNAPSHOT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(current) == sorted(expected)
    for key in sorted(expected):
        assert current[key] == expected[key], key


def test_snapshot_covers_the_repairs():
    """The fixed inputs exercise every kind of markup repair (so the snapshot is worth having)."""
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    messages = {re.sub(r"<[^>]*>", "<>", r.split(": warning: ", 1)[1])
                for value in expected.values() if isinstance(value, dict)
                for r in value.get("repairs", [])}
    for kind in ("re-quoted attribute values of <> written in typographic quotes",
                 "closed <> left open, at the end of its paragraph",
                 "closed <> left open before the next block",
                 "closed <> where another <> opened inside it",
                 "closed <> left open inside <>",
                 "dropped stray closing tag <>",
                 "dropped unsupported tag <> (its text is kept)",
                 "dropped <> and its content",
                 "dropped empty self-closing <>",
                 "text outside any block element was made a paragraph",
                 "split <> at a sentence boundary into one element per sentence",
                 "content before the <> headline was ignored"):
        assert kind in messages, kind


# --------------------------------------------------------------- rewritten tests

TEXT = st.text(alphabet=st.sampled_from(list(" .\u00a0\tMsxAmbtyFtМмпгткрнабдер-р.Ё ьwaZ9_(){}1ivx\n")), max_size=40)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_four_dots_pattern_matches_as_before(text):
    old = re.compile(r"(?<=\w)\.(?=(?:[ \u00a0]\.){3})")
    assert [m.span() for m in sentences._FOUR_DOTS.finditer(text)] == [m.span() for m in old.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_head_abbreviation_shortcut_is_a_necessary_condition(text):
    old_en = re.compile(r"(?:Ms|Mx|Mmes|Amb|Atty|Ft)\.")
    assert [m.end() for m in sentences._HEAD_ABBR_QUICK["en"].finditer(text)] == [
        m.end() for m in old_en.finditer(text)]
    for lang in ("en", "ru"):
        if sentences._HEAD_ABBR[lang].search(text):
            assert sentences._HEAD_ABBR_QUICK[lang].search(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_paren_markers_are_masked_as_before(text):
    assert sentences._mask_paren_markers(text) == sentences._PAREN_MARKER.sub(r"{\1}", text)


HTML_SPACE = " \t\n\r\f"  # what HTML collapses (a no-break space is text)


def _collapse_before(runs: list[Run]) -> list[Run]:
    """collapse_whitespace before the speed-ups, with split()/isspace()/strip() on HTML's
    whitespace only (fixed since: they took a no-break space for whitespace)."""
    def split(text: str) -> list[str]:
        return [word for word in re.split(f"[{HTML_SPACE}]", text) if word]

    result: list[Run] = []
    after_space = True
    for run in runs:
        if run.void:
            result.append(run)
            after_space = True
            continue
        text = " ".join(split(run.text))
        if run.text[:1] in HTML_SPACE and run.text[:1] and not after_space:
            text = " " + text
        if run.text[-1:] in HTML_SPACE and run.text[-1:] and text and not text.endswith(" "):
            text += " "
        elif run.text.strip(HTML_SPACE) == "" and not after_space:
            text = " "
        if text:
            after_space = text.endswith(" ")
            result.append(Run(text, run.stack, run.line))
    return result


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=" \t\n\u00a0\u3000ab", max_size=6), st.just(None)), max_size=6))
def test_whitespace_collapses_as_before(texts):
    runs = [Run("\n", (), 1, void="br") if t is None else Run(t, (), 1) for t in texts]
    assert collapse_whitespace(runs) == _collapse_before(runs)


@pytest.mark.parametrize("data", [b"", b" \t\r\n\x0b\x0c", b"\x1c", b"\xc2\xa0", b"\xe3\x80\x80 \n", b"\xef\xbb\xbf",
                                  b"\xef\xbb\xbf \n", b"x" * 8191 + b"\x00", b"x" * 8192 + b"\x00", b"a\xff",
                                  b"Headline\n\nText.\n"])
def test_decoding_decides_as_before(data):
    def before(data: bytes) -> str:
        if not data.strip():
            return "empty"
        if b"\x00" in data[:8192]:
            return "binary"
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "not UTF-8"
        return "empty" if not text.strip() else text

    try:
        now = decode_article(Path("source/a.txt"), data)
    except NewslocError as exc:
        now = ("empty" if "empty" in exc.message else "binary" if "NUL" in exc.message
               else "not UTF-8" if "UTF-8" in exc.message else exc.message)
    assert now == before(data)
