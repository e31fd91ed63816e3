"""Cross-check with translate-toolkit: whatever ``pofilter -t xmltags -t urls -t numbers``
flags in a catalog, ``newsloc check`` flags too (compared by msgid).

The catalog below is built for the purpose: English news sentences with inline
links, emphasis and numbers, and Russian translations that break them in many
ways (changed, dropped, added, reordered and misnested tags, changed attributes,
changed and dropped URLs, changed, dropped and reformatted numbers), plus
correct translations that neither tool may flag.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest

from newsloc.check import BLOCKING, check_catalog

POFILTER = Path(sys.executable).with_name("pofilter")

A = 'https://www.example.org/news/2020/report'
B = 'https://example.com/a?id=7&amp;lang=en'

# (msgid, msgstr, fuzzy)
BROKEN = [
    # -- tags
    ("He said <em>no</em> to the plan.", "Он сказал нет этому плану.", False),
    ("He said <strong>no</strong> to the plan.", "Он сказал <b>нет</b> этому плану.", False),
    ("He said no to the plan.", "Он <em>сказал</em> нет этому плану.", False),
    ("The <em>vote</em> failed.", "<em>Голосование</em> <em>провалилось</em>.", False),
    ("A <em>very</em> <strong>close</strong> vote.", "<strong>Очень</strong> <em>близкое</em> голосование.", False),
    ("It was <a href=\"" + A + "\"><em>final</em></a>.",
     "Это было <em><a href=\"" + A + "\">окончательно</a></em>.", False),
    ("It was <em>final</em>.", "Это было <em>окончательно.", False),
    ("It was <em>final</em>.", "Это было окончательно</em>.", True),
    ("Line one<br>line two.", "Строка один<br/>строка два.", False),
    ("Read <span class=\"note\">this</span> first.", "Сначала прочтите <span class=\"nota\">это</span>.", False),
    ("Read <span class=\"note\">this</span> now.", "Прочтите <span>это</span> сейчас.", False),
    ("Read <em>this</em> today.", "Прочтите <em onclick=\"steal()\">это</em> сегодня.", False),
    ("Read this at once.", "Прочтите это <script>alert(1)</script> немедленно.", False),
    ("Prices rose &amp; fell.", "Цены <выросли> и упали.", False),
    # -- links and URLs
    ("Read <a href=\"" + A + "\">the report</a>.", "Прочтите <a href=\"https://www.example.org/news/2021/report\">доклад</a>.", False),
    ("Read <a href=\"" + A + "\">the report</a> again.", "Прочтите доклад ещё раз.", False),
    ("See www.example.org for details.", "Подробности на www.example.ru.", False),
    ("See https://example.net/x for more.", "Подробнее: https://example.net/y.", False),
    ("See https://example.net/x and https://example.net/y.", "См. https://example.net/y и https://example.net/x.", False),
    ("Data: https://example.net/data.", "Данные: https://example.net/data", False),
    ("Links: <a href=\"" + A + "\">one</a> and <a href=\"" + B + "\">two</a>.",
     "Ссылки: <a href=\"" + B + "\">два</a> и <a href=\"" + A + "\">один</a>.", False),
    ("Open <a href=\"" + B + "\">the form</a>.", "Откройте <a href=\"https://example.com/a?id=7\">форму</a>.", False),
    ("Visit ftp://files.example.org/pub now.", "Зайдите на ftp://files.example.org/pub/ru сейчас.", False),
    # -- numbers
    ("The war started in 2020.", "Война началась в 2021 году.", False),
    ("About 30 people died in 2020.", "В 2020 году погибли около 50 человек.", False),
    ("About 30 people died in 2020.", "В 2020 году погибли люди.", False),
    ("Turnout was 7.1%.", "Явка составила 7,2 %.", False),
    ("Some 10,000 people fled.", "Бежали около 1 000 человек.", False),
    ("Some 10,000 people fled in 2023.", "Около 100 000 человек бежали в 2023 году.", True),
    ("The 2 leaders met 3 times.", "Два лидера встречались 3 раза.", False),
    ("It lasted 44 days.", "Она длилась 4 дня.", False),
    ("Version 1.12.1 was used.", "Использовалась версия 1.12.", False),
    ("Temperatures reached 30° on 5 May.", "Температура достигла 35° 5 мая.", False),
    ("He was 1 of 25 candidates.", "Он был одним из 25 кандидатов.", False),
]

CLEAN = [
    ("He said <em>no</em> to it.", "Он сказал этому <em>нет</em>."),
    ("Read <a href=\"" + A + "\">the report</a> today.", "Прочтите <a href=\"" + A + "\">доклад</a> сегодня."),
    ("Read <a href=\"" + A + "\" title=\"Full report\">it</a> later.",
     "Прочтите <a href=\"" + A + "\" title=\"Full report\">его</a> позже."),
    ("In 2020, 30 people died.", "В 2020 году погибли 30 человек."),
    ("See https://example.net/x today.", "См. https://example.net/x сегодня."),
    ("Prices rose &amp; fell again.", "Цены выросли и снова упали."),
    ("It lasted 44 days and nights.", "Это длилось 44 дня и ночи."),
]


def build_catalog(path: Path) -> polib.POFile:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "crosscheck", "Language": "ru", "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": "en",
    }
    seen = set()
    for msgid, msgstr, fuzzy in BROKEN + [(s, t, False) for s, t in CLEAN]:
        key = msgid
        while key in seen:  # the same sentence broken twice: make the msgid unique
            key = key[:-1] + " again" + key[-1]
        seen.add(key)
        po.append(polib.POEntry(msgid=key, msgstr=msgstr, flags=["fuzzy"] if fuzzy else []))
    po.save(str(path))
    return polib.pofile(str(path))


def pofilter_flags(path: Path, out: Path) -> dict[str, list[str]]:
    assert POFILTER.exists(), f"translate-toolkit's pofilter not found next to {sys.executable}"
    subprocess.run(
        [str(POFILTER), "--progress=none", "--language=ru", "-t", "xmltags", "-t", "urls", "-t", "numbers",
         "-i", str(path), "-o", str(out)],
        check=True, capture_output=True, text=True,
    )
    flagged: dict[str, list[str]] = {}
    if not out.exists() or not out.read_text(encoding="utf-8").strip():
        return flagged  # (pofilter flagged nothing: it writes no catalog)
    for entry in polib.pofile(str(out)):
        if entry.msgid:
            notes = [line for line in entry.comment.splitlines() + entry.tcomment.splitlines()
                     if "(pofilter)" in line]
            flagged[entry.msgid] = notes
    return flagged


@pytest.fixture
def crosscheck(tmp_path):
    path = tmp_path / "crosscheck.po"
    po = build_catalog(path)
    pofilter = pofilter_flags(path, tmp_path / "pofilter-out.po")
    findings = check_catalog(po, path, "ru", "en", None)
    return po, pofilter, findings


def test_everything_pofilter_flags_newsloc_flags(crosscheck):
    po, pofilter, findings = crosscheck
    ours = {f.msgid for f in findings}
    # the catalog really exercises pofilter: nearly every broken entry trips it
    clean_ids = {s for s, _ in CLEAN}
    broken_ids = {e.msgid for e in po if e.msgid not in clean_ids}
    assert len(broken_ids) == len(BROKEN)
    assert len(pofilter) >= 30, sorted(pofilter)
    missed = {msgid: notes for msgid, notes in pofilter.items() if msgid not in ours}
    assert not missed, f"pofilter flags entries newsloc does not: {missed}"
    # and newsloc flags every deliberately broken entry, pofilter or not
    assert broken_ids - ours == set()


def test_pofilter_failures_are_critical_or_functional_in_newsloc(crosscheck):
    """What pofilter counts as broken markup, links or numbers also blocks publication here,
    except where the difference is only the spelling or order of the markup (cosmetic)."""
    po, pofilter, findings = crosscheck
    cosmetic_only = {
        f.msgid for f in findings
    } - {f.msgid for f in findings if f.severity in BLOCKING}
    allowed_cosmetic = {
        "Line one<br>line two.",  # <br/> for <br>: the same element, written differently
        "A <em>very</em> <strong>close</strong> vote.",  # reordered tags around reordered words
        "Links: <a href=\"" + A + "\">one</a> and <a href=\"" + B + "\">two</a>.",  # reordered links
        "See https://example.net/x and https://example.net/y.",  # reordered bare URLs
        "Data: https://example.net/data.",  # pofilter reads the full stop as part of the URL
    }
    assert {m for m in pofilter if m in cosmetic_only} == allowed_cosmetic


def test_clean_entries_pass_both(crosscheck):
    po, pofilter, findings = crosscheck
    clean_ids = {s for s, _ in CLEAN}
    assert not clean_ids & set(pofilter)
    assert [f for f in findings if f.msgid in clean_ids] == []


def test_locale_number_notation_is_a_pofilter_false_positive(tmp_path):
    """The one intended difference: pofilter compares digits literally, newsloc in each
    locale's notation (Babel), so correct Russian numbers pass here and fail there."""
    path = tmp_path / "numbers.po"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    po.append(polib.POEntry(msgid="Turnout was 7.1% in 2011.", msgstr="Явка в 2011 году составила 7,1 %."))
    po.save(str(path))
    flagged = pofilter_flags(path, tmp_path / "out.po")
    assert "Turnout was 7.1% in 2011." in flagged
    assert check_catalog(polib.pofile(str(path)), path, "ru", "en", None) == []


def test_translated_title_is_a_newsloc_finding_pofilter_accepts(tmp_path):
    """The other intended difference: pofilter lets a translation change title/alt values,
    newsloc's build publishes only the source segment's exact attribute values (its sanitiser
    refuses the entry), so newsloc check reports it as critical."""
    path = tmp_path / "title.po"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    msgid = "Read <a href=\"" + A + "\" title=\"Full report\">it</a> later."
    po.append(polib.POEntry(msgid=msgid, msgstr="Прочтите <a href=\"" + A + "\" title=\"Полный доклад\">его</a> позже."))
    po.save(str(path))
    assert msgid not in pofilter_flags(path, tmp_path / "out.po")
    assert [(f.check, f.severity) for f in check_catalog(polib.pofile(str(path)), path, "ru", "en", None)] == [
        ("markup", "critical")]
