"""TBX-Basic export and import of the glossary."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lxml import etree

from newsloc.errors import GlossaryError
from newsloc.glossary import Glossary, load_glossary
from newsloc.model import Term, TermTarget
from newsloc.tbx import MAX_TBX_BYTES, export_tbx, import_tbx, write_tbx

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(REPO / "glossary.yaml", configured_locales=["ru", "hy"])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.tbx"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_round_trip_of_the_shipped_glossary(shipped, tmp_path):
    path = tmp_path / "glossary.tbx"
    write_tbx(shipped, path)
    again = import_tbx(path, configured_locales=["ru", "hy"])
    assert again == shipped
    # and a second export is byte-identical
    assert export_tbx(again) == path.read_bytes()


def test_round_trip_keeps_every_feature(tmp_path):
    glossary = Glossary(
        [
            Term("reuters", "organisation", ("Reuters",), case_sensitive=False, note="News agency.\nKeep it.",
                 targets={"ru": TermTarget("ru", ("Reuters",), keep=True)}),
            Term("armenian", "other", ("Armenian", "Armenians"),
                 targets={"ru": TermTarget("ru", ("армянский",), pattern=r"[Аа]рмян\w*"),
                          "pt_BR": TermTarget("pt_BR", ("armênio", "armênios"))}),
            Term("att", "organisation", ("AT&T", "<AT&T>"), targets={}),
        ],
        source_language="en",
        unpinned={"armenian"},
    )
    path = tmp_path / "g.tbx"
    write_tbx(glossary, path)
    assert import_tbx(path) == glossary
    assert 'xml:lang="pt-BR"' in path.read_text(encoding="utf-8")  # BCP 47 in TBX, gettext code in newsloc


def test_export_is_tbx_basic_that_translate_toolkit_reads(shipped, tmp_path):
    from translate.storage import tbx

    path = tmp_path / "glossary.tbx"
    write_tbx(shipped, path)
    root = etree.parse(str(path)).getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert len(root.findall(".//termEntry")) == len(shipped.terms)
    store = tbx.tbxfile.parsefile(str(path))
    store.settargetlanguage("ru")
    units = {unit.source: unit for unit in store.units}
    assert units["CSTO"].target == "ОДКБ"
    assert units["Pashinyan"].target == "Пашинян"
    statuses = root.xpath("//termEntry[@id='pashinyan']/langSet[@xml:lang='ru']/tig/termNote[@type='administrativeStatus']/text()")
    assert statuses == ["preferredTerm-admn-sts"] + ["admittedTerm-admn-sts"] * 4


def test_import_of_foreign_tbx2_and_tbx3(tmp_path):
    tbx2 = write(tmp_path, """
        <?xml version="1.0" encoding="UTF-8"?>
        <martif type="TBX" xml:lang="en-US">
          <text><body>
            <termEntry>
              <descrip type="definition">An alliance.</descrip>
              <langSet xml:lang="en-US"><tig><term>CSTO</term></tig></langSet>
              <langSet xml:lang="ru">
                <tig><term>ОДКБ-old</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
                <ntig><termGrp><term>ОДКБ</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
              </langSet>
            </termEntry>
          </body></text>
        </martif>
        """)
    glossary = import_tbx(tbx2)
    assert glossary.source_language == "en_US"
    (term,) = glossary.terms
    assert (term.id, term.kind, term.sources, term.note) == ("term-1", "other", ("CSTO",), "An alliance.")
    assert term.targets == {"ru": TermTarget("ru", ("ОДКБ",))}

    tbx3 = write(tmp_path, """
        <?xml version="1.0" encoding="UTF-8"?>
        <tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
          <text><body>
            <conceptEntry id="belarus">
              <langSec xml:lang="en"><termSec><term>Belarus</term></termSec></langSec>
              <langSec xml:lang="ru"><termSec><term>Беларусь</term></termSec><termSec><term>Беларуси</term></termSec></langSec>
            </conceptEntry>
          </body></text>
        </tbx>
        """)
    (term,) = import_tbx(tbx3).terms
    assert term.id == "belarus" and term.targets["ru"].forms == ("Беларусь", "Беларуси")


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("<martif><text><body><termEntry>\n<langSet xml:lang='en'><tig><term>X</term></tig></langSet>\n</body></text></martif>",
         3, "XML syntax error"),
        ("<tmx/>", 1, "not a TBX file"),
        ("<martif>\n<text><body>\n<termEntry id='x'>\n<langSet xml:lang='ru'><tig><term>Икс</term></tig></langSet>\n</termEntry></body></text></martif>",
         3, "term 'x' has no source form"),
        ("<martif xml:lang='en'><text><body>\n<termEntry id='x'><langSet xml:lang='en'><tig><term>X</term></tig></langSet>\n<langSet xml:lang='de'><tig><term>X</term></tig></langSet></termEntry></body></text></martif>",
         3, "locale 'de', which is not configured"),
        ("<martif><text><body>\n<termEntry id='x'><langSet xml:lang='en'><tig><term>X</term></tig></langSet>\n<langSet xml:lang='xx'><tig><term>X</term></tig></langSet></termEntry></body></text></martif>",
         3, "locale code"),
        ("<martif><text><body>\n<termEntry id='x'><langSet xml:lang='en'><tig><term>X</term></tig></langSet></termEntry>\n<termEntry id='x'><langSet xml:lang='en'><tig><term>Y</term></tig></langSet></termEntry></body></text></martif>",
         3, "duplicate term id 'x'"),
        ("<martif><text><body>\n<termEntry id='x'><langSet xml:lang='en'><tig><term>X</term></tig></langSet>\n<langSet xml:lang='ru'><tig><term> </term></tig></langSet></termEntry></body></text></martif>",
         3, "empty"),
    ],
)
def test_bad_tbx_names_file_and_line(tmp_path, body, line, words):
    path = tmp_path / "bad.tbx"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        import_tbx(path, configured_locales=["ru", "hy"])
    assert info.value.path == path and info.value.line == line, info.value
    assert words in info.value.message


def test_hostile_xml_is_not_expanded(tmp_path):
    bomb = write(tmp_path, """
        <?xml version="1.0"?>
        <!DOCTYPE martif [
          <!ENTITY a "lollollollollollollollollollol">
          <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
          <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
          <!ENTITY secret SYSTEM "file:///etc/passwd">
        ]>
        <martif xml:lang="en"><text><body>
          <termEntry id="x"><langSet xml:lang="en"><tig><term>&c;&secret;</term></tig></langSet></termEntry>
        </body></text></martif>
        """)
    with pytest.raises(GlossaryError) as info:
        import_tbx(bomb)
    assert "entity reference" in info.value.message and info.value.line == 9


def test_size_cap(tmp_path):
    path = tmp_path / "big.tbx"
    path.write_bytes(b"<martif>" + b" " * MAX_TBX_BYTES + b"</martif>")
    with pytest.raises(GlossaryError, match="larger than"):
        import_tbx(path)


CHAR_TBX = """\
<martif xml:lang="en"><martifHeader><fileDesc><sourceDesc>
<p>newsloc-glossary-version: 1</p></sourceDesc></fileDesc></martifHeader><text><body>
<termEntry id="{id}">
<note>newsloc-kind: {kind}</note>
<note>{note}</note>
<langSet xml:lang="en"><tig><term>{source}</term></tig></langSet>
<langSet xml:lang="ru">
<note>newsloc-pattern: {pattern}</note>
<tig><term>{agreed}</term></tig>
<tig><term>{form}</term></tig>
</langSet>
</termEntry></body></text></martif>
"""
CHAR_TBX_FIELDS = {  # field: (line, a good value)
    "id": (3, "csto"), "kind": (4, "organisation"), "note": (5, "A treaty"), "source": (6, "CSTO"),
    "pattern": (8, r"ОДКБ-\w+"), "agreed": (9, "ОДКБ"), "form": (10, "ОДКБ-шный"),
}


@pytest.mark.parametrize("ref, shown", [("&#x9f;", "U+009F"), ("&#x85;", "U+0085"), ("&#x7f;", "U+007F"),
                                        ("&#xFDD0;", "U+FDD0"), ("&#x10FFFF;", "U+10FFFF")])
@pytest.mark.parametrize("field", sorted(CHAR_TBX_FIELDS))
def test_tbx_control_and_noncharacters_are_refused_with_the_tbx_line(tmp_path, field, ref, shown):
    values = {name: good for name, (_, good) in CHAR_TBX_FIELDS.items()}
    values[field] = values[field][:2] + ref + values[field][2:]
    path = tmp_path / "bad.tbx"
    path.write_text(CHAR_TBX.format(**values), encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        import_tbx(path, configured_locales=["ru"])
    assert info.value.path == path and info.value.line == CHAR_TBX_FIELDS[field][0], info.value
    assert shown in info.value.message


def test_tbx_without_bad_characters_imports(tmp_path):
    path = tmp_path / "good.tbx"
    path.write_text(CHAR_TBX.format(**{name: good for name, (_, good) in CHAR_TBX_FIELDS.items()}), encoding="utf-8")
    (term,) = import_tbx(path, configured_locales=["ru"]).terms
    assert term.targets["ru"].forms == ("ОДКБ", "ОДКБ-шный") and term.note == "A treaty"


@pytest.mark.parametrize("version", ["2", "abc", "1.0", "²", "٣", "-1", ""])
def test_tbx_version_other_than_1_is_refused_at_its_line(tmp_path, version):
    values = {name: good for name, (_, good) in CHAR_TBX_FIELDS.items()}
    path = tmp_path / "v.tbx"
    path.write_text(CHAR_TBX.format(**values).replace("version: 1<", f"version: {version}<"), encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        import_tbx(path, configured_locales=["ru"])
    assert info.value.path == path and info.value.line == 2, info.value
    assert "supported glossary version: 1" in info.value.message


def test_tbx_export_carries_version_1(shipped, tmp_path):
    root = etree.fromstring(export_tbx(shipped))
    assert root.xpath("//sourceDesc/p/text()")[-1] == "newsloc-glossary-version: 1"
