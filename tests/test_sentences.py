"""Plain-text sentence splitter (newsloc.sentences): losslessness, news cases, measured targets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsloc.sentences import segbench, split_sentences, split_spans

DATA = Path(__file__).resolve().parent / "data" / "segmentation"  # see SOURCES.md there

LANGS = ["en", "ru", "hy"]


# --------------------------------------------------------------- lossless


def assert_lossless(text: str, spans: list[tuple[int, int]]) -> None:
    prev = 0
    for start, end in spans:
        assert prev <= start < end <= len(text), (text, spans)  # ordered, non-overlapping, non-empty
        assert text[prev:start].strip() == "", (text, spans)  # gaps are whitespace only
        assert not text[start].isspace() and not text[end - 1].isspace(), (text, spans)
        prev = end
    assert text[prev:].strip() == "", (text, spans)  # every non-space character is covered


# Arbitrary text, and text built from the pieces the wrappers react to
# (markers, quotes of every glyph, brackets, ellipses, line breaks, abbreviations).
NEWSY = st.lists(
    st.sampled_from([
        "a", "Z", " ", "  ", ".", "!", "?", "…", ":", "։", ";", ",", "(", ")", "[", "]", "{", "}",
        '"', "'", "“", "”", "«", "»", "„", "‘", "’", "—", "–", "-", "\n", "\n\n", "\t", "\u00a0",
        "1", "2", "§", "⁃", "•", "IV", "ii", "Mr.", "U.S.", "Jan. 5", "7.1%", " 1. ", " 2. ", " a. ",
        " b. ", "(a) ", "(1) ", " . . . ", ". . . .", "Word", "word", "Привет", "пгт.", "гг.", "т. е.",
        "Ոչինչ", "Հայաստան", "😀", "e\u0301",
    ]),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=st.text(), lang=st.sampled_from(LANGS))
def test_lossless_on_arbitrary_text(text, lang):
    assert_lossless(text, split_spans(text, lang))


@settings(max_examples=1000, deadline=None)
@given(text=NEWSY, lang=st.sampled_from(LANGS))
@example(text=" 1.  2. a", lang="en")  # the same list marker reached twice
@example(text="1. Yes 2. 2. 2. 1. Yes 2.", lang="en")
@example(text="He said. “ We\n\n(a) x. . . . Y", lang="en")
@example(text="«А. «Б. В.» Г.» ”Д. Е.” ж", lang="ru")
def test_lossless_on_punctuation_heavy_text(text, lang):
    spans = split_spans(text, lang)
    assert_lossless(text, spans)
    assert split_sentences(text, lang) == [text[s:e] for s, e in spans]


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\u00a0 "])
@pytest.mark.parametrize("lang", LANGS)
def test_blank_text_has_no_sentences(text, lang):
    assert split_spans(text, lang) == []


# --------------------------------------------------------------- news cases (the shipped article)


@pytest.mark.parametrize("text, expected", [
    # same-glyph ”…” quotes inside a sentence, a title before a name ending the sentence
    ("Armenia has ”participated in the war preparation” against Armenia in 2020, according to the "
     "country’s Prime Minister Nikol Pashinyan. He did not clarify which countries he meant.",
     ["Armenia has ”participated in the war preparation” against Armenia in 2020, according to the "
      "country’s Prime Minister Nikol Pashinyan.", "He did not clarify which countries he meant."]),
    # a quotation ending a sentence: the closing quote stays with it
    ("Aliyev, concluding ”that victory could be achieved in war.” The second country that Pashinyan "
     "referred to is most likely Russia.",
     ["Aliyev, concluding ”that victory could be achieved in war.”",
      "The second country that Pashinyan referred to is most likely Russia."]),
    ("Belarus accounted for about 7.1% of its arms imports between 2011 and 2020. During his recent "
     "visit, Lukashenka spoke.",
     ["Belarus accounted for about 7.1% of its arms imports between 2011 and 2020.",
      "During his recent visit, Lukashenka spoke."]),
    ("He met U.S. Secretary of State Antony Blinken on Jan. 5. They discussed the Lachin corridor.",
     ["He met U.S. Secretary of State Antony Blinken on Jan. 5.", "They discussed the Lachin corridor."]),
    # titles sentencex does not know still precede a name
    ("Mr. Pashinyan disagreed. Ms. Ivanova agreed. Amb. Smith left.",
     ["Mr. Pashinyan disagreed.", "Ms. Ivanova agreed.", "Amb. Smith left."]),
    ("The U.S. and the E.U. agreed. Mr. Aliyev declined to comment.",
     ["The U.S. and the E.U. agreed.", "Mr. Aliyev declined to comment."]),
    ("“We will not retreat,” said Prime Minister Nikol Pashinyan. “The border is secure.” He then left.",
     ["“We will not retreat,” said Prime Minister Nikol Pashinyan.", "“The border is secure.”",
      "He then left."]),
])
def test_news_english(text, expected):
    assert split_sentences(text, "en") == expected


def test_shipped_article_paragraphs():
    article = Path(__file__).resolve().parent.parent / "source" / "the-friend-of-my-enemy.txt"
    paragraphs = article.read_text(encoding="utf-8").splitlines()[1:]
    # the caller removes inline HTML before segmenting
    plain = [re.sub(r"<[^>]*>", "", p) for p in paragraphs if p.strip()]
    counts = [len(split_sentences(p, "en")) for p in plain]
    assert counts == [4, 2, 3, 2, 5]
    first = split_sentences(plain[0], "en")
    assert first[1].endswith("concluding ”that victory could be achieved in war.”")
    assert first[2].startswith("The second country")


# --------------------------------------------------------------- the wrappers, one rule each


@pytest.mark.parametrize("text, expected", [
    # sentencex never splits after a sentence starting with "(a)"
    ("(a) First point. Second point. Third point.", ["(a) First point.", "Second point.", "Third point."]),
    ("Intro. (1) First point. Second point.", ["Intro.", "(1) First point.", "Second point."]),
    # a marker is not a sentence; an inline list is one item per sentence
    ("1. The first item. 2. The second item.", ["1. The first item.", "2. The second item."]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    ("a. The first item b. The second item c. The third item",
     ["a. The first item", "b. The second item", "c. The third item"]),
    ("I. Introduction II. Methods III. Results", ["I. Introduction", "II. Methods", "III. Results"]),
    # ... but a number ending a sentence is not a marker, and initials are not a list
    ("The vote was 52 to 2. The motion passed.", ["The vote was 52 to 2.", "The motion passed."]),
    ("A. Smith met B. Jones. C. Brown was absent.", ["A. Smith met B. Jones.", "C. Brown was absent."]),
    # 4-dot ellipsis: full stop, then an ellipsis opening the next sentence
    ("It was combining words. . . . The practice was not abandoned.",
     ["It was combining words.", ". . . The practice was not abandoned."]),
    ("It was weakened . . . and was not abandoned.", ["It was weakened . . . and was not abandoned."]),
    # an opening quote never hangs on the previous sentence
    ("“The border is secure,” he said. “We will keep it so. Nobody will cross it.",
     ["“The border is secure,” he said.", "“We will keep it so.", "Nobody will cross it."]),
    ('He said so. "We will keep it." Then he left.', ['He said so.', '"We will keep it."', "Then he left."]),
    # a bracketed sentence ends before a capitalised one
    ("(How about a sentence in parenthesis?) Or a sentence with a quote.",
     ["(How about a sentence in parenthesis?)", "Or a sentence with a quote."]),
    ("The company (Acme Inc.) said profits rose. They did.", ["The company (Acme Inc.) said profits rose.",
                                                             "They did."]),
    # no sentence starts in lowercase
    ("But the undef. abbreviation is not an end.", ["But the undef. abbreviation is not an end."]),
    ("”Why?” she asked. ”Because.”", ["”Why?” she asked.", "”Because.”"]),
    # a same-glyph ”…” quotation of several sentences stays whole
    ("He said: ”We will not retreat. The border is secure.” Then he left.",
     ["He said: ”We will not retreat. The border is secure.”", "Then he left."]),
    # line breaks (<br>): a blank line ends a sentence, a single break after a full stop too
    ("The talks ended\n\nBoth sides agreed.", ["The talks ended", "Both sides agreed."]),
    ("The talks ended.\nBoth sides agreed.", ["The talks ended.", "Both sides agreed."]),
    ("A sentence wrapped\nfor layout ends here.", ["A sentence wrapped\nfor layout ends here."]),
])
def test_english_rules(text, expected):
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize("text, expected", [
    ("Премьер-министр Никол Пашинян заявил: «Мы не отступим». Об этом сообщает ТАСС.",
     ["Премьер-министр Никол Пашинян заявил: «Мы не отступим».", "Об этом сообщает ТАСС."]),
    ("В 2023 г. В. В. Путин посетил г. Москву. Встреча прошла в т.ч. с участием пресс-секретаря.",
     ["В 2023 г. В. В. Путин посетил г. Москву.", "Встреча прошла в т.ч. с участием пресс-секретаря."]),
    # direct speech with the author's words in dashes stays one sentence
    ("«К чему ты готовишься? – спросила мама. – Завтра ведь выходной». Он промолчал.",
     ["«К чему ты готовишься? – спросила мама. – Завтра ведь выходной».", "Он промолчал."]),
    ("Едем в сторону пгт. Брагиновка. Там тихо.", ["Едем в сторону пгт. Брагиновка.", "Там тихо."]),
    ("Рост составил 7,1%. США ответили.", ["Рост составил 7,1%.", "США ответили."]),
    # same-glyph ”…”: a quoted sentence starts at its ” and is not cut inside
    ("Он сказал. ”Да. Нет.” Потом ушёл.", ["Он сказал.", "”Да. Нет.”", "Потом ушёл."]),
    ('По его словам, "не будет точно". "Возможно, у нас получится".',
     ['По его словам, "не будет точно".', '"Возможно, у нас получится".']),
])
def test_russian(text, expected):
    assert split_sentences(text, "ru") == expected


@pytest.mark.parametrize("text, expected", [
    ("Ի՞նչ ես մտածում: Ոչինչ:", ["Ի՞նչ ես մտածում:", "Ոչինչ:"]),  # ASCII colon as full stop
    ("Վարչապետը հայտարարեց։ Այո։", ["Վարչապետը հայտարարեց։", "Այո։"]),  # U+0589 full stop
])
def test_armenian(text, expected):
    assert split_sentences(text, "hy") == expected


@pytest.mark.parametrize("variant, base, text", [
    ("en_US", "en", "He met U.S. officials. They talked."),
    ("en-GB", "en", "He met U.S. officials. They talked."),
    ("EN", "en", "He met U.S. officials. They talked."),
    ("ru_RU", "ru", "Едем в сторону пгт. Брагиновка. Там тихо."),
    ("hy-AM", "hy", "Ի՞նչ ես մտածում: Ոչինչ:"),
])
def test_language_variants_use_the_base_language(variant, base, text):
    assert split_sentences(text, variant) == split_sentences(text, base)
    assert len(split_sentences(text, variant)) == 2


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_other_languages_go_to_sentencex(lang):
    assert split_sentences("Erster Satz hier. Zweiter Satz dort.", lang) == ["Erster Satz hier.",
                                                                           "Zweiter Satz dort."]


def test_segbench_plugin_is_split_sentences():
    text = "He met U.S. officials. They talked."
    assert segbench(text, "en") == split_sentences(text, "en")


# --------------------------------------------------------------- measured targets

_WS = re.compile(r"\s+")


def _load(name: str) -> list[dict]:
    cases = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            if not case.get("duplicate_of"):
                cases.append(case)
    return cases


def _clean(sentences, collapse=False):
    out = []
    for s in sentences:
        s = s.strip()
        if collapse:
            s = _WS.sub(" ", s)
        if s:
            out.append(s)
    return out


def _boundaries(sentences):
    pos, out = 0, set()
    for s in sentences:
        pos += len(_WS.sub("", s))
        out.add(pos)
    out.discard(pos)
    return out


def score(name: str) -> dict:
    """The metrics of the segmentation benchmark (segbench.py): exact, exact_ws, boundary F1."""
    exact = exact_ws = tp = fp = fn = 0
    cases = _load(name)
    for case in cases:
        gold = _clean(case["sentences"])
        pred = _clean(split_sentences(case["text"], case.get("lang") or name[:-6].rsplit("_", 1)[-1]))
        exact += pred == gold
        exact_ws += _clean(pred, True) == _clean(gold, True)
        g, p = _boundaries(gold), _boundaries(pred)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(cases), "exact": exact, "exact_ws": exact_ws, "f1": f1}


# (file, metric, minimum, expected number of cases).  golden_*, razdel_ru: exact sentences;
# sentencex_*: exact after whitespace collapse, as in sentencex's own harness (its expected
# sentences are stored collapsed); syntok_en is one 109-sentence document, so boundary F1.
TARGETS = [
    ("golden_en.jsonl", "exact", 45, 48),
    ("sentencex_en.jsonl", "exact_ws", 230, 236),
    ("syntok_en.jsonl", "f1", 0.95, 1),
    ("golden_ru.jsonl", "exact", 35, 37),
    ("razdel_ru.jsonl", "exact", 30, 34),
    # Armenian has no target in the brief; hold the level sentencex reaches
    ("golden_hy.jsonl", "exact", 22, 22),
    ("sentencex_hy.jsonl", "exact_ws", 23, 23),
]


@pytest.mark.parametrize("name, metric, minimum, n", TARGETS, ids=[t[0] for t in TARGETS])
def test_segmentation_targets(name, metric, minimum, n):
    result = score(name)
    assert result["n"] == n
    assert result[metric] >= minimum, result


@pytest.mark.parametrize("text", ["I\u00a0.", "I\u3000. Word is here. And more.", "x I \u00a0. y",
                                  "A\u00a0\u00a0. Then B.", "He met J\u2009. Smith. Then left."])
@pytest.mark.parametrize("lang", ["en", "de", "fr", "hy"])
def test_text_that_makes_sentencex_panic_is_segmented(text, lang):
    """sentencex 1.0.32 panics (a BaseException) on a capital, a non-ASCII space and a full stop."""
    sentences = split_sentences(text, lang)
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "").strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["I", "A", "J", "a", " ", "\u00a0", "\u3000", "\u2009", ".", "!", "Smith",
                                 "word", "(1)", "«", "»", "\n"]), max_size=14))
def test_segmenting_never_raises_on_odd_spaces(pieces):
    text = "".join(pieces)
    for lang in ("en", "de", "hy"):
        split_sentences(text, lang)
