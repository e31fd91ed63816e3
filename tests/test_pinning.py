"""Pinning terms and markup through machine translation (unit tests and the real CTranslate2 path)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argos_package import build_argos_package, extract_package
from newsloc.glossary import Glossary, load_glossary
from newsloc.model import Term, TermTarget
from newsloc.pinning import leftover_placeholders, protect, restore

REPO = Path(__file__).resolve().parent.parent

LUKASHENKA_SENTENCE = (
    "He did not clarify which countries he meant, but the statement came a day after the Belarusian "
    "leader Alexander Lukashenka announced in Azerbaijan that before the start of the 2020 "
    "Armenian-Azerbaijani war over Nagorno-Karabakh, he discussed potential military actions with "
    "Azerbaijani president Aliyev, concluding ”that victory could be achieved in war.”"
)
LINK_SENTENCE = (
    'Armenia has <a href="https://www.europeancorrespondent.com/r/armenia-pivots-to-the-west" '
    'style="text-decoration: underline !important;">continuously boycotted several high-level meetings, '
    "military exercises, and other CSTO activities and recently stopped making financial contributions "
    "to the organisation.</a>"
)


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(REPO / "glossary.yaml", configured_locales=["ru", "hy"])


# -- protect -----------------------------------------------------------------------------
def test_protect_pins_terms_with_the_locale_agreed_form(shipped):
    pinned = protect(LUKASHENKA_SENTENCE, "ru", shipped)
    assert [(p.placeholder, p.kind, p.term_id, p.replacement) for p in pinned.pins] == [
        ("ZQ1", "term", "alexander-lukashenka", "Александр Лукашенко"),
        ("ZQ2", "term", "azerbaijan", "Азербайджан"),
        ("ZQ3", "term", "nagorno-karabakh", "Нагорный Карабах"),
        ("ZQ4", "term", "aliyev", "Алиев"),
    ]
    # adjectives (pin: false) are left to the model, as is all other text
    assert pinned.text == (
        "He did not clarify which countries he meant, but the statement came a day after the Belarusian "
        "leader ZQ1 announced in ZQ2 that before the start of the 2020 Armenian-Azerbaijani war over ZQ3, "
        "he discussed potential military actions with Azerbaijani president ZQ4, concluding ”that victory "
        "could be achieved in war.”"
    )
    hy = protect(LUKASHENKA_SENTENCE, "hy", shipped)
    assert [p.replacement for p in hy.pins] == ["Ալեքսանդր Լուկաշենկո", "Ադրբեջան", "Լեռնային Ղարաբաղ", "Ալիև"]


def test_protect_pins_markup_and_decodes_entities(shipped):
    segment = 'Armenia’s <em>CSTO</em>ally and AT&amp;T <a href="https://x.example/?a=1&amp;b=2">link</a>'
    pinned = protect(segment, "ru", shipped)
    assert pinned.text == "ZQ1’s ZQ2 ZQ3 ZQ4 ally and AT&T ZQ5 link ZQ6"
    kinds = [(p.kind, p.replacement) for p in pinned.pins]
    assert kinds == [
        ("term", "Армения"), ("markup", "<em>"), ("term", "ОДКБ"), ("markup", "</em>"),
        ("markup", '<a href="https://x.example/?a=1&amp;b=2">'), ("markup", "</a>"),
    ]
    pads = [(p.pad_before, p.pad_after) for p in pinned.pins]
    assert pads == [(False, False), (False, True), (False, True), (False, True), (False, True), (True, False)]


def test_identity_model_restores_the_segment_with_agreed_forms(shipped):
    pinned = protect(LINK_SENTENCE, "ru", shipped)
    restored = restore(pinned.text, pinned)
    assert restored.problems == []
    assert restored.text == LINK_SENTENCE.replace("Armenia has", "Армения has").replace("other CSTO", "other ОДКБ")


def test_no_glossary_pins_markup_only():
    pinned = protect("a <b>bold</b> claim", "ru", None)
    assert pinned.text == "a ZQ1 bold ZQ2 claim"
    assert restore("одно ZQ1 смелое ZQ2 заявление", pinned).text == "одно <b>смелое</b> заявление"
    assert restore("plain", protect("plain", "ru", None)).text == "plain"


def test_terms_without_a_target_or_unpinned_are_left_alone():
    g = Glossary(
        [
            Term("x", "place", ("Armenia",), targets={"ru": TermTarget("ru", ("Армения",))}),
            Term("y", "other", ("Armenian",), targets={"ru": TermTarget("ru", ("армянский",))}),
            Term("bbc", "organisation", ("BBC",), targets={"hy": TermTarget("hy", ("BBC",), keep=True)}),
        ],
        unpinned={"y"},
    )
    assert protect("Armenian Armenia BBC", "ru", g).text == "Armenian ZQ1 BBC"
    keep = protect("the BBC", "hy", g)
    assert keep.text == "the ZQ1" and keep.pins[0].replacement == "BBC"


def test_prefix_avoids_text_that_looks_like_a_placeholder(shipped):
    pinned = protect("The zq1 line and the QZ5 road in Armenia", "ru", shipped)
    assert pinned.pins[0].placeholder == "ZX1"
    assert pinned.text == "The zq1 line and the QZ5 road in ZX1"
    assert restore("Линия zq1 и дорога QZ5 в ZX1", pinned).text == "Линия zq1 и дорога QZ5 в Армения"


# -- restore: every lost pin is reported ------------------------------------------------------
@pytest.fixture
def three(shipped):
    pinned = protect("Pashinyan met Aliyev in <em>Moscow</em>.", "ru", shipped)
    assert pinned.text == "ZQ1 met ZQ2 in ZQ3 ZQ4 ZQ5."
    return pinned


def test_reordered_placeholders_are_fine(three):
    restored = restore("В ZQ3 ZQ4 ZQ5 ZQ1 встретился с ZQ2.", three)
    assert restored.problems == []
    assert restored.text == "В <em>Москва</em> Пашинян встретился с Алиев."


def test_dropped_pin(three):
    restored = restore("ZQ1 встретился в ZQ3 ZQ4 ZQ5.", three)
    assert restored.problems == ["pin ZQ2 (Aliyev → Алиев) dropped"]
    assert restored.text == "Пашинян встретился в <em>Москва</em>."


def test_duplicated_pin(three):
    restored = restore("ZQ1 и ZQ1 встретились с ZQ2 в ZQ3 ZQ4 ZQ5.", three)
    assert restored.problems == ["pin ZQ1 (Pashinyan → Пашинян) duplicated (2 times)"]
    assert restored.text == "Пашинян и Пашинян встретились с Алиев в <em>Москва</em>."


@pytest.mark.parametrize("written", ["zq2", "ZQ 2", "Z Q2", "ЗК2", "ZQ-2", "Զք2"])
def test_altered_pin(three, written):
    restored = restore(f"ZQ1 встретился с {written} в ZQ3 ZQ4 ZQ5.", three)
    assert restored.problems == [f"pin ZQ2 (Aliyev → Алиев) altered (model wrote {written!r})"]
    assert restored.text == "Пашинян встретился с Алиев в <em>Москва</em>."


def test_dropped_markup_and_unexpected_placeholder(three):
    restored = restore("ZQ1 встретился с ZQ2 в ZQ3 ZQ4 ZQ9.", three)
    assert restored.problems == [
        "pin ZQ5 (markup </em>) dropped",
        "unexpected placeholder ZQ9 in the model output (removed)",
    ]
    assert leftover_placeholders(restored.text) == []


def test_restore_escapes_model_text_for_html():
    pinned = protect("Tom &amp; <b>Jerry</b>", "ru", None)
    assert pinned.text == "Tom & ZQ1 Jerry ZQ2"
    assert restore("Том & ZQ1 Джерри ZQ2 <script>", pinned).text == "Том &amp; <b>Джерри</b> &lt;script&gt;"


def test_leftover_placeholders():
    assert leftover_placeholders("Пашинян ZQ1 и QZ12, ZQ3’s") == ["ZQ1", "QZ12", "ZQ3"]
    assert leftover_placeholders("AZQ1 ZQ") == []


_WORDS = st.sampled_from(["Armenia", "CSTO", "Pashinyan", "war", "the", "&amp;", "’s", ",", " ", "  ", "7.1%",
                          "<em>", "</em>", "<br/>", '<a href="https://x.example/Armenia">', "</a>", "zq", "ZQ"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=20).map("".join))
def test_identity_round_trip_property(shipped, segment):
    """An identity model gives back the segment, terms replaced by their agreed forms."""
    pinned = protect(segment, "ru", shipped)
    restored = restore(pinned.text, pinned)
    assert restored.problems == []
    assert leftover_placeholders(restored.text) == [] or "ZQ" in segment or "zq" in segment
    expected = segment
    for match in reversed(shipped.find(segment)):
        expected = expected[: match.start] + html.escape(match.term.targets["ru"].agreed, quote=False) + expected[match.end:]
    assert restored.text == expected


# -- through the real CTranslate2 path ----------------------------------------------------------
@pytest.fixture(scope="module")
def test_model(tmp_path_factory):
    """The deterministic test package (dictionary + copy), loaded with Argos and newsloc.mt."""
    from argostranslate.package import Package

    from newsloc.mt import Translator

    folder = tmp_path_factory.mktemp("argos")
    archive = build_argos_package(
        folder,
        dictionary={"the": "это", "war": "война", "leader": "лидер", "president": "президент",
                    "statement": "заявление", "meetings": "встречи", "activities": "мероприятия"},
    )
    package = Package(extract_package(archive, folder / "installed"))
    return package, Translator(package, threads=1)


def test_pins_survive_sentencepiece_and_ctranslate2(shipped, test_model):
    package, translator = test_model
    pinned = [protect(s, "ru", shipped) for s in (LUKASHENKA_SENTENCE, LINK_SENTENCE)]
    outputs = translator.translate([p.text for p in pinned])
    restored = [restore(out, p) for out, p in zip(outputs, pinned)]
    assert [r.problems for r in restored] == [[], []]
    assert restored[0].text == (
        "He did not clarify which countries he meant, but это заявление came a day after это Belarusian "
        "лидер Александр Лукашенко announced in Азербайджан that before это start of это 2020 "
        "Armenian-Azerbaijani война over Нагорный Карабах, he discussed potential military actions with "
        "Azerbaijani президент Алиев, concluding ”that victory could be achieved in война.”"
    )
    assert restored[1].text == (
        'Армения has <a href="https://www.europeancorrespondent.com/r/armenia-pivots-to-the-west" '
        'style="text-decoration: underline !important;">continuously boycotted several high-level встречи, '
        "military exercises, and other ОДКБ мероприятия and recently stopped making financial contributions "
        "to это organisation.</a>"
    )
    # Argos's own decoder (which turns "_" into spaces) keeps the placeholders too
    pieces = package.tokenizer.encode(pinned[1].text)
    assert package.tokenizer.decode(pieces) == pinned[1].text


@pytest.mark.parametrize(
    "written, text, problem",
    [
        # the model transliterates the placeholder letters: found anyway, restored, reported
        ("ЗК", "Пашинян and Алиев discussed the война.", "altered (model wrote 'ЗК{n}')"),
        # the model translates them into a word: the pin is lost, and reported
        ("мир", "мир1 and мир2 discussed the война.", "dropped"),
    ],
)
def test_a_model_that_mangles_placeholders_is_reported(shipped, tmp_path, written, text, problem):
    """A real model whose dictionary translates the piece ZQ (SentencePiece splits ZQ1 into ZQ + 1)."""
    from argostranslate.package import Package

    from newsloc.mt import Translator

    archive = build_argos_package(tmp_path, dictionary={"ZQ": written, "war": "война"})
    translator = Translator(Package(extract_package(archive, tmp_path / "installed")), threads=1)
    pinned = protect("Pashinyan and Aliyev discussed the war.", "ru", shipped)
    assert pinned.text == "ZQ1 and ZQ2 discussed the war."
    restored = restore(translator.translate([pinned.text])[0], pinned)
    assert restored.text == text
    assert restored.problems == [
        f"pin ZQ1 (Pashinyan → Пашинян) {problem.format(n=1)}",
        f"pin ZQ2 (Aliyev → Алиев) {problem.format(n=2)}",
    ]


def test_a_garbage_model_is_survived(shipped, tmp_path):
    from argostranslate.package import Package

    from newsloc.mt import Translator

    archive = build_argos_package(tmp_path, garbage=True)
    translator = Translator(Package(extract_package(archive, tmp_path / "installed")), threads=1)
    pinned = protect(LUKASHENKA_SENTENCE, "ru", shipped)
    restored = restore(translator.translate([pinned.text])[0], pinned)
    assert isinstance(restored.text, str)
    assert len(restored.problems) >= 1  # random weights do not copy four placeholders
