"""glossary.yaml: loading, validation with file and line, and the shipped glossary."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from newsloc.errors import GlossaryError
from newsloc.glossary import (
    MAX_GLOSSARY_BYTES,
    Glossary,
    dump_glossary,
    load_glossary,
    save_glossary,
)
from newsloc.model import TERM_KINDS, Term, TermTarget

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "glossary.yaml"
LOCALES = ("ru", "hy")


def write(tmp_path: Path, text: str, name: str = "glossary.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_of(path: Path, configured=LOCALES) -> GlossaryError:
    with pytest.raises(GlossaryError) as info:
        load_glossary(path, configured_locales=configured)
    return info.value


GOOD = """
version: 1
terms:
  - id: csto
    kind: organisation
    sources: [CSTO]
    targets:
      ru: {agreed: ОДКБ}
      hy: ՀԱՊԿ
  - id: pashinyan
    kind: person
    sources: [Pashinyan]
    note: Prime Minister of Armenia.
    targets:
      ru:
        agreed: Пашинян
        forms: [Пашиняна, Пашиняну, Пашиняном, Пашиняне]
  - id: reuters
    kind: organisation
    sources: [Reuters]
    case_sensitive: false
    pin: false
    targets:
      ru: {keep: true}
"""


# -- a good glossary -------------------------------------------------------------------
def test_load_builds_terms_with_lines(tmp_path):
    glossary = load_glossary(write(tmp_path, GOOD), configured_locales=LOCALES)
    assert [t.id for t in glossary.terms] == ["csto", "pashinyan", "reuters"]
    csto, pashinyan, reuters = glossary.terms
    assert csto.line == 3 and pashinyan.line == 9
    assert csto.targets["ru"] == TermTarget("ru", ("ОДКБ",))
    assert csto.targets["hy"].agreed == "ՀԱՊԿ"
    assert pashinyan.targets["ru"].forms == ("Пашинян", "Пашиняна", "Пашиняну", "Пашиняном", "Пашиняне")
    assert pashinyan.note == "Prime Minister of Armenia."
    assert reuters.case_sensitive is False
    assert reuters.targets["ru"].keep and reuters.targets["ru"].forms == ("Reuters",)
    assert glossary.pinned(csto) and not glossary.pinned(reuters)
    assert glossary.locales() == {"ru", "hy"}
    assert glossary.missing_targets(["ru", "hy"]) == [
        (pashinyan, "hy"), (reuters, "hy"),
    ]


def test_configured_locales_none_skips_that_check(tmp_path):
    glossary = load_glossary(write(tmp_path, GOOD))
    assert len(glossary.terms) == 3


def test_dump_and_reload_gives_the_same_glossary(tmp_path):
    glossary = load_glossary(write(tmp_path, GOOD))
    out = tmp_path / "again.yaml"
    save_glossary(glossary, out)
    assert load_glossary(out) == glossary
    assert dump_glossary(load_glossary(out)) == out.read_text(encoding="utf-8")


def test_equality_ignores_lines_but_not_content():
    a = Glossary([Term("x", "place", ("X",), line=3)])
    b = Glossary([Term("x", "place", ("X",), line=30)])
    c = Glossary([Term("x", "person", ("X",))])
    assert a == b and a != c
    assert a != Glossary([Term("x", "place", ("X",))], unpinned={"x"})


# -- the shipped glossary --------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(SHIPPED, configured_locales=LOCALES)


def test_shipped_glossary_is_valid_and_covers_ru_and_hy(shipped):
    assert shipped.version == 1
    assert {t.kind for t in shipped.terms} <= set(TERM_KINDS)
    assert shipped.missing_targets(LOCALES) == []
    for term in shipped.terms:
        for locale in LOCALES:
            assert term.targets[locale].agreed.strip()


def test_shipped_glossary_matches_the_desk_spellings(shipped):
    agreed = {t.id: t.targets["ru"].agreed for t in shipped.terms}
    assert agreed["csto"] == "ОДКБ"
    assert agreed["lukashenka"] == "Лукашенко"
    assert agreed["pashinyan"] == "Пашинян"
    assert agreed["aliyev"] == "Алиев"
    assert agreed["nagorno-karabakh"] == "Нагорный Карабах"
    assert agreed["yerevan"] == "Ереван"
    assert agreed["belarus"] == "Беларусь"
    assert "Белоруссия" in shipped.term("belarus").note  # the choice is explained
    assert shipped.term("armenia").targets["hy"].agreed == "Հայաստան"


@pytest.mark.parametrize(
    "term_id, forms",
    [
        ("pashinyan", ["Пашиняна", "Пашиняну", "Пашиняном", "Пашиняне"]),
        ("armenia", ["Армении", "Армению", "Арменией"]),
        ("nagorno-karabakh", ["Нагорного Карабаха", "Нагорному Карабаху", "Нагорным Карабахом", "Нагорном Карабахе"]),
        ("aliyev", ["Алиева", "Алиеву", "Алиевым", "Алиеве"]),
        ("azerbaijan", ["Азербайджана", "Азербайджану", "Азербайджаном", "Азербайджане"]),
        ("soviet-union", ["Советского Союза", "Советскому Союзу", "Советским Союзом", "Советском Союзе"]),
        ("yerevan", ["Еревана", "Еревану", "Ереваном", "Ереване"]),
        ("israel", ["Израиля", "Израилю", "Израилем", "Израиле"]),
        ("moscow", ["Москвы", "Москве", "Москву", "Москвой"]),
        ("belarus", ["Беларуси", "Беларусью"]),
        ("russia", ["России", "Россию", "Россией"]),
    ],
)
def test_shipped_glossary_has_russian_case_forms(shipped, term_id, forms):
    assert set(forms) <= set(shipped.term(term_id).targets["ru"].forms)


@pytest.mark.parametrize(
    "term_id, forms",
    [
        ("armenia", ["Հայաստանը", "Հայաստանի", "Հայաստանին", "Հայաստանից", "Հայաստանում"]),
        ("pashinyan", ["Փաշինյանը", "Փաշինյանի", "Փաշինյանին", "Փաշինյանից", "Փաշինյանով"]),
        ("csto", ["ՀԱՊԿ-ի", "ՀԱՊԿ-ին", "ՀԱՊԿ-ից"]),
    ],
)
def test_shipped_glossary_has_armenian_case_forms(shipped, term_id, forms):
    assert set(forms) <= set(shipped.term(term_id).targets["hy"].forms)


# -- bad input: every case names the file and the line ----------------------------------
def test_yaml_syntax_error(tmp_path):
    path = write(tmp_path, """
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO
          - id: x
        """)
    err = error_of(path)
    assert err.path == path and err.line == 6
    assert "YAML syntax error" in err.message
    assert str(err).startswith(f"{path}:6: ")


def test_python_object_tag_is_refused_and_never_constructed(tmp_path):
    path = write(tmp_path, """
        version: 1
        terms:
          - id: x
            kind: !!python/object/apply:os.system ["touch pwned"]
            sources: [X]
        """)
    err = error_of(path)
    assert err.line == 4 and "!!python/object/apply:os.system" in err.message
    assert not (Path.cwd() / "pwned").exists()


def test_python_object_tag_on_a_mapping(tmp_path):
    path = write(tmp_path, """
        version: 1
        terms:
          - !!python/object:newsloc.model.Term
            id: x
        """)
    err = error_of(path)
    assert err.line == 3 and "!!python/object:newsloc.model.Term" in err.message


def test_alias_bomb_is_refused(tmp_path):
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    lines.append("version: 1")
    lines.append("terms: *i")
    path = tmp_path / "glossary.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = error_of(path)
    assert err.line == 2 and "alias" in err.message


def test_any_alias_is_refused(tmp_path):
    path = write(tmp_path, """
        version: 1
        terms:
          - id: x
            kind: place
            sources: &s [X]
          - id: y
            kind: place
            sources: *s
        """)
    err = error_of(path)
    assert err.line == 8 and "alias *s" in err.message


@pytest.mark.parametrize(
    "field, value, line, words",
    [
        ("sources", "CSTO", 5, "sources must be a list of strings, not a string"),
        ("sources", "[CSTO, 42]", 5, "an entry of sources must be a string, not a number"),
        ("case_sensitive", "'no'", 6, "case_sensitive must be true or false"),
        ("kind", "[place]", 4, "kind must be a string, not a list"),
        ("targets", "[ru]", 6, "targets must be a mapping"),
        ("note", "{a: b}", 6, "note must be a string, not a mapping"),
    ],
)
def test_wrong_types(tmp_path, field, value, line, words):
    fields = {"kind": "organisation", "sources": "[CSTO]"}
    fields[field] = value
    body = "".join(f"    {k}: {v}\n" for k, v in fields.items())
    path = write(tmp_path, "version: 1\nterms:\n  - id: csto\n" + body)
    err = error_of(path)
    assert err.line == line, err
    assert words in err.message


@pytest.mark.parametrize(
    "value", ["abc", "one", "2", "99", "-1", "0", "true", "false", "[1]", "{v: 1}", "'1'", '"1"', "1.0", "~", "''"]
)
def test_version_other_than_the_integer_1_is_refused_at_its_line(tmp_path, value):
    err = error_of(write(tmp_path, f"# a comment\n\nversion: {value}\nterms: []\n"))
    assert err.line == 3, err
    assert "supported glossary version: 1" in err.message, err


def test_missing_version_is_reported_at_line_1(tmp_path):
    err = error_of(write(tmp_path, "# a comment\n\nterms: []\n"))
    assert err.line == 1 and "no version: add `version: 1`" in err.message, err


def test_term_without_source_form(tmp_path):
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - id: ok
            kind: place
            sources: [Armenia]
          - id: nameless
            kind: person
            targets: {ru: Кто-то}
        """))
    assert err.line == 6 and "term 'nameless' has no source form" in err.message
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - id: nameless
            kind: person
            sources: []
        """))
    assert err.line == 5 and "'nameless' has no source form" in err.message


def test_target_in_a_locale_not_configured(tmp_path):
    path = write(tmp_path, """
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO]
            targets:
              ru: ОДКБ
              de: OVKS
        """)
    err = error_of(path)
    assert err.line == 8
    assert "locale 'de', which is not configured" in err.message and "hy, ru" in err.message
    assert load_glossary(path, configured_locales=["ru", "de"]).terms[0].targets["de"].agreed == "OVKS"


@pytest.mark.parametrize("code", ["xx", "en_US./../x", "RU", "ru-RU"])
def test_locale_codes_babel_rejects(tmp_path, code):
    path = write(tmp_path, f"""
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO]
            targets:
              '{code}': ОДКБ
        """)
    err = error_of(path, configured=None)
    assert err.line == 7 and "locale code" in err.message


def test_duplicate_ids(tmp_path):
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - {id: x, kind: place, sources: [Armenia]}
          - {id: y, kind: place, sources: [Russia]}
          - {id: x, kind: place, sources: [Belarus]}
        """))
    assert err.line == 5 and "duplicate term id 'x' (first on line 3)" in err.message


def test_same_source_form_in_two_terms(tmp_path):
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO, Collective Security Treaty Organisation]
          - id: csto-full
            kind: organisation
            sources:
              - Collective Security Treaty Organisation
        """))
    assert err.line == 9
    assert "already a source form of term 'csto' (line 5)" in err.message


def test_same_source_form_differing_in_case_clashes_only_with_a_case_insensitive_term(tmp_path):
    both_sensitive = """
        version: 1
        terms:
          - {id: us, kind: place, sources: [US]}
          - {id: us-pronoun, kind: other, sources: [us]}
        """
    assert len(load_glossary(write(tmp_path, both_sensitive)).terms) == 2
    err = error_of(write(tmp_path, both_sensitive.replace("sources: [us]", "sources: [us], case_sensitive: false")))
    assert err.line == 4 and "already a source form" in err.message


def test_hyphen_and_space_variants_are_the_same_form(tmp_path):
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - {id: a, kind: place, sources: [Nagorno-Karabakh]}
          - {id: b, kind: place, sources: ["Nagorno\u2011Karabakh"]}
        """))
    assert err.line == 4


@pytest.mark.parametrize(
    "target, line, words",
    [
        ("''", 7, "empty target for 'ru'"),
        ("{agreed: ''}", 7, "empty target for 'ru'"),
        ("{forms: [ОДКБ]}", 7, "give 'agreed'"),
        ("{}", 7, "give 'agreed'"),
        ("null", 7, "empty target"),
        ("{agreed: ОДКБ, keep: true}", 7, "cannot also have 'agreed'"),
        ("{agreed: ОДКБ, pattern: '('}", 7, "invalid pattern"),
        ("{agreed: ОДКБ, pattern: 'x*'}", 7, "matches empty text"),
        ("{agreed: ОДКБ, forms: [ОДКБ]}", 7, "listed twice"),
    ],
)
def test_bad_targets(tmp_path, target, line, words):
    err = error_of(write(tmp_path, f"""
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO]
            targets:
              ru: {target}
        """))
    assert err.line == line, err
    assert words in err.message


def test_unknown_fields(tmp_path):
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO]
            translations: {ru: ОДКБ}
        """))
    assert err.line == 6 and "unknown field 'translations' in a term" in err.message
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO]
            targets:
              ru: {agreed: ОДКБ, plural: ОДКБ}
        """))
    assert err.line == 7 and "unknown field 'plural'" in err.message
    err = error_of(write(tmp_path, "version: 1\nterms: []\nlocales: [ru]\n"))
    assert err.line == 3 and "unknown field 'locales' in the glossary" in err.message


def test_unknown_kind_and_bad_id(tmp_path):
    err = error_of(write(tmp_path, "version: 1\nterms:\n  - {id: x, kind: country, sources: [X]}\n"))
    assert err.line == 3 and "unknown kind 'country'" in err.message
    err = error_of(write(tmp_path, "version: 1\nterms:\n  - {id: '1 x', kind: place, sources: [X]}\n"))
    assert err.line == 3 and "term id '1 x'" in err.message


def test_duplicate_yaml_keys(tmp_path):
    err = error_of(write(tmp_path, """
        version: 1
        terms:
          - id: csto
            kind: organisation
            sources: [CSTO]
            kind: place
        """))
    assert err.line == 6 and "duplicate key 'kind' (first on line 4)" in err.message


def test_size_cap_encoding_empty_and_deep_nesting(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"version: 1\nterms: []\n" + b"#" * MAX_GLOSSARY_BYTES)
    assert "larger than" in error_of(big).message
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("version: 1\nterms:\n  - {id: x, kind: place, sources: [Bjørn]}\n".encode("latin-1"))
    err = error_of(bad)
    assert err.line == 3 and "not UTF-8" in err.message
    empty = write(tmp_path, "# nothing\n", "empty.yaml")
    assert "empty glossary" in error_of(empty).message
    deep = tmp_path / "deep.yaml"
    deep.write_text("version: 1\nterms: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    err = error_of(deep)
    assert err.line == 2 and "nesting" in err.message


def test_missing_file(tmp_path):
    err = error_of(tmp_path / "nope.yaml")
    assert "no such glossary file" in err.message and err.path == tmp_path / "nope.yaml"


def test_terms_must_be_a_list_and_the_top_a_mapping(tmp_path):
    assert "terms must be a list" in error_of(write(tmp_path, "version: 1\nterms: {}\n")).message
    assert "the glossary must be a mapping" in error_of(write(tmp_path, "- 1\n")).message


# -- characters no catalog may hold -------------------------------------------------------
CHAR_GLOSSARY = """\
version: 1
source_language: {source_language}
terms:
  - id: {id}
    kind: {kind}
    sources: [CSTO, {source}]
    note: {note}
    targets:
      ru:
        agreed: {agreed}
        forms: [{form}]
        pattern: {pattern}
      hy: {short}
"""
CHAR_FIELDS = {  # field: (line, a good value)
    "source_language": (2, "en"),
    "id": (4, "csto"),
    "kind": (5, "organisation"),
    "source": (6, "Collective Security Treaty Organisation"),
    "note": (7, "A treaty"),
    "agreed": (10, "ОДКБ"),
    "form": (11, "ОДКБ-шный"),
    "pattern": (12, "ОДКБ-\\w+"),
    "short": (13, "ՀԱՊԿ"),
}
BAD_CHARS = {
    "\\0": "U+0000", "\\x01": "U+0001", "\\e": "U+001B", "\\v": "U+000B", "\\f": "U+000C",
    "\\x1f": "U+001F", "\\x7f": "U+007F", "\\N": "U+0085", "\\x9f": "U+009F",
    "\\uFDD0": "U+FDD0", "\\uFDEF": "U+FDEF", "\\uFFFE": "U+FFFE", "\\uFFFF": "U+FFFF",
    "\\U0001FFFE": "U+1FFFE", "\\U0010FFFF": "U+10FFFF", "\\uD800": "U+D800", "\\uDFFF": "U+DFFF",
}


def char_glossary(field: str, escape: str) -> str:
    values = {name: f"'{good}'" for name, (_, good) in CHAR_FIELDS.items()}
    good = CHAR_FIELDS[field][1].replace("\\", "\\\\")  # a backslash in a double-quoted YAML string
    values[field] = f'"{good[:2]}{escape}{good[2:]}"'
    return CHAR_GLOSSARY.format(**values)


def test_char_glossary_is_valid_without_the_character(tmp_path):
    values = {name: f"'{good}'" for name, (_, good) in CHAR_FIELDS.items()}
    glossary = load_glossary(write(tmp_path, CHAR_GLOSSARY.format(**values)), configured_locales=LOCALES)
    assert glossary.terms[0].targets["ru"].pattern == "ОДКБ-\\w+"


@pytest.mark.parametrize("escape", sorted(BAD_CHARS))
@pytest.mark.parametrize("field", sorted(CHAR_FIELDS))
def test_control_and_noncharacters_are_refused_in_every_string(tmp_path, field, escape):
    err = error_of(write(tmp_path, char_glossary(field, escape)))
    assert err.line == CHAR_FIELDS[field][0], err
    assert BAD_CHARS[escape] in err.message, err


@pytest.mark.parametrize("escape", ["\\t", "\\u00A0", "\\u200D", "\\uFFFD", "\\U0001F600"])
def test_tab_and_ordinary_characters_pass(tmp_path, escape):
    glossary = load_glossary(write(tmp_path, char_glossary("note", escape)), configured_locales=LOCALES)
    assert glossary.terms[0].note.startswith("A ")


def test_line_breaks_in_a_note_pass_but_not_in_an_agreed_form(tmp_path):
    assert load_glossary(write(tmp_path, char_glossary("note", "\\r\\n")), configured_locales=LOCALES)
    err = error_of(write(tmp_path, char_glossary("agreed", "\\n")))
    assert err.line == 10 and "one line" in err.message
