"""The batched CTranslate2 engine, on the real Argos/CTranslate2 path with the test packages."""

from __future__ import annotations

import random

import ctranslate2
import pytest
from argos_package import DEFAULT_DICTIONARY, POSITIONS

from newsloc import models, mt, textchars
from newsloc.errors import ModelError


def expected(package, text: str) -> str:
    """What the test model must produce: each piece through the dictionary, the rest copied."""
    sp = package.argos.tokenizer.lazy_processor()
    mapping = {"▁" + s: "▁" + t for s, t in DEFAULT_DICTIONARY.items()}
    return sp.decode_pieces([mapping.get(p, p) for p in sp.encode(text, out_type=str)])


def test_translates_through_the_package(en_ru):
    translator = mt.Translator(en_ru)
    assert translator.translate(["Hello world."]) == ["Привет мир."]


def test_placeholders_underscores_and_markup_survive(en_ru):
    texts = ["Hello ZQ1 met ZQ2, world.", "snake_case and x_y stay",
             "peace «war» 3.5% — “city”"]
    out = mt.Translator(en_ru).translate(texts)
    assert out == [expected(en_ru, t) for t in texts]
    assert "ZQ1" in out[0] and "ZQ2" in out[0]
    assert out[1] == "snake_case and x_y stay"  # Argos's own decode would give "snake case"


def test_many_texts_keep_their_order(en_ru):
    rng = random.Random(7)
    words = list(DEFAULT_DICTIONARY) + ["alpha", "beta", "Armenia", "CSTO", "ZQ3", "2024"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))) + "."
             for _ in range(500)]
    done = []
    results = mt.Translator(en_ru, threads=2).translate_full(texts, progress=done.append)
    assert [r.text for r in results] == [expected(en_ru, t) for t in texts]
    assert sum(done) == len(texts)
    assert all(not r.warnings and not r.hit_length_limit for r in results)


def test_empty_and_blank_texts_pass_through(en_ru):
    assert mt.Translator(en_ru).translate(["", "  ", "world"]) == ["", "  ", "мир"]


def test_position_limit_is_read_from_model_bin(en_ru):
    assert mt.position_limit(en_ru.path / "model") == POSITIONS
    translator = mt.Translator(en_ru)
    assert translator.max_input_pieces == POSITIONS - 1  # </s> is added to the source


def test_entry_longer_than_the_model_limit_is_split_not_truncated(en_ru):
    text = " ".join(["Hello world, the army of the city said peace."] * 80)
    translator = mt.Translator(en_ru)
    pieces = len(translator.encode([text])[0])
    assert pieces > translator.max_input_pieces
    [result] = translator.translate_full([text])
    assert result.text == expected(en_ru, text)
    assert translator.chunk_pieces == 2 * POSITIONS // 3
    assert result.chunks >= -(-pieces // translator.chunk_pieces) > 1
    assert f"too long for the model's {POSITIONS}-piece window" in result.warnings[0]
    assert not result.hit_length_limit


def test_limit_learned_from_ctranslate2_when_model_bin_unreadable(en_ru):
    translator = mt.Translator(en_ru)
    translator.max_positions = None  # as for a model.bin format we cannot read
    text = " ".join(["the news of the war"] * 200)
    assert translator.translate([text]) == [expected(en_ru, text)]
    assert translator.max_positions == POSITIONS


def test_garbage_model_does_not_crash_and_is_flagged(argos_env, garbage_archive):
    package = models.install_package(garbage_archive)
    texts = ["Hello world.", "The president met the minister in the city of peace today."]
    results = mt.Translator(package).translate_full(texts)
    assert len(results) == 2
    for result in results:
        assert result.warnings, result
        assert result.output_pieces <= POSITIONS


def test_corrupted_model_bin_after_install(en_ru):
    (en_ru.path / "model" / "model.bin").write_bytes(b"\x06\x00\x00\x00" + b"\xff" * 64)
    with pytest.raises(ModelError, match="cannot load the CTranslate2 model.*reinstall"):
        mt.Translator(en_ru)


def test_cuda_device(en_ru):
    if ctranslate2.get_cuda_device_count() == 0:
        with pytest.raises(ModelError, match="no CUDA device"):
            mt.Translator(en_ru, device="cuda")
    else:
        assert mt.Translator(en_ru, device="cuda").translate(["world"]) == ["мир"]


def test_unknown_device(en_ru):
    with pytest.raises(ModelError, match="unknown device 'tpu'"):
        mt.Translator(en_ru, device="tpu")


def test_thread_plan():
    assert mt.plan_threads(None, "cpu") == (mt.cpu_count(), 1)
    assert mt.plan_threads(3, "cpu") == (3, 1)
    assert mt.plan_threads(None, "cuda") == (1, 1)
    with pytest.raises(ModelError, match="at least 1"):
        mt.plan_threads(0, "cpu")


def test_model_loaded_once(en_ru):
    first = mt.get_translator(en_ru)
    assert mt.get_translator(en_ru) is first
    assert mt.get_translator(en_ru, threads=1) is not first


def test_diagnose_flags_length_and_characters():
    result = mt.MTResult("x" * 5, source_pieces=40, output_pieces=5)
    assert any("0.1x the length" in p for p in mt.diagnose("s" * 40, result))
    bad = mt.MTResult("a\x02b\ufffd", source_pieces=3, output_pieces=3)
    problems = mt.diagnose("abc", bad)
    assert any("control" in p for p in problems) and any("U+FFFD" in p for p in problems)


def test_every_character_the_control_chars_check_flags_is_removed_from_drafts():
    forbidden = [chr(c) for c in range(0x110000) if textchars.FORBIDDEN.match(chr(c))]
    assert "\x9a" in forbidden and "\ufdd0" in forbidden and "\ud800" in forbidden
    text = "a" + "".join(forbidden) + "b"
    assert textchars.remove_forbidden(text) == "ab"
    # what HTML allows stays: tab, line breaks, form feed, no-break space...
    kept = "a\tb\nc\rd\x0ce\xa0f\u2028g\U0001F600"
    assert textchars.remove_forbidden(kept) == kept
    # ...and so does a reference to an allowed character; one to a forbidden one goes
    assert textchars.remove_forbidden("x&#11;y&#x9A;z&#X1fffe&#38;&#x41;") == "xyz&#38;&#x41;"
    for ch in ("\x9a", "\x85", "\ufdd0", "\U0010ffff", "\ud800", "&#x0B;"):
        result = mt.MTResult(f"a{ch}b", source_pieces=3, output_pieces=3)
        assert any("control characters" in p for p in mt.diagnose("abc", result)), repr(ch)
    assert not mt.diagnose("abc", mt.MTResult("a\tb\xa0c", source_pieces=3, output_pieces=3))
